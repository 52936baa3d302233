import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prepareHostHome } from './warm-home.js';

/** Identity for every git process a test starts (fresh CI machines have no global identity). */
export const GIT_TEST_ENV = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
} as const;

/**
 * Environment that keeps the real host offline and out of the user's home. HOME too: both host
 * versions write global agent assets (~/.agents/skills) on every start-up, and test files running
 * in parallel against one HOME refuse each other ("Global asset input changed"). Created here,
 * as a copy of a HOME `hostBin` has started in (warm-home.ts) when the global setup made one.
 */
export function hostTestEnv(
  home: string,
  hostBin: string | undefined = process.env.SPEC_KITTY_BIN,
): Record<string, string> {
  prepareHostHome(home, hostBin);
  return { SPEC_KITTY_ENABLE_SAAS_SYNC: '0', SPEC_KITTY_HOME: home, HOME: home };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_TEST_ENV },
  }).trim();
}

export interface TempRepo {
  root: string;
  cleanup(): void;
}

/**
 * A fresh git repository with one commit on `main` and the .gitignore line `spec-kitty init`
 * writes for lane worktrees. The orchestrator's own runtime files are NOT listed: the product
 * keeps them out of `git status` itself (info/exclude), as it must in a user's repository.
 * The path is resolved (macOS /tmp is a symlink) so tests can compare it.
 */
export function createTempRepo(prefix = 'sko-'): TempRepo {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'user.name', GIT_TEST_ENV.GIT_AUTHOR_NAME);
  git(root, 'config', 'user.email', GIT_TEST_ENV.GIT_AUTHOR_EMAIL);
  writeFileSync(path.join(root, '.gitignore'), ['.worktrees/', ''].join('\n'));
  git(root, 'add', '.gitignore');
  git(root, 'commit', '-q', '-m', 'initial commit');
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** The real host binary the global setup installed (or the caller chose). */
export function realHostBin(): string {
  const bin = process.env.SPEC_KITTY_BIN;
  if (!bin)
    throw new Error(
      'SPEC_KITTY_BIN is not set: run the suite through vitest (global setup installs the host)',
    );
  return bin;
}
