/**
 * The one way this project runs git: argv only (never a shell), no prompts, no pager, no
 * editor, English messages, and a typed GitError that carries the command, the folder and
 * git's own stderr (which usually says exactly how to fix the problem).
 *
 * Built on node:child_process rather than execa: a run makes ~7 git calls per WP, and execa's
 * per-call machinery (option normalisation, stream plumbing, result objects) cost about 1.5 ms of
 * our own CPU per call on top of the ~1 ms the spawn itself costs, measured with the bench.
 * All we need is argv, an environment, captured output with a cap, and the exit code.
 */
import { spawn } from 'node:child_process';

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
  const maxOutput = options.maxOutput ?? DEFAULT_MAX_BUFFER;
  const result = await spawnGit(args, options.cwd, maxOutput);
  if (result.truncated && options.maxOutput !== undefined) {
    return { exitCode: 0, stdout: result.stdout, stderr: result.stderr, truncated: true };
  }
  if (result.exitCode === null) {
    const missing =
      result.startError?.code === 'ENOENT'
        ? 'git is not installed or not on PATH'
        : result.truncated
          ? `git's output was larger than ${maxOutput} characters`
          : result.startError
            ? `git could not be started: ${result.startError.message}`
            : `git was killed by ${result.signal ?? 'a signal'}`;
    throw new GitError(args, options.cwd, undefined, missing, {
      cause: result.startError ?? new Error(missing),
    });
  }
  const accepted = result.exitCode === 0 || (options.okExitCodes ?? []).includes(result.exitCode);
  if (!accepted) throw new GitError(args, options.cwd, result.exitCode, result.stderr);
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, truncated: false };
}

interface SpawnedGit {
  /** null when git did not start, was killed, or was stopped because its output hit the cap. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout (or stderr) went past `maxOutput` characters: it is cut there and git was stopped. */
  truncated: boolean;
  startError?: NodeJS.ErrnoException;
}

function spawnGit(args: readonly string[], cwd: string, maxOutput: number): Promise<SpawnedGit> {
  return new Promise((resolve) => {
    const child = spawn('git', args, {
      cwd,
      env: gitEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const output = { stdout: '', stderr: '' };
    let truncated = false;
    let startError: NodeJS.ErrnoException | undefined;
    const capture = (stream: NodeJS.ReadableStream, key: keyof typeof output) => {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        if (truncated) return;
        output[key] += chunk;
        if (output[key].length > maxOutput) {
          // The caller asked for at most this much: keep the start, stop git.
          output[key] = output[key].slice(0, maxOutput);
          truncated = true;
          child.kill('SIGTERM');
        }
      });
    };
    capture(child.stdout, 'stdout');
    capture(child.stderr, 'stderr');
    child.once('error', (error) => {
      startError = error;
    });
    // 'close' follows 'exit' once both pipes are drained, and also follows a start error.
    child.once('close', (code, signal) => {
      resolve({
        exitCode: truncated || startError ? null : code,
        signal,
        ...output,
        truncated,
        ...(startError ? { startError } : {}),
      });
    });
  });
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
