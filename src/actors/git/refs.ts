/** Small ref questions shared by the workspace and lane-commit code. */
import { InvalidRefError } from './errors.js';
import { git, runGit } from './git.js';

/** Current branch name, or null on a detached HEAD. */
export async function currentBranch(cwd: string): Promise<string | null> {
  const result = await runGit(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd, okExitCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

export async function headSha(cwd: string): Promise<string> {
  return git(['rev-parse', '--verify', 'HEAD^{commit}'], cwd);
}

export async function branchExists(cwd: string, branch: string): Promise<boolean> {
  const result = await runGit(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], {
    cwd,
    okExitCodes: [1],
  });
  return result.exitCode === 0;
}

/** The commit a ref names; a ref that names none (or looks like an option) is an InvalidRefError. */
export async function resolveCommit(cwd: string, ref: string, what: string): Promise<string> {
  if (!isPlainRef(ref)) throw new InvalidRefError(ref, what);
  const result = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd,
    okExitCodes: [1],
  });
  if (result.exitCode !== 0) throw new InvalidRefError(ref, what);
  return result.stdout.trim();
}

export async function assertValidBranchName(cwd: string, branch: string): Promise<void> {
  if (branch === '' || branch.startsWith('-')) throw new InvalidRefError(branch, 'Branch name');
  const result = await runGit(['check-ref-format', '--branch', branch], { cwd, okExitCodes: [1, 128] });
  if (result.exitCode !== 0) throw new InvalidRefError(branch, 'Branch name');
}

/**
 * Several rev-parse answers in one git process (one line per answer), or null when git refuses
 * or answers in another shape. Callers then fall back to the one-question calls above, which
 * give the precise typed error: this is only the fast path, never the judge.
 */
export async function revParseLines(
  cwd: string,
  args: readonly string[],
  lines: number,
): Promise<string[] | null> {
  try {
    const answer = await runGit(['rev-parse', ...args], { cwd });
    const parts = answer.stdout.replace(/\n$/, '').split('\n');
    return parts.length === lines && parts.every((part) => part !== '') ? parts : null;
  } catch {
    return null;
  }
}

/**
 * The branch behind `rev-parse --symbolic-full-name HEAD`: a branch name, null for a detached
 * HEAD, undefined for anything else (HEAD on a ref outside refs/heads: ask currentBranch).
 */
export function branchOfSymbolicHead(name: string): string | null | undefined {
  if (name === 'HEAD') return null;
  return name.startsWith('refs/heads/') ? name.slice('refs/heads/'.length) : undefined;
}

/** A ref we may put on a git command line (never empty, never option-like). */
export function isPlainRef(ref: string): boolean {
  return ref !== '' && !ref.startsWith('-');
}

/** HEAD's commit and branch in one git call (two when HEAD is unusual); as headSha + currentBranch. */
export async function headAndBranch(cwd: string): Promise<{ head: string; branch: string | null }> {
  const fast = await revParseLines(cwd, ['HEAD^{commit}', '--symbolic-full-name', 'HEAD'], 2);
  const branch = fast ? branchOfSymbolicHead(fast[1] as string) : undefined;
  if (fast && branch !== undefined) return { head: fast[0] as string, branch };
  return { head: await headSha(cwd), branch: await currentBranch(cwd) };
}
