/**
 * The per-attempt agent log: a header that says what ran where, the raw stdout and stderr as
 * they arrive, and a footer with how it ended. Writes are appended, so a reused path keeps the
 * earlier attempts above.
 */
import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** Arguments longer than this are shortened in the header (argument prompts can be megabytes). */
const MAX_ARG_DISPLAY = 200;

export class AgentLogError extends Error {
  override readonly name = 'AgentLogError';
  readonly code = 'AGENT_LOG_FAILED' as const;
  constructor(
    readonly logPath: string,
    cause: unknown,
  ) {
    super(
      `could not open the agent log ${logPath}: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
  }
}

export interface AgentLog {
  write(chunk: Buffer | string): boolean;
  /** Called when a write that returned false has been flushed. */
  onceDrained(listener: () => void): void;
  /** The first write error, if the disk failed mid-run (writing then stops; the run goes on). */
  readonly failure: Error | undefined;
  close(): Promise<void>;
}

export async function openAgentLog(logPath: string): Promise<AgentLog> {
  let stream: WriteStream;
  try {
    await mkdir(path.dirname(logPath), { recursive: true });
    stream = createWriteStream(logPath, { flags: 'a' });
    await once(stream, 'open');
  } catch (error) {
    throw new AgentLogError(logPath, error);
  }
  let failure: Error | undefined;
  // A failing disk must not crash the orchestrator through an unhandled 'error' event.
  stream.on('error', (error) => {
    failure ??= error;
  });
  return {
    write(chunk) {
      if (failure || stream.destroyed) return true;
      return stream.write(chunk);
    },
    onceDrained(listener) {
      if (failure || stream.destroyed) listener();
      else stream.once('drain', listener);
    },
    get failure() {
      return failure;
    },
    close() {
      return new Promise((resolve) => {
        if (stream.destroyed) return resolve();
        stream.end(() => resolve());
        stream.once('error', () => resolve());
      });
    },
  };
}

export function logHeader(options: {
  file: string;
  args: readonly string[];
  cwd: string;
  stdinBytes: number | null;
  timeoutMs: number;
}): string {
  const command = [options.file, ...options.args].map(displayArg).join(' ');
  return [
    `=== spec-kitty-orchestrator: agent run started ${new Date().toISOString()} ===`,
    `command: ${command}`,
    `cwd: ${options.cwd}`,
    `stdin: ${options.stdinBytes === null ? 'none (/dev/null)' : `prompt file, ${options.stdinBytes} bytes`}`,
    `timeout: ${options.timeoutMs} ms`,
    '',
  ].join('\n');
}

export function logFooter(summary: string): string {
  return `\n=== spec-kitty-orchestrator: ${summary} at ${new Date().toISOString()} ===\n`;
}

/** Shell-like quoting for reading only: nothing ever runs this string. */
function displayArg(arg: string): string {
  const shown =
    arg.length > MAX_ARG_DISPLAY ? `${arg.slice(0, MAX_ARG_DISPLAY)}… (${arg.length} chars)` : arg;
  return /^[\w@%+=:,./-]+$/.test(shown) ? shown : `'${shown.replaceAll("'", "'\\''")}'`;
}
