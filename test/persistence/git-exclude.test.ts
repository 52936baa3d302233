/**
 * The orchestrator's runtime files stay out of `git status` (host 4.0 refuses to accept a mission
 * in a dirty checkout), through the clone-local info/exclude, without touching .gitignore.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { excludeRuntimeFiles } from '../../src/actors/persistence/git-exclude.js';
import { createTempRepo, git, type TempRepo } from '../support/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

function writeRuntimeFiles(root: string): void {
  mkdirSync(path.join(root, '.kittify', 'orchestrator.lock'), { recursive: true });
  writeFileSync(path.join(root, '.kittify', 'orchestrator.lock', 'owner.json'), '{}');
  writeFileSync(path.join(root, '.kittify', 'orchestrator-run-state.json'), '{}');
  writeFileSync(path.join(root, '.kittify', 'orchestrator-run-state.json.123.tmp'), '{}');
  mkdirSync(path.join(root, '.kittify', 'logs', 'm'), { recursive: true });
  writeFileSync(path.join(root, '.kittify', 'logs', 'm', 'WP01.log'), 'x');
}

describe('excludeRuntimeFiles', () => {
  it('hides the run state, lock and logs from git status, once, and leaves the config visible', async () => {
    const repo = createTempRepo('sko-exclude-');
    repos.push(repo);
    writeRuntimeFiles(repo.root);
    writeFileSync(path.join(repo.root, '.kittify', 'orchestrator.yaml'), 'max_concurrent_wps: 1\n');
    expect(git(repo.root, 'status', '--porcelain', '--untracked-files=all')).toContain(
      'orchestrator-run-state',
    );

    const file = await excludeRuntimeFiles(repo.root);
    await excludeRuntimeFiles(repo.root);
    expect(git(repo.root, 'status', '--porcelain', '--untracked-files=all').trim()).toBe(
      '?? .kittify/orchestrator.yaml',
    );
    const text = readFileSync(file ?? '', 'utf8');
    expect(text.match(/orchestrator-run-state\.json$/gm)).toHaveLength(1);
    expect(git(repo.root, 'status', '--porcelain', '--', '.gitignore')).toBe('');
  });

  it('writes to the common git dir when run from a linked worktree', async () => {
    const repo = createTempRepo('sko-exclude-wt-');
    repos.push(repo);
    const worktree = path.join(repo.root, '..', `${path.basename(repo.root)}-wt`);
    git(repo.root, 'worktree', 'add', '-q', '-b', 'side', worktree);
    const file = await excludeRuntimeFiles(worktree);
    expect(file).toBe(path.join(repo.root, '.git', 'info', 'exclude'));
    writeRuntimeFiles(worktree);
    expect(git(worktree, 'status', '--porcelain', '--untracked-files=all').trim()).toBe('');
    git(repo.root, 'worktree', 'remove', '--force', worktree);
  });

  it('is a no-op outside a git repository', async () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'sko-exclude-plain-'));
    try {
      expect(await excludeRuntimeFiles(plain)).toBeNull();
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
