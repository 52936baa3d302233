/**
 * The live view's open decisions during a run: read once at start, refreshed every few minutes,
 * never two reads at once, none after the run ends (decisions-watch.ts); and createRunOutputs
 * wires the reads to the view, so a run waiting on a person says so while it runs.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DECISIONS_REFRESH_MS, watchOpenDecisions } from '../../../src/cli/runtime/decisions-watch.js';
import { createRunOutputs } from '../../../src/cli/runtime/outputs.js';
import type { OpenDecision } from '../../../src/host/schemas.js';

const D1: OpenDecision = { decision_id: '01M8XRQ85PCB5BNP9JHJXNGSH7', origin: 'plan' };

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A read the test answers by hand; records each signal it was given. */
function manualReads() {
  const pending: Array<(open: OpenDecision[] | null) => void> = [];
  const signals: AbortSignal[] = [];
  const read = vi.fn(
    (signal: AbortSignal) =>
      new Promise<OpenDecision[] | null>((resolve) => {
        signals.push(signal);
        pending.push(resolve);
      }),
  );
  return { read, pending, signals };
}

describe('watchOpenDecisions', () => {
  it('reads once at start, then once per refresh interval, and shows each answer', async () => {
    vi.useFakeTimers();
    const { read, pending } = manualReads();
    const show = vi.fn();
    const watch = watchOpenDecisions({ read, show });
    expect(read).toHaveBeenCalledTimes(1);
    pending.shift()?.([D1]);
    await vi.advanceTimersByTimeAsync(0);
    expect(show).toHaveBeenLastCalledWith([D1]);

    // Nothing more until the interval: the run's own events never trigger a read.
    await vi.advanceTimersByTimeAsync(DECISIONS_REFRESH_MS - 1);
    expect(read).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(read).toHaveBeenCalledTimes(2);
    pending.shift()?.([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(show).toHaveBeenLastCalledWith([]);
    watch.stop();
  });

  it('the refresh interval is a few minutes, not seconds', () => {
    expect(DECISIONS_REFRESH_MS).toBeGreaterThanOrEqual(2 * 60_000);
    expect(DECISIONS_REFRESH_MS).toBeLessThanOrEqual(10 * 60_000);
  });

  it('never starts a read while one is under way; a failed read leaves what was shown', async () => {
    vi.useFakeTimers();
    const { read, pending } = manualReads();
    const show = vi.fn();
    const watch = watchOpenDecisions({ read, show, refreshMs: 1000 });
    await vi.advanceTimersByTimeAsync(5000); // the first read hangs: no second one
    expect(read).toHaveBeenCalledTimes(1);
    pending.shift()?.(null);
    await vi.advanceTimersByTimeAsync(0);
    expect(show).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(read).toHaveBeenCalledTimes(2);
    watch.stop();
  });

  it('stop aborts a read under way, shows nothing after, and reads no more', async () => {
    vi.useFakeTimers();
    const { read, pending, signals } = manualReads();
    const show = vi.fn();
    const watch = watchOpenDecisions({ read, show, refreshMs: 1000 });
    watch.stop();
    expect(signals[0]?.aborted).toBe(true);
    pending.shift()?.([D1]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(show).not.toHaveBeenCalled();
    expect(read).toHaveBeenCalledTimes(1);
  });
});

describe('createRunOutputs', () => {
  it('shows the open decisions it reads at start in the live view, and stops reading when closed', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    let signal: AbortSignal | undefined;
    const outputs = await createRunOutputs({
      json: false,
      runId: 'run-1',
      mission: '001-demo',
      wpIds: ['WP01'],
      readOpenDecisions: async (given) => {
        signal = given;
        return [D1];
      },
    });
    await vi.waitFor(() => expect(written.join('')).toContain('1 design decision is waiting for a person'));
    expect(written.join('')).toContain(`--decision ${D1.decision_id}`);
    await outputs.close();
    expect(signal?.aborted).toBe(true);
  });

  it('reads nothing when the host has no decisions (no reader given)', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const outputs = await createRunOutputs({ json: false, runId: 'run-2', mission: '001-demo', wpIds: [] });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await outputs.close();
    expect(written.join('')).not.toContain('design decision');
  });
});
