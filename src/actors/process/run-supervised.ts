/**
 * Runs one agent process under supervision: its own process group, prompt on a pre-opened
 * stdin file, output streamed to a log file with only a bounded tail in memory, a timeout and
 * an AbortSignal that both take down the whole group (SIGTERM, grace, SIGKILL), and a final
 * sweep so nothing the agent started outlives it.
 *
 * Built on node:child_process rather than execa: we need a raw fd as stdin, our own streaming
 * into a log file with back-pressure and a fixed-size tail (execa buffers by default), and group
 * kills (execa's forceKillAfterDelay signals only the direct child). Turning all of that off in
 * execa would leave little of it in use.
 *
 * A process that cannot be started at all (binary missing, not executable, cwd missing) does
 * not throw: it resolves with `spawnFailure` set, exitCode and signal null and the explanation
 * in stderrTail and in the log, so callers have one path for every attempt. Only a log file
 * that cannot be opened throws (AgentLogError), before anything is started.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentInvocation, ProcessOutcome, SpawnFailure } from '../../agents/types.js';
import { type AgentLog, logFooter, logHeader, openAgentLog } from './agent-log.js';
import { trackGroup, untrackGroup } from './live-groups.js';
import { OutputTail } from './output-tail.js';
import { isProcessGroupAlive, killProcessGroup } from './process-group.js';
import { describeSpawnFailure, missingCwdFailure } from './spawn-failure.js';
import { openStdinSource } from './stdin-source.js';

export { isProcessAlive, isProcessGroupAlive, killProcessGroup } from './process-group.js';

export const DEFAULT_GRACE_MS = 5_000;
export const DEFAULT_TAIL_BYTES = 256 * 1024;
/** Once the group is gone its pipes close at once; only an escaped (setsid) helper keeps them open. */
const OUTPUT_SETTLE_MS = 2_000;

export interface RunSupervisedOptions {
  invocation: AgentInvocation;
  cwd: string;
  /** Appended to; the caller picks one path per mission/WP/role/attempt (see agentLogPath). */
  logPath: string;
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL. */
  graceMs?: number;
  /** Aborting stops the run the same way a timeout does; the outcome then has canceled: true. */
  signal?: AbortSignal;
  /** Bytes of stdout and of stderr kept in memory (each). */
  tailBytes?: number;
  /**
   * Called with the pid (= process group id) as soon as spawn returns, before anything is
   * awaited (the process may already run): record it to reap after a crash. If it throws, the process is stopped and the error
   * rethrown.
   */
  onStart?: (pid: number) => void;
  /** Added to the invocation's environment (the reaper's mark, see agent-mark.ts). */
  env?: Record<string, string>;
}

