import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitLaneWork } from '../../src/actors/git/lane-commit.js';
import { captureLaneHead, ensureWorkspace } from '../../src/actors/git/workspace.js';
import { createTempRepo, git, type TempRepo } from '../support/temp-repo.js';

const LANE = 'kitty/mission-001-demo-lane-a';
let repo: TempRepo;
let lane: string;

beforeEach(async () => {
  repo = createTempRepo('sko-lane-');
  lane = (
    await ensureWorkspace({
      repoRoot: repo.root,
      workspacePath: '.worktrees/001-demo-lane-a',
      laneBranch: LANE,
    })
  ).workspacePath;
});

afterEach(() => {
  repo.cleanup();
});

const base = { wpId: 'WP01', agent: 'claude-code', role: 'implementation' as const };

describe('commitLaneWork', () => {
  it('commits the agent edits on the lane branch and counts them', async () => {
    const baseHead = await captureLaneHead(lane);
    mkdirSync(path.join(lane, 'src'));
    writeFileSync(path.join(lane, 'src', 'feature.ts'), 'export const feature = 1;\n');
    writeFileSync(path.join(lane, 'README.md'), '# demo\n');

    const result = await commitLaneWork({ ...base, workspacePath: lane, expectedBranch: LANE, baseHead });
    expect(result).toMatchObject({ commitCount: 1, committedByUs: true, branch: LANE });
    expect(result.changedFiles).toEqual(['README.md', 'src/feature.ts']);
    expect(result.head).toBe(git(lane, 'rev-parse', 'HEAD'));
    expect(git(lane, 'log', '-1', '--format=%s')).toBe('feat(WP01): implementation by claude-code');
    expect(git(lane, 'status', '--porcelain')).toBe('');
    // Nothing landed on main or in the primary checkout.
    expect(git(repo.root, 'rev-list', '--count', 'main')).toBe('1');
    expect(git(repo.root, 'status', '--porcelain')).toBe('');
  });

  it('uses a rework message for rework', async () => {
    const baseHead = await captureLaneHead(lane);
    writeFileSync(path.join(lane, 'fix.txt'), 'fixed\n');
    await commitLaneWork({ ...base, workspacePath: lane, expectedBranch: LANE, baseHead, kind: 'rework' });
    expect(git(lane, 'log', '-1', '--format=%s')).toBe('fix(WP01): rework by claude-code');
  });

  it('counts commits the agent made itself, plus ours for what it left uncommitted', async () => {
    const baseHead = await captureLaneHead(lane);
    writeFileSync(path.join(lane, 'one.txt'), '1\n');
    git(lane, 'add', '.');
    git(lane, 'commit', '-q', '-m', 'agent commit 1');
    writeFileSync(path.join(lane, 'two.txt'), '2\n');
    git(lane, 'add', '.');
    git(lane, 'commit', '-q', '-m', 'agent commit 2');

    const clean = await commitLaneWork({ ...base, workspacePath: lane, expectedBranch: LANE, baseHead });
    expect(clean).toMatchObject({
      commitCount: 2,
      committedByUs: false,
      changedFiles: ['one.txt', 'two.txt'],
    });

    writeFileSync(path.join(lane, 'three.txt'), '3\n');
    const dirty = await commitLaneWork({ ...base, workspacePath: lane, expectedBranch: LANE, baseHead });
    expect(dirty).toMatchObject({ commitCount: 3, committedByUs: true });
    // The head reported is our commit, the newest, not one of the agent's before it.
    expect(dirty.head).toBe(git(lane, 'rev-parse', 'HEAD'));
    expect(git(lane, 'log', '-1', '--format=%s', dirty.head)).toBe(
      'feat(WP01): implementation by claude-code',
    );
  });

  it('counts an empty commit and lists file names with spaces and newlines as they are', async () => {
    const baseHead = await captureLaneHead(lane);
    mkdirSync(path.join(lane, 'dir 1'));
    writeFileSync(path.join(lane, 'dir 1', 'x y.txt'), 'spaces\n');
    writeFileSync(path.join(lane, 'line\nbreak.txt'), 'newline\n');
    git(lane, 'add', '.');
    git(lane, 'commit', '-q', '-m', 'odd names');
    git(lane, 'commit', '-q', '--allow-empty', '-m', 'nothing');
    const result = await commitLaneWork({ ...base, workspacePath: lane, expectedBranch: LANE, baseHead });
    expect(result).toMatchObject({
      commitCount: 2,
      committedByUs: false,
      head: git(lane, 'rev-parse', 'HEAD'),
    });
    expect(result.changedFiles).toEqual(['dir 1/x y.txt', 'line\nbreak.txt']);
  });

  it('returns zero when nothing changed', async () => {
    const baseHead = await captureLaneHead(lane);
    const result = await commitLaneWork({ ...base, workspacePath: lane, expectedBranch: LANE, baseHead });
    expect(result).toMatchObject({ commitCount: 0, committedByUs: false, changedFiles: [], head: baseHead });
  });

  it('does not count a merge of other work into the lane as the agent’s work', async () => {
    const baseHead = await captureLaneHead(lane);
    writeFileSync(path.join(repo.root, 'upstream.txt'), 'someone else\n');
    git(repo.root, 'add', '.');
    git(repo.root, 'commit', '-q', '-m', 'upstream work on main');
    git(lane, 'merge', '-q', '--no-ff', '-m', 'merge main', 'main');
    const result = await commitLaneWork({ ...base, workspacePath: lane, expectedBranch: LANE, baseHead });
    expect(result.commitCount).toBe(0);
    expect(result.changedFiles).toEqual([]);
  });

  it('refuses to commit on a branch other than the expected lane branch', async () => {
    const baseHead = await captureLaneHead(lane);
    git(lane, 'checkout', '-q', '-b', 'agent-side-branch');
    writeFileSync(path.join(lane, 'stray.txt'), 'stray\n');
    const attempt = commitLaneWork({ ...base, workspacePath: lane, expectedBranch: LANE, baseHead });
    await expect(attempt).rejects.toMatchObject({
      code: 'LANE_BRANCH_MISMATCH',
      actualBranch: 'agent-side-branch',
      expectedBranch: LANE,
    });
    await expect(attempt).rejects.toThrow(
      `Refusing to commit: worktree ${lane} is on agent-side-branch, expected ${LANE}`,
    );
    expect(git(lane, 'status', '--porcelain')).toBe('?? stray.txt');
  });

  it('refuses a detached HEAD', async () => {
    const baseHead = await captureLaneHead(lane);
    git(lane, 'checkout', '-q', '--detach');
    await expect(
      commitLaneWork({ ...base, workspacePath: lane, expectedBranch: LANE, baseHead }),
    ).rejects.toThrow(/is on a detached HEAD, expected/);
  });

  it('never commits in the primary checkout, even when it is on the expected branch', async () => {
    git(repo.root, 'checkout', '-q', '-b', 'kitty/odd-lane');
    const baseHead = git(repo.root, 'rev-parse', 'HEAD');
    writeFileSync(path.join(repo.root, 'oops.txt'), 'oops\n');
    await expect(
      commitLaneWork({ ...base, workspacePath: repo.root, expectedBranch: 'kitty/odd-lane', baseHead }),
    ).rejects.toMatchObject({ code: 'UNSAFE_COMMIT_TARGET' });
    expect(git(repo.root, 'rev-list', '--count', 'HEAD')).toBe('1');
  });

  it('never commits to main, even in a linked worktree', async () => {
    git(repo.root, 'checkout', '-q', '-b', 'elsewhere');
    const mainTree = (
      await ensureWorkspace({ repoRoot: repo.root, workspacePath: '.worktrees/on-main', laneBranch: 'main' })
    ).workspacePath;
    writeFileSync(path.join(mainTree, 'oops.txt'), 'oops\n');
    await expect(
      commitLaneWork({
        ...base,
        workspacePath: mainTree,
        expectedBranch: 'main',
        baseHead: await captureLaneHead(mainTree),
      }),
    ).rejects.toMatchObject({ code: 'UNSAFE_COMMIT_TARGET' });
  });

  it('never commits on the branch the primary checkout has checked out', async () => {
    // Only forced can two checkouts share a branch; the primary checkout's work must stay its own.
    git(repo.root, 'checkout', '-q', '--ignore-other-worktrees', LANE);
    const baseHead = await captureLaneHead(lane);
    writeFileSync(path.join(lane, 'oops.txt'), 'oops\n');
    const attempt = commitLaneWork({ ...base, workspacePath: lane, expectedBranch: LANE, baseHead });
    await expect(attempt).rejects.toMatchObject({ code: 'UNSAFE_COMMIT_TARGET' });
    await expect(attempt).rejects.toThrow('is the branch of the primary checkout');
  });

  it('commits in a lane of a bare repository (no primary checkout)', async () => {
    const bare = `${repo.root}-bare.git`;
    git(path.dirname(repo.root), 'clone', '-q', '--bare', repo.root, bare);
    try {
      const bareLane = `${bare}-lane`;
      // The bare repository's HEAD names the lane branch: still no checkout of it to protect.
      git(bare, 'branch', 'main-lane', 'main');
      git(bare, 'symbolic-ref', 'HEAD', 'refs/heads/main-lane');
      git(bare, 'worktree', 'add', '-q', bareLane, 'main-lane');
      const baseHead = await captureLaneHead(bareLane);
      writeFileSync(path.join(bareLane, 'work.txt'), 'work\n');
      const result = await commitLaneWork({
        ...base,
        workspacePath: bareLane,
        expectedBranch: 'main-lane',
        baseHead,
      });
      expect(result).toMatchObject({ commitCount: 1, committedByUs: true, branch: 'main-lane' });
    } finally {
      rmSync(bare, { recursive: true, force: true });
      rmSync(`${bare}-lane`, { recursive: true, force: true });
    }
  });

  it('without a lane branch, commits nothing but still counts the agent’s own commits', async () => {
    const legacy = (await ensureWorkspace({ repoRoot: repo.root, workspacePath: '.worktrees/legacy' }))
      .workspacePath;
    const baseHead = await captureLaneHead(legacy);
    writeFileSync(path.join(legacy, 'left-over.txt'), 'uncommitted\n');
    const result = await commitLaneWork({ ...base, workspacePath: legacy, baseHead });
    expect(result).toMatchObject({ commitCount: 0, committedByUs: false, branch: null });
    expect(git(legacy, 'status', '--porcelain')).toBe('?? left-over.txt');
  });

  it('rejects an unknown base head and multi-line identifiers', async () => {
    await expect(
      commitLaneWork({ ...base, workspacePath: lane, expectedBranch: LANE, baseHead: 'deadbeef' }),
    ).rejects.toMatchObject({ code: 'INVALID_REF' });
    const baseHead = await captureLaneHead(lane);
    writeFileSync(path.join(lane, 'x.txt'), 'x\n');
    await expect(
      commitLaneWork({
        ...base,
        agent: 'evil\nSigned-off-by: x',
        workspacePath: lane,
        expectedBranch: LANE,
        baseHead,
      }),
    ).rejects.toThrow(RangeError);
  });
});
