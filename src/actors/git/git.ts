/**
 * The one way this project runs git: argv only (never a shell), no prompts, no pager, no
 * editor, English messages, and a typed GitError that carries the command, the folder and
 * git's own stderr (which usually says exactly how to fix the problem).
 */
import { execa } from 'execa';

/** Cap on captured output unless the caller asks for less; lane diffs are bounded separately. */
const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024;

const GIT_ENV = {
  // Never wait for a password on a terminal that nobody watches.
  GIT_TERMINAL_PROMPT: '0',
  // Read-only commands (status, diff) must not take index.lock while an agent works in the tree.
  GIT_OPTIONAL_LOCKS: '0',
  GIT_EDITOR: ':',
  GIT_PAGER: 'cat',
  LC_ALL: 'C',
} as const;

export class GitError extends Error {
  override readonly name = 'GitError';
  readonly code = 'GIT_FAILED' as const;

  constructor(
    readonly args: readonly string[],
    readonly cwd: string,
    readonly exitCode: number | undefined,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    const detail =
      stderr.trim() || (options?.cause instanceof Error ? options.cause.message : 'no error output');
    super(
      `git ${args.join(' ')} failed in ${cwd}${exitCode === undefined ? '' : ` (exit ${exitCode})`}: ${detail}`,
      options,
    );
  }
}

export interface GitRunOptions {
  cwd: string;
  /** Exit codes that are answers, not failures (e.g. 1 for `diff --quiet`). 0 is always accepted. */
  okExitCodes?: readonly number[];
  /** Output beyond this many characters is cut (and `truncated` set) instead of failing. */
  maxOutput?: number;
}

export interface GitRunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Whether stdout was cut at maxOutput. */
  truncated: boolean;
}

export async function runGit(args: readonly string[], options: GitRunOptions): Promise<GitRunResult> {
  const result = await execa('git', args, {
    cwd: options.cwd,
    env: gitEnvironment(),
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    stripFinalNewline: false,
    maxBuffer: options.maxOutput ?? DEFAULT_MAX_BUFFER,
  });
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  if (result.isMaxBuffer && options.maxOutput !== undefined) {
    return { exitCode: 0, stdout, stderr, truncated: true };
  }
  if (result.exitCode === undefined) {
    const missing =
      result.code === 'ENOENT'
        ? 'git is not installed or not on PATH'
        : (result.shortMessage ?? 'git could not be started');
    throw new GitError(args, options.cwd, undefined, missing, { cause: result });
  }
  const accepted = result.exitCode === 0 || (options.okExitCodes ?? []).includes(result.exitCode);
  if (!accepted) throw new GitError(args, options.cwd, result.exitCode, stderr);
  return { exitCode: result.exitCode, stdout, stderr, truncated: false };
}

/**
 * Our environment plus GIT_ENV, minus variables that would point git at another repository
 * (set when the orchestrator itself runs inside a git hook).
 */
function gitEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !REPOSITORY_OVERRIDES.has(name)) env[name] = value;
  }
  return { ...env, ...GIT_ENV };
}

const REPOSITORY_OVERRIDES = new Set([
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_PREFIX',
]);

/** Runs git and returns stdout without the trailing newline; any non-zero exit throws GitError. */
export async function git(args: readonly string[], cwd: string): Promise<string> {
  return (await runGit(args, { cwd })).stdout.replace(/\n$/, '');
}
