/** Where the orchestrator keeps its provider-local files, all under the repository's `.kittify/`. */
import path from 'node:path';

export const KITTIFY_DIR = '.kittify';
export const RUN_STATE_FILE = 'orchestrator-run-state.json';
export const LOCK_FILE = 'orchestrator.lock';

export function kittifyDir(repoRoot: string): string {
  return path.join(repoRoot, KITTIFY_DIR);
}

export function runStatePath(repoRoot: string): string {
  return path.join(repoRoot, KITTIFY_DIR, RUN_STATE_FILE);
}

export function lockPath(repoRoot: string): string {
  return path.join(repoRoot, KITTIFY_DIR, LOCK_FILE);
}

/**
 * A path as a user should see it in a message: relative to the working directory when the file
 * is below it (short, clickable in terminals and editors), absolute otherwise (never `../../x`).
 */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return file;
  return relative;
}
