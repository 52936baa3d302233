/**
 * The orchestrator's own runtime files (run state, lock, agent logs and registry) must not show
 * as untracked changes: a user's `git status` would be noisy, and host 4.0 refuses to accept a
 * mission while the checkout is dirty (`git_dirty` in its readiness verdict). They are listed in
 * the repository's `info/exclude` (the clone-local ignore file git reads like a .gitignore and
 * never commits), once; the user's config `.kittify/orchestrator.yaml` is left alone (theirs to
 * commit or not).
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { git } from '../git/git.js';
import { KITTIFY_DIR, LOCK_FILE, RUN_STATE_FILE } from './paths.js';

export const RUNTIME_IGNORE_PATTERNS: readonly string[] = [
  `/${KITTIFY_DIR}/${RUN_STATE_FILE}`,
  `/${KITTIFY_DIR}/${RUN_STATE_FILE}.*`,
  `/${KITTIFY_DIR}/${LOCK_FILE}/`,
  `/${KITTIFY_DIR}/logs/`,
];

const HEADER = '# spec-kitty-orchestrator runtime files (added by spec-kitty-orchestrator)';

/**
 * Adds the patterns `info/exclude` lacks. Returns the exclude file's path, or null when
 * `repoRoot` is not in a git repository (nothing to keep clean then).
 */
export async function excludeRuntimeFiles(
  repoRoot: string,
  patterns: readonly string[] = RUNTIME_IGNORE_PATTERNS,
): Promise<string | null> {
  let commonDir: string;
  try {
    commonDir = (await git(['rev-parse', '--git-common-dir'], repoRoot)).trim();
  } catch {
    return null;
  }
  const infoDir = path.resolve(repoRoot, commonDir, 'info');
  const file = path.join(infoDir, 'exclude');
  let existing = '';
  try {
    existing = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const present = new Set(existing.split('\n').map((line) => line.trim()));
  const missing = patterns.filter((pattern) => !present.has(pattern));
  if (missing.length === 0) return file;
  await mkdir(infoDir, { recursive: true });
  const lead = existing === '' || existing.endsWith('\n') ? '' : '\n';
  const header = present.has(HEADER) ? [] : [HEADER];
  await appendFile(file, `${lead}${[...header, ...missing].join('\n')}\n`);
  return file;
}