export async function runSupervised(options: RunSupervisedOptions): Promise<ProcessOutcome> {
  const { invocation, cwd, logPath, timeoutMs, signal, onStart } = options;
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const tailBytes = options.tailBytes ?? DEFAULT_TAIL_BYTES;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0))
    throw new RangeError(`timeoutMs must be > 0, got ${timeoutMs}`);
  if (!(Number.isFinite(graceMs) && graceMs >= 0))
    throw new RangeError(`graceMs must be >= 0, got ${graceMs}`);

  const startedAt = performance.now();
  const log = await openAgentLog(logPath);
  const stdoutTail = new OutputTail(tailBytes);
  const stderrTail = new OutputTail(tailBytes);
  const header = logHeader({
    file: invocation.file,
    args: invocation.args,
    cwd,
    stdinBytes: invocation.stdinPrompt === undefined ? null : Buffer.byteLength(invocation.stdinPrompt),
    timeoutMs,
  });
  log.write(header);

  const outcome = (fields: Partial<ProcessOutcome>): ProcessOutcome => ({
    exitCode: null,
    signal: null,
    timedOut: false,
    canceled: false,
    stdoutTail: stdoutTail.text(),
    stderrTail: stderrTail.text(),
    durationMs: Math.round(performance.now() - startedAt),
    logPath,
    ...fields,
  });
  const notStarted = async (failure: SpawnFailure): Promise<ProcessOutcome> => {
    stderrTail.push(Buffer.from(failure.message));
    log.write(logFooter(`not started: ${failure.message}`));
    await log.close();
    return outcome({ spawnFailure: failure });
  };

  if (signal?.aborted) {
    log.write(logFooter('canceled before start'));
    await log.close();
    return outcome({ canceled: true });
  }
  if (!(await isDirectory(cwd))) return notStarted(missingCwdFailure(invocation.file, cwd));

  const stdin = await openStdinSource(invocation.stdinPrompt);
  let child: ChildProcess;
  let started: Promise<Error | null>;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What onStart threw; the process is stopped once the bookkeeping below is in place. */
  let recordFailure: { error: unknown } | undefined;
  try {
    child = spawn(invocation.file, invocation.args, {
      cwd,
      // PWD names the cwd, not ours: opencode and Kilo take their project folder from PWD, and
      // ours is the directory the user started us from (the primary checkout), so an inherited
      // PWD sent their edits and shell commands there instead of into the WP's worktree.
      env: { ...process.env, ...invocation.env, ...options.env, PWD: path.resolve(cwd) },
      stdio: [stdin.stdio, 'pipe', 'pipe'],
      // Leader of its own group, so one signal to -pid reaches everything it starts.
      detached: true,
      windowsHide: true,
    });
    // Listen before any await: 'spawn' and 'error' are emitted on the next tick.
    const spawned = child;
    started = new Promise((resolve) => {
      spawned.once('spawn', () => resolve(null));
      spawned.once('error', resolve);
    });
    exited = new Promise((resolve) => {
      spawned.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal }));
    });
    // Later 'error' events (a failed kill) must not crash the orchestrator; the group kill covers it.
    spawned.on('error', () => {});
    // The pid exists once spawn returns (a failed exec leaves it undefined). Recorded now rather
    // than after the 'spawn' event, so a SIGKILL of ours has the smallest window in which the
    // group is on no record; the mark in its environment (see agent-mark.ts) covers that window.
    if (spawned.pid !== undefined && onStart) {
      try {
        onStart(spawned.pid);
      } catch (error) {
        recordFailure = { error };
      }
    }
  } catch (error) {
    return notStarted(describeSpawnFailure(invocation.file, cwd, error));
  } finally {
    // The child got its own copy of the descriptor during spawn.
    await stdin.release();
  }

  const startError = await started;
  if (startError || child.pid === undefined) {
    return notStarted(describeSpawnFailure(invocation.file, cwd, startError));
  }
  const pid = child.pid;
  trackGroup(pid);
  log.write(`pid: ${pid} (process group ${pid})\n---\n`);
  const outputClosed = streamOutput(child, log, stdoutTail, stderrTail);

  let endReason: 'timeout' | 'cancel' | null = null;
  let termination: Promise<unknown> | undefined;
  const terminate = (reason: 'timeout' | 'cancel'): void => {
    if (termination) return;
    endReason = reason;
    const why = reason === 'timeout' ? `timed out after ${timeoutMs} ms` : 'canceled';
    log.write(logFooter(`${why}; SIGTERM to process group ${pid}, SIGKILL after ${graceMs} ms`));
    termination = killProcessGroup(pid, graceMs).catch(() => {});
  };
  const timer = setTimeout(() => terminate('timeout'), timeoutMs);
  const onAbort = (): void => terminate('cancel');
  signal?.addEventListener('abort', onAbort, { once: true });

  if (recordFailure) {
    // A caller that cannot record the pid cannot reap it after a crash: stop rather than run blind.
    terminate('cancel');
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    await termination;
    await finishRun(child, pid, graceMs, log, outputClosed);
    log.write(logFooter('stopped: the onStart callback threw'));
    await log.close();
    throw recordFailure.error;
  }

  const exit = await exited;
  clearTimeout(timer);
  signal?.removeEventListener('abort', onAbort);
  if (termination) await termination;
  await finishRun(child, pid, graceMs, log, outputClosed);
  const ending = endReason === 'timeout' ? ', timed out' : endReason === 'cancel' ? ', canceled' : '';
  log.write(logFooter(`ended: exit code ${exit.code}, signal ${exit.signal}${ending}`));
  await log.close();
  return outcome({
    exitCode: exit.code,
    signal: exit.signal,
    timedOut: endReason === 'timeout',
    canceled: endReason === 'cancel',
  });
}

/** Sweeps what is left of the group and waits (bounded) for the output pipes to drain. */
async function finishRun(
  child: ChildProcess,
  pid: number,
  graceMs: number,
  log: AgentLog,
  outputClosed: Promise<void>,
): Promise<void> {
  if (isProcessGroupAlive(pid)) {
    log.write(logFooter(`agent exited but left processes in group ${pid}; terminating them`));
    await killProcessGroup(pid, graceMs).catch(() => {});
  }
  untrackGroup(pid);
  // The settle timer is cancelled once the output closes: a pending timer would keep the
  // process alive for up to OUTPUT_SETTLE_MS after the run ended.
  const settle = new AbortController();
  const closed = await Promise.race([
    outputClosed.then(() => true),
    sleep(OUTPUT_SETTLE_MS, false, { signal: settle.signal }).catch(() => false),
  ]);
  settle.abort();
  if (!closed) {
    log.write(
      logFooter('output still open after the process group ended (a helper left the group); detached'),
    );
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
}

/**
 * Pipes stdout and stderr into the log and the tails. When the log falls behind, both pipes
 * are paused, so the child blocks on its writes instead of our memory growing.
 */
function streamOutput(
  child: ChildProcess,
  log: AgentLog,
  stdoutTail: OutputTail,
  stderrTail: OutputTail,
): Promise<void> {
  const streams = [child.stdout, child.stderr].filter((stream) => stream !== null);
  let paused = false;
  const resume = (): void => {
    paused = false;
    for (const stream of streams) stream.resume();
  };
  const forward = (tail: OutputTail) => (chunk: Buffer) => {
    tail.push(chunk);
    if (!log.write(chunk) && !paused) {
      paused = true;
      for (const stream of streams) stream.pause();
      log.onceDrained(resume);
    }
  };
  child.stdout?.on('data', forward(stdoutTail));
  child.stderr?.on('data', forward(stderrTail));
  return Promise.all(
    streams.map((stream) => new Promise<void>((resolve) => stream.once('close', () => resolve()))),
  ).then(() => {});
}

async function isDirectory(candidate: string): Promise<boolean> {
  try {
    return (await stat(candidate)).isDirectory();
  } catch {
    return false;
  }
}
