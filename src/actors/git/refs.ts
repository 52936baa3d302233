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
  if (ref === '' || ref.startsWith('-')) throw new InvalidRefError(ref, what);
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
