/**
 * Runs one short-lived process and captures its output: argv only (never a shell), stdin closed,
 * stdout and stderr decoded as UTF-8 up to a byte cap each, a time limit and an AbortSignal that
 * both stop it (SIGTERM, then SIGKILL after a grace). It never throws: every way a run can end is
 * a field of the result, and exec-transport.ts turns those into typed host errors.
 *
 * Built on node:child_process rather than execa: a run makes ~5 host calls per WP, and execa's
 * per-call machinery (option normalisation, stream plumbing, its result object) cost about 1.5 ms
 * of our own CPU per call on top of the ~0.8 ms of the spawn itself (measured in one process
 * alternating both, 300 calls each, at 100 and 280 MB RSS). git.ts made the same move for git.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface CapturedRunOptions {
  cwd: string;
  /** The whole environment of the process (nothing is added). */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Per stream, in bytes: beyond it the process is stopped and `outputTooLarge` set. */
  maxOutputBytes: number;
  /** Grace between SIGTERM and SIGKILL when we stop it. */
  forceKillAfterMs: number;
  signal?: AbortSignal | undefined;
  /**
   * Leader of its own process group and left running if we exit (a lane change once sent runs to
   * its end). Otherwise it shares our group and is stopped when our process exits.
   */
  detached?: boolean | undefined;
}

export interface CapturedRun {
  stdout: string;
  stderr: string;
  /** null when it did not start, or was killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
  /** Set when it could not be started (ENOENT: not found, EACCES: not executable, ...). */
  startError?: NodeJS.ErrnoException;
  timedOut: boolean;
  canceled: boolean;
  outputTooLarge: boolean;
}

type StopReason = 'timedOut' | 'canceled' | 'outputTooLarge';

/** Attached children still running; stopped if our process exits first (see stopOnExit). */
const attached = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * An attached child is in our process group, so a terminal's Ctrl-C reaches it anyway; this covers
 * the exits a terminal does not see (process.exit after an error, the end of the event loop).
 */
function stopOnExit(child: ChildProcess): void {
  attached.add(child);
  child.once('close', () => attached.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const running of attached) running.kill('SIGTERM');
  });
}

export function runCaptured(
  file: string,
  args: readonly string[],
  options: CapturedRunOptions,
): Promise<CapturedRun> {
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.detached === true,
      windowsHide: true,
    });
    // Decoded once at the end: a chunk may end inside a multi-byte character.
    const chunks: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
    const bytes = { stdout: 0, stderr: 0 };
    /** Why we stopped it; the first reason counts. */
    let stoppedFor: StopReason | null = null;
    let startError: NodeJS.ErrnoException | undefined;
    let killTimer: ReturnType<typeof setTimeout> | undefined;

    /** SIGTERM now, SIGKILL after the grace if it is still there. */
    const stop = (reason: StopReason) => {
      if (stoppedFor !== null) return;
      stoppedFor = reason;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.forceKillAfterMs);
      killTimer.unref();
    };
    const capture = (stream: NodeJS.ReadableStream | null, key: keyof typeof chunks) => {
      stream?.on('data', (chunk: Buffer) => {
        if (stoppedFor === 'outputTooLarge') return;
        bytes[key] += chunk.length;
        if (bytes[key] > options.maxOutputBytes) {
          stop('outputTooLarge');
          return;
        }
        chunks[key].push(chunk);
      });
    };
    capture(child.stdout, 'stdout');
    capture(child.stderr, 'stderr');

    const timeout = setTimeout(() => stop('timedOut'), options.timeoutMs);
    const onAbort = () => stop('canceled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (!options.detached) stopOnExit(child);

    child.once('error', (error: NodeJS.ErrnoException) => {
      startError = error;
    });
    // 'close' follows 'exit' once both pipes are drained, and also follows a start error.
    child.once('close', (code, signal) => {
      clearTimeout(timeout);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({
        stdout: Buffer.concat(chunks.stdout).toString('utf8'),
        stderr: Buffer.concat(chunks.stderr).toString('utf8'),
        exitCode: startError ? null : code,
        signal,
        durationMs: performance.now() - startedAt,
        ...(startError ? { startError } : {}),
        timedOut: stoppedFor === 'timedOut',
        canceled: stoppedFor === 'canceled',
        outputTooLarge: stoppedFor === 'outputTooLarge',
      });
    });
  });
}
