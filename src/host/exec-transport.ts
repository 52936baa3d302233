/**
 * The ONE place that starts the real host process. Everything else sees a HostTransport: argv in,
 * RawHostResult out. Failures of the process itself (missing binary, timeout, cancel, runaway
 * output) become typed errors here; a non-zero exit is not a failure (the envelope says why).
 */
import type { HostTransport, RawHostResult, TransportCallOptions } from './api.js';
import { runCaptured } from './captured-process.js';
import {
  HostBinaryNotFoundError,
  HostCanceledError,
  HostOutputTooLargeError,
  HostTimeoutError,
} from './transport-errors.js';

export interface ExecTransportOptions {
  /** The repository root (the primary checkout, not a worktree): cwd and SPECIFY_REPO_ROOT. */
  repoRoot: string;
  /** The `spec-kitty` executable. Default: $SPEC_KITTY_BIN, else `spec-kitty` on PATH. */
  hostBin?: string | undefined;
  /** Extra environment on top of ours (e.g. SPEC_KITTY_HOME, SPEC_KITTY_ENABLE_SAAS_SYNC). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * Per call, unless the call asks for less (HostClient gives reads a shorter limit). A normal
   * call takes 1 to 2 s, 5 to 13 s on a loaded machine; merges can take much longer. Default 300 000.
   */
  timeoutMs?: number | undefined;
  /** Per stream. The host's largest answer (mission-state) is a few KB. Default 8 MiB. */
  maxOutputBytes?: number | undefined;
  /** Grace between SIGTERM and SIGKILL on timeout or cancel. Default 3 000. */
  forceKillAfterMs?: number | undefined;
}

export const DEFAULT_HOST_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

export function defaultHostBin(): string {
  return process.env.SPEC_KITTY_BIN || 'spec-kitty';
}

export function createExecTransport(options: ExecTransportOptions): HostTransport {
  const hostBin = options.hostBin ?? defaultHostBin();
  const timeoutMs = options.timeoutMs ?? DEFAULT_HOST_TIMEOUT_MS;
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const forceKillAfterMs = options.forceKillAfterMs ?? 3_000;

  /** One host process: `argv` after the binary, started in `cwd`. */
  async function exec(
    command: string,
    argv: readonly string[],
    cwd: string,
    runOptions: TransportCallOptions,
  ): Promise<RawHostResult> {
    const callTimeoutMs = Math.min(timeoutMs, runOptions.timeoutMs ?? timeoutMs);
    if (runOptions.signal?.aborted) throw new HostCanceledError(command, runOptions.signal.reason);
    const result = await runCaptured(hostBin, argv, {
      cwd,
      env: { ...process.env, ...options.env, SPECIFY_REPO_ROOT: options.repoRoot },
      timeoutMs: callTimeoutMs,
      maxOutputBytes,
      forceKillAfterMs,
      detached: runOptions.detached,
      signal: runOptions.signal,
    });
    const startCode = result.startError?.code;
    if (startCode === 'ENOENT' || startCode === 'EACCES') {
      throw new HostBinaryNotFoundError(hostBin, {
        command,
        cause: result.startError,
        notExecutable: startCode === 'EACCES',
      });
    }
    if (result.canceled) throw new HostCanceledError(command, runOptions.signal?.reason ?? result);
    if (result.timedOut) throw new HostTimeoutError(command, callTimeoutMs, result);
    if (result.outputTooLarge) throw new HostOutputTooLargeError(command, maxOutputBytes);
    return {
      stdout: result.stdout,
      // A start failure other than the two above (e.g. EAGAIN) reaches the caller as a host that
      // printed nothing, with the reason where a crash's traceback would be.
      stderr: result.startError ? `${result.stderr}${result.startError.message}\n` : result.stderr,
      exitCode: result.exitCode,
      durationMs: result.durationMs,
    };
  }

  return {
    run: (args, runOptions = {}) =>
      exec(args[0] ?? '(none)', ['orchestrator-api', ...args], options.repoRoot, runOptions),
    runAgentCommand: (argv, runOptions) => exec(argv.slice(0, 3).join(' '), argv, runOptions.cwd, runOptions),
  };
}
