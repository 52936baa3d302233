import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitError } from '../../src/actors/git/git.js';
import { captureLaneHead, ensureWorkspace } from '../../src/actors/git/workspace.js';
import { createTempRepo, git, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo;
const extraDirs: string[] = [];

beforeEach(() => {
  repo = createTempRepo('sko-ws-');
});

afterEach(() => {
  repo.cleanup();
  for (const dir of extraDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('ensureWorkspace', () => {
  it('refuses a path outside the repository root, naming both paths', async () => {
    const outside = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-outside-')));
    extraDirs.push(outside);
    const attempt = ensureWorkspace({ repoRoot: repo.root, workspacePath: path.join(outside, 'lane-a') });
    await expect(attempt).rejects.toMatchObject({ code: 'WORKSPACE_OUTSIDE_REPO', repoRoot: repo.root });
    await expect(attempt).rejects.toThrow(path.join(outside, 'lane-a'));
  });

  it('refuses `..` escapes and symlinks that lead outside', async () => {
    await expect(
      ensureWorkspace({ repoRoot: repo.root, workspacePath: '.worktrees/../../escape' }),
    ).rejects.toMatchObject({ code: 'WORKSPACE_OUTSIDE_REPO' });

    const outside = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-outside-')));
    extraDirs.push(outside);
    symlinkSync(outside, path.join(repo.root, 'sneaky'));
    await expect(
      ensureWorkspace({ repoRoot: repo.root, workspacePath: path.join(repo.root, 'sneaky', 'lane-a') }),
    ).rejects.toMatchObject({ code: 'WORKSPACE_OUTSIDE_REPO', workspacePath: path.join(outside, 'lane-a') });
  });

  it('creates a missing path as a worktree on a new lane branch from baseRef', async () => {
    const mainHead = git(repo.root, 'rev-parse', 'HEAD');
    git(repo.root, 'checkout', '-q', '-b', 'feature');
    writeFileSync(path.join(repo.root, 'feature.txt'), 'feature work\n');
    git(repo.root, 'add', '.');
    git(repo.root, 'commit', '-q', '-m', 'feature commit');

    const workspace = await ensureWorkspace({
      repoRoot: repo.root,
      workspacePath: '.worktrees/001-demo-lane-a',
      laneBranch: 'kitty/mission-001-demo-lane-a',
      baseRef: 'main',
    });
    const expectedPath = path.join(repo.root, '.worktrees', '001-demo-lane-a');
    expect(workspace).toEqual({
      workspacePath: expectedPath,
      created: true,
      head: mainHead,
      branch: 'kitty/mission-001-demo-lane-a',
    });
    expect(git(expectedPath, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('kitty/mission-001-demo-lane-a');
    expect(git(repo.root, 'worktree', 'list', '--porcelain')).toContain(`worktree ${expectedPath}`);
    expect(await captureLaneHead(expectedPath)).toBe(mainHead);
  });

  it('checks out an existing lane branch as it is', async () => {
    git(repo.root, 'branch', 'kitty/lane-b');
    const laneTip = git(repo.root, 'rev-parse', 'kitty/lane-b');
    writeFileSync(path.join(repo.root, 'later.txt'), 'later\n');
    git(repo.root, 'add', '.');
    git(repo.root, 'commit', '-q', '-m', 'main moves on');

    const workspace = await ensureWorkspace({
      repoRoot: repo.root,
      workspacePath: path.join(repo.root, '.worktrees', 'lane-b'),
      laneBranch: 'kitty/lane-b',
      baseRef: 'main',
    });
    expect(workspace.created).toBe(true);
    expect(workspace.branch).toBe('kitty/lane-b');
    expect(workspace.head).toBe(laneTip);
  });

  it('creates a detached worktree at HEAD without a lane branch', async () => {
    const workspace = await ensureWorkspace({ repoRoot: repo.root, workspacePath: '.worktrees/legacy' });
    expect(workspace.created).toBe(true);
    expect(workspace.branch).toBeNull();
    expect(workspace.head).toBe(git(repo.root, 'rev-parse', 'HEAD'));
  });

  it('reuses an existing worktree without touching it', async () => {
    const first = await ensureWorkspace({
      repoRoot: repo.root,
      workspacePath: '.worktrees/lane-c',
      laneBranch: 'kitty/lane-c',
    });
    writeFileSync(path.join(first.workspacePath, 'wip.txt'), 'uncommitted\n');
    const again = await ensureWorkspace({
      repoRoot: repo.root,
      workspacePath: '.worktrees/lane-c',
      laneBranch: 'kitty/lane-c',
    });
    expect(again).toEqual({ ...first, created: false });
    expect(git(first.workspacePath, 'status', '--porcelain')).toBe('?? wip.txt');
  });

  it('recreates a worktree whose folder was deleted by hand', async () => {
    const first = await ensureWorkspace({
      repoRoot: repo.root,
      workspacePath: '.worktrees/lane-d',
      laneBranch: 'kitty/lane-d',
    });
    rmSync(first.workspacePath, { recursive: true, force: true });
    const again = await ensureWorkspace({
      repoRoot: repo.root,
      workspacePath: '.worktrees/lane-d',
      laneBranch: 'kitty/lane-d',
    });
    expect(again.created).toBe(true);
    expect(again.branch).toBe('kitty/lane-d');
  });

  it('refuses an existing plain folder inside the primary checkout', async () => {
    mkdirSync(path.join(repo.root, '.worktrees', 'not-a-worktree'), { recursive: true });
    await expect(
      ensureWorkspace({ repoRoot: repo.root, workspacePath: '.worktrees/not-a-worktree' }),
    ).rejects.toMatchObject({ code: 'WORKSPACE_NOT_A_WORKTREE' });
  });

  it('prepares several lanes of one repository concurrently', async () => {
    const workspaces = await Promise.all(
      ['e', 'f', 'g', 'h'].map((lane) =>
        ensureWorkspace({
          repoRoot: repo.root,
          workspacePath: `.worktrees/lane-${lane}`,
          laneBranch: `kitty/lane-${lane}`,
        }),
      ),
    );
    expect(workspaces.map((workspace) => workspace.branch)).toEqual([
      'kitty/lane-e',
      'kitty/lane-f',
      'kitty/lane-g',
      'kitty/lane-h',
    ]);
    expect(workspaces.every((workspace) => workspace.created)).toBe(true);
  });

  it('reports invalid branch names and base refs as typed errors', async () => {
    await expect(
      ensureWorkspace({ repoRoot: repo.root, workspacePath: '.worktrees/bad', laneBranch: 'bad..name' }),
    ).rejects.toMatchObject({ code: 'INVALID_REF' });
    await expect(
      ensureWorkspace({
        repoRoot: repo.root,
        workspacePath: '.worktrees/bad',
        laneBranch: 'kitty/ok',
        baseRef: 'no-such-ref',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_REF', ref: 'no-such-ref' });
  });

  it('wraps git failures with the path and branch (a branch checked out elsewhere)', async () => {
    const attempt = ensureWorkspace({
      repoRoot: repo.root,
      workspacePath: '.worktrees/main-again',
      laneBranch: 'main',
    });
    await expect(attempt).rejects.toMatchObject({ code: 'WORKSPACE_CREATE_FAILED', laneBranch: 'main' });
    await expect(attempt).rejects.toSatisfy((error: Error) => error.cause instanceof GitError);
  });
});
