/** Runs git for the simulator. Never throws for a non-zero exit: callers decide what a failure means. */
import { execFile } from 'node:child_process';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runGit(cwd: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      [...args],
      { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() });
      },
    );
  });
}

export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: GitResult,
  ) {
    super(`git ${args.join(' ')} failed (exit ${result.code}): ${result.stderr || result.stdout}`);
    this.name = 'GitCommandError';
  }
}

export async function gitOrThrow(cwd: string, args: readonly string[]): Promise<string> {
  const result = await runGit(cwd, args);
  if (result.code !== 0) throw new GitCommandError(args, result);
  return result.stdout;
}

export async function branchExists(cwd: string, branch: string): Promise<boolean> {
  return (await runGit(cwd, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`])).code === 0;
}

/** The primary checkout of the repository that `cwd` (maybe a linked worktree) belongs to. */
export async function primaryCheckoutOf(cwd: string): Promise<string | null> {
  const result = await runGit(cwd, ['rev-parse', '--path-format=absolute', '--git-common-dir']);
  if (result.code !== 0) return null;
  const commonDir = result.stdout;
  return commonDir.endsWith('/.git') ? commonDir.slice(0, -'/.git'.length) : null;
}
