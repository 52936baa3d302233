/**
 * JSONL sinks for run records: one JSON object per line, on stdout (`--json`) or appended to a
 * file (`--event-log <file>`). A sink never throws while the run goes on: its first error is
 * reported once (the run matters more than its log), later records are dropped.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../cli-error.js';
import { EXIT } from '../exit-codes.js';
import { logger } from '../logger.js';
import type { OrchestratorRecord } from './records.js';

export interface JsonlSink {
  /** A RecordSink: never throws. */
  readonly write: (record: OrchestratorRecord) => void;
  /** Flushes what is buffered and releases the file (the stream itself is left open). */
  close(): Promise<void>;
  /** Set once the first write failed; later records are dropped. */
  readonly failed: boolean;
  /** Records written so far. */
  readonly written: number;
}

export interface SinkOptions {
  /** Called once, with the first error (default: a warning on the logger). */
  onError?: (message: string) => void;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}

function reporter(options: SinkOptions): (message: string) => void {
  return options.onError ?? ((message) => logger.warn(message));
}

/** JSONL on a stream (stdout for `--json`). A closed pipe (`| head`) quietly ends the output. */
export function createStreamJsonlSink(
  stream: NodeJS.WritableStream = process.stdout,
  options: SinkOptions = {},
): JsonlSink {
  const report = reporter(options);
  let failed = false;
  let written = 0;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    if ((error as NodeJS.ErrnoException | null)?.code === 'EPIPE') return; // the reader left: nothing to tell
    report(`JSON output stopped: ${describe(error)}`);
  };
  stream.on('error', fail);
  return {
    write(record) {
      if (failed) return;
      try {
        stream.write(`${JSON.stringify(record)}\n`);
        written += 1;
      } catch (error) {
        fail(error);
      }
    },
    async close() {
      const writable = stream as NodeJS.WritableStream & { writableNeedDrain?: boolean };
      if (!failed && writable.writableNeedDrain) {
        await new Promise<void>((resolve) => {
          const done = () => {
            stream.off('drain', done);
            stream.off('error', done);
            resolve();
          };
          stream.on('drain', done);
          stream.on('error', done);
        });
      }
      stream.off('error', fail);
    },
    get failed() {
      return failed;
    },
    get written() {
      return written;
    },
  };
}

/**
 * Appends JSONL to `file` (parent folders created). Each record is written straight through, so
 * `tail -f` sees it at once and a killed run keeps everything up to its last event. Opening
 * fails loudly (a bad path is a usage error, found before the run starts); later write errors
 * are reported once.
 */
export function openFileJsonlSink(file: string, options: SinkOptions = {}): JsonlSink {
  const report = reporter(options);
  const absolute = path.resolve(file);
  let fd: number | null;
  try {
    mkdirSync(path.dirname(absolute), { recursive: true });
    fd = openSync(absolute, 'a');
  } catch (error) {
    throw new CliError(
      `--event-log ${file}: cannot open it for appending (${describe(error)})`,
      EXIT.usage,
      'give a writable file path, e.g. --event-log .kittify/logs/events.jsonl',
      { cause: error },
    );
  }
  let failed = false;
  let written = 0;
  const release = () => {
    if (fd === null) return;
    const open = fd;
    fd = null;
    try {
      closeSync(open);
    } catch {
      // already unusable; nothing more to lose
    }
  };
  return {
    write(record) {
      if (failed || fd === null) return;
      try {
        writeSync(fd, `${JSON.stringify(record)}\n`);
        written += 1;
      } catch (error) {
        failed = true;
        release();
        report(`event log ${file}: writing failed, later events are not logged (${describe(error)})`);
      }
    },
    async close() {
      if (fd === null) return;
      try {
        fsyncSync(fd);
      } catch {
        // Some file systems (pipes, /dev/stdout) cannot fsync; the data is written all the same.
      }
      release();
    },
    get failed() {
      return failed;
    },
    get written() {
      return written;
    },
  };
}
