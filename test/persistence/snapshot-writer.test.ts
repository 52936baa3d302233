import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSnapshotWriter } from '../../src/actors/persistence/snapshot-writer.js';
import { readRunState, writeRunStateAtomic } from '../../src/actors/persistence/state-file.js';
import { sampleRunState } from './support/run-state-fixture.js';

/** A write whose completion the test controls. */
function controlledWrites() {
  const started: number[] = [];
  const finishers: Array<(bytes: number) => void> = [];
  const failers: Array<(error: Error) => void> = [];
  const write = (state: number) =>
    new Promise<{ bytes: number }>((resolve, reject) => {
      started.push(state);
      finishers.push((bytes) => resolve({ bytes }));
      failers.push(reject);
    });
  return {
    started,
    write,
    finish: (index: number, bytes = 10) => finishers[index]?.(bytes),
    fail: (index: number, error: Error) => failers[index]?.(error),
  };
}

describe('createSnapshotWriter (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns a burst of 100 snapshots into one write of the last one', async () => {
    const written: number[] = [];
    const writer = createSnapshotWriter<number>({
      write: async (state) => {
        written.push(state);
        return { bytes: 100 };
      },
      onError: (error) => {
        throw error;
      },
    });
    for (let tick = 1; tick <= 100; tick += 1) writer.schedule(tick);
    expect(written).toEqual([]); // nothing before the quiet period
    await vi.advanceTimersByTimeAsync(49);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual([100]);
    await vi.runAllTimersAsync();
    expect(written).toEqual([100]);
    expect(writer.stats()).toEqual({
      scheduled: 100,
      writes: 1,
      failedWrites: 0,
      bytes: 100,
      maxWriteBytes: 100,
      coalesced: 99,
      ignoredAfterStop: 0,
    });
  });

  it('keeps one write in flight and one pending: a burst during a slow write costs one more write, after a gap', async () => {
    const writes = controlledWrites();
    const writer = createSnapshotWriter<number>({
      write: writes.write,
      debounceMs: 20,
      onError: () => undefined,
    });
    writer.schedule(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(writes.started).toEqual([1]);

    for (let tick = 2; tick <= 100; tick += 1) writer.schedule(tick);
    await vi.advanceTimersByTimeAsync(1000);
    expect(writes.started).toEqual([1]); // never two writes at once

    writes.finish(0);
    await vi.advanceTimersByTimeAsync(20);
    expect(writes.started).toEqual([1]); // a write that took 1 s holds the next one back 0.5 s
    await vi.advanceTimersByTimeAsync(480);
    expect(writes.started).toEqual([1, 100]);
    writes.finish(1);
    await vi.runAllTimersAsync();
    expect(writes.started).toEqual([1, 100]);
    expect(writer.stats()).toMatchObject({ writes: 2, bytes: 20, coalesced: 98 });
  });

  it('records the largest single write beside the total, whichever write it was', async () => {
    const writes = controlledWrites();
    const writer = createSnapshotWriter<number>({
      write: writes.write,
      debounceMs: 1,
      onError: () => undefined,
    });
    // Sizes in write order: the largest is neither the first nor the last; a failed write counts nothing.
    const outcomes: Array<number | Error> = [100, 900, new Error('disk full'), 300];
    for (const [index, outcome] of outcomes.entries()) {
      writer.schedule(index);
      await vi.advanceTimersByTimeAsync(600);
      if (outcome instanceof Error) writes.fail(index, outcome);
      else writes.finish(index, outcome);
    }
    await writer.flush();
    expect(writes.started).toEqual([0, 1, 2, 3]);
    expect(writer.stats()).toMatchObject({ writes: 3, failedWrites: 1, bytes: 1300, maxWriteBytes: 900 });
  });

  it('waits four times as long as the last write took before the next one', async () => {
    const writes = controlledWrites();
    const writer = createSnapshotWriter<number>({ write: writes.write, onError: () => undefined });
    writer.schedule(1);
    await vi.advanceTimersByTimeAsync(50);
    await vi.advanceTimersByTimeAsync(30);
    writes.finish(0); // took 30 ms
    writer.schedule(2);
    await vi.advanceTimersByTimeAsync(119);
    expect(writes.started).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(writes.started).toEqual([1, 2]);
    writes.finish(1);
    await writer.flush();
  });

  it('flush writes the pending state at once and waits for the write in flight', async () => {
    const writes = controlledWrites();
    const writer = createSnapshotWriter<number>({
      write: writes.write,
      debounceMs: 10_000,
      onError: () => undefined,
    });
    writer.schedule(1);
    let flushed = false;
    const flushing = writer.flush().then(() => {
      flushed = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(writes.started).toEqual([1]); // no 10 s wait
    writer.schedule(2); // arrives while the flush waits for write 1
    writes.finish(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed).toBe(false);
    expect(writes.started).toEqual([1, 2]);
    writes.finish(1);
    await flushing;
    expect(flushed).toBe(true);
    expect(writer.stats().writes).toBe(2);
  });

  it('flush with nothing to write resolves at once', async () => {
    const writer = createSnapshotWriter<number>({ write: async () => undefined, onError: () => undefined });
    await writer.flush();
    expect(writer.stats()).toMatchObject({ scheduled: 0, writes: 0 });
  });

  it('reports a failed write to onError and keeps going with the next snapshot', async () => {
    const writes = controlledWrites();
    const errors: Array<[string, number]> = [];
    const writer = createSnapshotWriter<number>({
      write: writes.write,
      onError: (error, state) => errors.push([(error as Error).message, state]),
    });
    writer.schedule(1);
    await vi.advanceTimersByTimeAsync(50);
    writes.fail(0, new Error('disk full'));
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([['disk full', 1]]);

    writer.schedule(2);
    await vi.advanceTimersByTimeAsync(50);
    writes.finish(1);
    await writer.flush();
    expect(writes.started).toEqual([1, 2]);
    expect(writer.stats()).toMatchObject({ writes: 1, failedWrites: 1 });
  });

  it('restarts the quiet time of a prompt write on every snapshot, up to maxWaitMs', async () => {
    const written: number[] = [];
    const writer = createSnapshotWriter<number>({
      write: async (state) => {
        written.push(state);
      },
      debounceMs: 50,
      maxWaitMs: 250,
      onError: () => undefined,
    });
    // A lane change, then the steps it starts at once: one write once things are quiet.
    writer.schedule(1, 'prompt');
    await vi.advanceTimersByTimeAsync(30);
    writer.schedule(2, 'lazy');
    await vi.advanceTimersByTimeAsync(30);
    writer.schedule(3, 'prompt');
    await vi.advanceTimersByTimeAsync(49);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual([3]);

    // A system that never goes quiet is still saved maxWaitMs after the prompt snapshot.
    writer.schedule(4, 'prompt');
    for (let tick = 5; tick < 20; tick += 1) {
      await vi.advanceTimersByTimeAsync(20);
      writer.schedule(tick, 'lazy');
    }
    // 4 came at t; 16 was the last snapshot before t + 250 (the quiet time never came).
    expect(written).toEqual([3, 16]);
    await vi.runAllTimersAsync();
    expect(written).toEqual([3, 16, 19]); // the later lazy snapshots, within lazyMs
  });

  it('writes lazy snapshots after lazyMs, or with an earlier prompt write', async () => {
    const written: Array<[number, number]> = [];
    const start = Date.now();
    const writer = createSnapshotWriter<number>({
      write: async (state) => {
        written.push([state, Date.now() - start]);
      },
      debounceMs: 50,
      lazyMs: 2_000,
      onError: () => undefined,
    });
    writer.schedule(1, 'lazy');
    await vi.advanceTimersByTimeAsync(1_000);
    writer.schedule(2, 'lazy'); // does not push the first one's deadline
    await vi.advanceTimersByTimeAsync(999);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual([[2, 2_000]]);

    writer.schedule(3, 'lazy');
    await vi.advanceTimersByTimeAsync(500);
    writer.schedule(4, 'prompt'); // carries 3 with it
    await vi.advanceTimersByTimeAsync(50);
    expect(written).toEqual([
      [2, 2_000],
      [4, 2_550],
    ]);
    await vi.runAllTimersAsync();
    expect(writer.stats()).toMatchObject({ scheduled: 4, writes: 2, coalesced: 2 });
  });

  it('stop flushes the last state, then ignores later snapshots', async () => {
    const written: number[] = [];
    const writer = createSnapshotWriter<number>({
      write: async (state) => {
        written.push(state);
      },
      onError: () => undefined,
    });
    writer.schedule(1);
    writer.schedule(2);
    await writer.stop();
    expect(written).toEqual([2]);
    writer.schedule(3);
    await vi.runAllTimersAsync();
    expect(written).toEqual([2]);
    expect(writer.stats()).toMatchObject({ ignoredAfterStop: 1, bytes: 0 });
  });
});

describe('createSnapshotWriter with the real state file', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'sko-writer-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('ends with the newest state on disk after a stream of snapshots, and the file always parses', async () => {
    const errors: unknown[] = [];
    const writer = createSnapshotWriter({
      write: (state: ReturnType<typeof sampleRunState>) => writeRunStateAtomic(root, state),
      debounceMs: 2,
      onError: (error) => errors.push(error),
    });
    const kinds = new Set<string>();
    for (let tick = 0; tick < 300; tick += 1) {
      writer.schedule(sampleRunState(root, tick));
      if (tick % 25 === 0) {
        await new Promise((resolve) => setTimeout(resolve, 3));
        kinds.add((await readRunState(root)).kind);
      }
    }
    await writer.flush();
    expect(errors).toEqual([]);
    expect(kinds.has('invalid')).toBe(false);
    expect(await readRunState(root)).toEqual({ kind: 'ok', state: sampleRunState(root, 299) });
    const stats = writer.stats();
    expect(stats.writes).toBeGreaterThanOrEqual(1);
    expect(stats.writes).toBeLessThan(300);
    expect(stats.writes + stats.coalesced).toBe(300);
    expect(stats.bytes).toBeGreaterThan(0);
  });
});
