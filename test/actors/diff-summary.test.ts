import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { laneDiffSummary } from '../../src/actors/git/diff-summary.js';
import { ensureWorkspace } from '../../src/actors/git/workspace.js';
import { createTempRepo, git, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo;
let lane: string;

beforeEach(async () => {
  repo = createTempRepo('sko-diff-');
  lane = (
    await ensureWorkspace({
      repoRoot: repo.root,
      workspacePath: '.worktrees/lane-a',
      laneBranch: 'kitty/lane-a',
    })
  ).workspacePath;
});

afterEach(() => {
  repo.cleanup();
});

function commitInLane(file: string, content: string): void {
  writeFileSync(path.join(lane, file), content);
  git(lane, 'add', '.');
  git(lane, 'commit', '-q', '-m', `add ${file}`);
}

describe('laneDiffSummary', () => {
  it('shows the diffstat and the whole patch when it fits', async () => {
    commitInLane('feature.ts', 'export const answer = 42;\n');
    // Work on main after the lane forked must not show up (three-dot range).
    writeFileSync(path.join(repo.root, 'main-only.txt'), 'main\n');
    git(repo.root, 'add', '.');
    git(repo.root, 'commit', '-q', '-m', 'main moves on');

    const summary = await laneDiffSummary({ workspacePath: lane, baseRef: 'main', maxChars: 10_000 });
    expect(summary).toContain('feature.ts | 1 +');
    expect(summary).toContain('+export const answer = 42;');
    expect(summary).not.toContain('main-only.txt');
    expect(summary).not.toContain('truncated');
  });

  it('stays within maxChars for a huge change and says it was cut', async () => {
    commitInLane('big.txt', `${'a long line of generated text\n'.repeat(200_000)}`);
    const summary = await laneDiffSummary({ workspacePath: lane, baseRef: 'main', maxChars: 4_000 });
    expect(summary.length).toBeLessThanOrEqual(4_000);
    expect(summary).toContain('big.txt');
    expect(summary).toContain('+a long line of generated text');
    expect(summary).toContain('[patch truncated');
  });

  it('says so when there are no changes, and refuses an unknown base', async () => {
    expect(await laneDiffSummary({ workspacePath: lane, baseRef: 'main', maxChars: 1_000 })).toBe(
      'No changes between main and HEAD.\n',
    );
    await expect(
      laneDiffSummary({ workspacePath: lane, baseRef: 'nope', maxChars: 1_000 }),
    ).rejects.toMatchObject({
      code: 'INVALID_REF',
    });
  });

  it('cuts a diffstat longer than the budget and shows no patch', async () => {
    for (let file = 0; file < 200; file += 1)
      writeFileSync(path.join(lane, `generated-file-number-${file}.txt`), `${file}\n`);
    git(lane, 'add', '.');
    git(lane, 'commit', '-q', '-m', 'many files');
    const summary = await laneDiffSummary({ workspacePath: lane, baseRef: 'main', maxChars: 2_000 });
    expect(summary.length).toBeLessThanOrEqual(2_000);
    expect(summary).toMatch(/generated-file-number-0\.txt +\| 1 \+/);
    expect(summary).not.toContain('diff --git');
    expect(summary).not.toContain('generated-file-number-199.txt');
  });

  it('refuses an option-like base without running git', async () => {
    await expect(
      laneDiffSummary({ workspacePath: lane, baseRef: '--output=/tmp/x', maxChars: 1_000 }),
    ).rejects.toMatchObject({ code: 'INVALID_REF' });
  });

  it('returns only a cut diffstat when the budget is tiny', async () => {
    commitInLane('small.txt', 'x\n');
    const summary = await laneDiffSummary({ workspacePath: lane, baseRef: 'main', maxChars: 60 });
    expect(summary.length).toBeLessThanOrEqual(60);
    expect(summary.startsWith('Changes since main')).toBe(true);
  });
});
