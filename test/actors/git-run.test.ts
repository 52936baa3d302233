import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitError, git, runGit } from '../../src/actors/git/git.js';
import { headAndBranch, revParseLines } from '../../src/actors/git/refs.js';
import { createTempRepo, git as gitSync, type TempRepo } from '../support/temp-repo.js';

let repo: TempRepo;
beforeEach(() => {
  repo = createTempRepo('sko-git-run-');
});
afterEach(() => {
  repo.cleanup();
});

describe('runGit', () => {
  it('returns stdout, stderr and the exit code; an accepted non-zero exit is an answer', async () => {
    const head = await runGit(['rev-parse', 'HEAD'], { cwd: repo.root });
    expect(head).toEqual({
      exitCode: 0,
      stdout: `${gitSync(repo.root, 'rev-parse', 'HEAD')}\n`,
      stderr: '',
      truncated: false,
    });
    writeFileSync(path.join(repo.root, '.gitignore'), 'changed\n');
    const dirty = await runGit(['diff', '--quiet'], { cwd: repo.root, okExitCodes: [1] });
    expect(dirty.exitCode).toBe(1);
  });

  it('throws a GitError with git’s own message for any other exit', async () => {
    const attempt = git(['rev-parse', '--verify', 'no-such-ref'], repo.root);
    await expect(attempt).rejects.toBeInstanceOf(GitError);
    await expect(attempt).rejects.toMatchObject({ exitCode: 128, cwd: repo.root });
    await expect(attempt).rejects.toThrow(
      /git rev-parse --verify no-such-ref failed in .* \(exit 128\): fatal/,
    );
  });

  it('cuts output at maxOutput and says so, instead of failing', async () => {
    writeFileSync(path.join(repo.root, 'big.txt'), 'x'.repeat(200_000));
    const cut = await runGit(['diff', '--no-index', '--', '/dev/null', 'big.txt'], {
      cwd: repo.root,
      okExitCodes: [1],
      maxOutput: 1_000,
    });
    expect(cut.truncated).toBe(true);
    expect(cut.stdout).toHaveLength(1_000);
    expect(cut.stdout.startsWith('diff --git')).toBe(true);
    const whole = await runGit(['rev-parse', 'HEAD'], { cwd: repo.root, maxOutput: 41 });
    expect(whole).toMatchObject({ truncated: false, exitCode: 0 });
  });

  it('reports a folder that does not exist as a GitError without an exit code', async () => {
    const missing = path.join(repo.root, 'no-such-folder');
    await expect(git(['status'], missing)).rejects.toMatchObject({ exitCode: undefined, cwd: missing });
  });
});

describe('revParseLines and headAndBranch', () => {
  it('answer several questions in one call, and null when git refuses', async () => {
    const head = gitSync(repo.root, 'rev-parse', 'HEAD');
    expect(await revParseLines(repo.root, ['HEAD^{commit}', '--symbolic-full-name', 'HEAD'], 2)).toEqual([
      head,
      'refs/heads/main',
    ]);
    expect(await revParseLines(repo.root, ['no-such-ref^{commit}'], 1)).toBeNull();
    expect(await revParseLines(repo.root, ['HEAD'], 2)).toBeNull(); // another shape than asked
    expect(await headAndBranch(repo.root)).toEqual({ head, branch: 'main' });
  });

  it('fall back to the precise calls for a HEAD outside refs/heads, and report a detached HEAD', async () => {
    const head = gitSync(repo.root, 'rev-parse', 'HEAD');
    gitSync(repo.root, 'update-ref', 'refs/remotes/origin/feature', head);
    gitSync(repo.root, 'symbolic-ref', 'HEAD', 'refs/remotes/origin/feature');
    expect(await headAndBranch(repo.root)).toEqual({ head, branch: 'origin/feature' });
    gitSync(repo.root, 'checkout', '-q', '--detach', 'main');
    expect(await headAndBranch(repo.root)).toEqual({ head, branch: null });
  });
});
