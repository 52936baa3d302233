import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { isCliError } from '../../../src/cli/cli-error.js';
import { createStreamJsonlSink, openFileJsonlSink } from '../../../src/cli/output/jsonl-sink.js';
import type { OrchestratorRecord } from '../../../src/cli/output/records.js';

const record = (n: number): OrchestratorRecord => ({
  type: 'host.call',
  v: 1,
  at: '2025-01-01T00:00:00.000Z',
  run_id: 'r',
  command: 'mission-state',
  duration_ms: n,
  wait_ms: 0,
  attempt: 1,
  ok: true,
  error_code: null,
});

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('file JSONL sink (--event-log)', () => {
  it('creates parent folders and appends one JSON object per line across runs', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sko-sink-'));
    const file = path.join(dir, 'deep', 'er', 'events.jsonl');
    const first = openFileJsonlSink(file);
    first.write(record(1));
    // Written straight through: visible before close (tail -f, or a killed run).
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(record(1))}\n`);
    first.write(record(2));
    await first.close();
    const second = openFileJsonlSink(file);
    second.write(record(3));
    await second.close();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line).duration_ms)).toEqual([1, 2, 3]);
    expect(first.written).toBe(2);
  });

  it('refuses a path it cannot open with a usage error that names the flag', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sko-sink-'));
    try {
      openFileJsonlSink(dir); // a folder
      expect.unreachable();
    } catch (error) {
      expect(isCliError(error)).toBe(true);
      expect((error as Error).message).toContain('--event-log');
      expect((error as { exitCode: number }).exitCode).toBe(2);
    }
  });

  it.skipIf(!existsSync('/dev/full'))('reports a write error once and drops later records', async () => {
    const errors: string[] = [];
    const sink = openFileJsonlSink('/dev/full', { onError: (m) => errors.push(m) });
    expect(() => {
      sink.write(record(1));
      sink.write(record(2));
      sink.write(record(3));
    }).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('ENOSPC');
    expect(sink.failed).toBe(true);
    await sink.close();
  });
});

describe('stream JSONL sink (--json)', () => {
  function collector(fail?: NodeJS.ErrnoException) {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        if (fail) return callback(fail);
        chunks.push(String(chunk));
        callback();
      },
    });
    return { stream, chunks };
  }

  it('writes JSONL and leaves the stream open on close', async () => {
    const { stream, chunks } = collector();
    const sink = createStreamJsonlSink(stream);
    sink.write(record(1));
    sink.write(record(2));
    await sink.close();
    expect(
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).duration_ms),
    ).toEqual([1, 2]);
    expect(stream.writableEnded).toBe(false);
  });

  it('reports a stream error once; a closed pipe (EPIPE) silently', async () => {
    const errors: string[] = [];
    const broken = collector(Object.assign(new Error('boom'), { code: 'EIO' }));
    const sink = createStreamJsonlSink(broken.stream, { onError: (m) => errors.push(m) });
    sink.write(record(1));
    await new Promise((resolve) => setImmediate(resolve));
    sink.write(record(2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual(['JSON output stopped: EIO: boom']);

    const piped: string[] = [];
    const closed = collector(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    const quiet = createStreamJsonlSink(closed.stream, { onError: (m) => piped.push(m) });
    quiet.write(record(1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(quiet.failed).toBe(true);
    expect(piped).toEqual([]);
  });
});
