/**
 * Coalesces a stream of snapshots into few, ordered writes. XState emits an `@xstate.snapshot`
 * inspection event for every microstep of every actor; writing each one would rewrite the run
 * state dozens of times per transition. The writer keeps at most one write in flight and one
 * pending state (the latest wins), so the file always ends at the newest state and writes never
 * overtake each other. Pure scheduling: the write itself is injected.
 */

export interface WriteReceipt {
  bytes: number;
}

export interface SnapshotWriterOptions<T> {
  /**
   * Persist one state; resolve when it is durable. Resolving to a WriteReceipt (as
   * writeRunStateAtomic does) adds its bytes to the stats; any other value is ignored.
   */
  write: (state: T) => Promise<unknown>;
  /** Quiet time after a snapshot before writing, so a burst of microsteps costs one write. */
  debounceMs?: number;
  /** A failed write does not stop the writer (the next snapshot tries again); this reports it. */
  onError: (error: unknown, state: T) => void;
}

export interface SnapshotWriterStats {
  /** Snapshots handed to `schedule`. */
  scheduled: number;
  /** Writes that completed. */
  writes: number;
  failedWrites: number;
  /** Bytes reported by completed writes. */
  bytes: number;
  /** Snapshots replaced by a newer one before they were written. */
  coalesced: number;
  /** Snapshots scheduled after `stop()`, which are ignored. */
  ignoredAfterStop: number;
}

export interface SnapshotWriter<T> {
  /** Remember `state` as the newest one; it is written soon, unless a newer one replaces it first. */
  schedule(state: T): void;
  /** Write the pending state now and resolve once nothing is pending or in flight. */
  flush(): Promise<void>;
  /** Flush, then ignore further snapshots. */
  stop(): Promise<void>;
  stats(): SnapshotWriterStats;
}

export function createSnapshotWriter<T>(options: SnapshotWriterOptions<T>): SnapshotWriter<T> {
  const { write, onError } = options;
  const debounceMs = options.debounceMs ?? 50;
  const stats: SnapshotWriterStats = {
    scheduled: 0,
    writes: 0,
    failedWrites: 0,
    bytes: 0,
    coalesced: 0,
    ignoredAfterStop: 0,
  };

  // A box, so that a pending `undefined` state is still "pending".
  let pending: { state: T } | null = null;
  let inFlight: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let flushers = 0;
  let stopped = false;

  function clearTimer(): void {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  }

  function arm(): void {
    if (timer === null && inFlight === null && pending !== null) {
      timer = setTimeout(() => {
        timer = null;
        startWrite();
      }, debounceMs);
    }
  }

  function startWrite(): void {
    if (inFlight !== null || pending === null) return;
    const { state } = pending;
    pending = null;
    inFlight = (async () => {
      try {
        const receipt = await write(state);
        stats.writes += 1;
        if (isReceipt(receipt)) stats.bytes += receipt.bytes;
      } catch (error) {
        stats.failedWrites += 1;
        onError(error, state);
      } finally {
        inFlight = null;
        // A flush drives the next write itself; otherwise snapshots that arrived meanwhile wait
        // one more quiet period, so a steady stream costs one write per period, not one per write.
        if (flushers === 0) arm();
      }
    })();
  }

  function schedule(state: T): void {
    if (stopped) {
      stats.ignoredAfterStop += 1;
      return;
    }
    stats.scheduled += 1;
    if (pending !== null) stats.coalesced += 1;
    pending = { state };
    arm();
  }

  async function flush(): Promise<void> {
    flushers += 1;
    try {
      for (;;) {
        clearTimer();
        if (inFlight !== null) {
          await inFlight;
        } else if (pending !== null) {
          startWrite();
        } else {
          return;
        }
      }
    } finally {
      flushers -= 1;
    }
  }

  async function stop(): Promise<void> {
    stopped = true;
    await flush();
  }

  return { schedule, flush, stop, stats: () => ({ ...stats }) };
}

function isReceipt(value: unknown): value is WriteReceipt {
  return typeof value === 'object' && value !== null && typeof (value as WriteReceipt).bytes === 'number';
}
