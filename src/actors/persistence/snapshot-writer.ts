/**
 * Coalesces a stream of snapshots into few, ordered writes. XState emits an `@xstate.snapshot`
 * inspection event for every microstep of every actor; writing each one would rewrite the run
 * state dozens of times per transition. The writer keeps at most one write in flight and one
 * pending state (the latest wins), so the file always ends at the newest state and writes never
 * overtake each other. Pure scheduling: the write itself is injected.
 *
 * Two priorities. A `prompt` snapshot (the caller's judgement: a lane change, a side effect about
 * to start) is written once the actor system has been quiet for `debounceMs`, and at the latest
 * `maxWaitMs` after it: a lane change and the steps it starts at once (a git step, an agent
 * start) cost one write, and a system that never goes quiet is still saved every `maxWaitMs`.
 * A `lazy` snapshot waits up to `lazyMs`, and goes out earlier with the next prompt write,
 * which carries it. On a slow host the steps between two lane changes are seconds apart: with
 * one quiet time for all of them, each cost a write of its own.
 *
 * After a write, the next one waits four times as long as that write took (at most half a
 * second): writes take at most a fifth of the time. The state grows with the mission (a 500-WP
 * run wrote 2.7 MB per write on average), and a slow disk is not hammered.
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
  /** Quiet time (no snapshot at all) after a prompt snapshot before writing it. */
  debounceMs?: number;
  /** The longest a prompt snapshot waits for quiet (unless a write is still in flight then). */
  maxWaitMs?: number;
  /** The longest a lazy snapshot waits for a write (unless a write is still in flight then). */
  lazyMs?: number;
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
  /**
   * The largest single write's bytes: a run's cost per write is what a target bounds (a state
   * that outgrows it makes every lane change wait longer), and a total hides one huge write.
   */
  maxWriteBytes: number;
  /** Snapshots replaced by a newer one before they were written. */
  coalesced: number;
  /** Snapshots scheduled after `stop()`, which are ignored. */
  ignoredAfterStop: number;
}

/** How soon a snapshot must reach the disk; see the file comment. */
export type WritePriority = 'prompt' | 'lazy';

export interface SnapshotWriter<T> {
  /** Remember `state` as the newest one; it is written soon, unless a newer one replaces it first. */
  schedule(state: T, priority?: WritePriority): void;
  /** Write the pending state now and resolve once nothing is pending or in flight. */
  flush(): Promise<void>;
  /** Flush, then ignore further snapshots. */
  stop(): Promise<void>;
  stats(): SnapshotWriterStats;
}

/** The longest a slow write holds back the next one (a lane change waits at most this more). */
const MAX_WRITE_GAP_MS = 500;
/** The next write waits this many times as long as the last one took. */
const WRITE_GAP_FACTOR = 4;

export function createSnapshotWriter<T>(options: SnapshotWriterOptions<T>): SnapshotWriter<T> {
  const { write, onError } = options;
  const debounceMs = options.debounceMs ?? 50;
  const maxWaitMs = Math.max(debounceMs, options.maxWaitMs ?? 250);
  const lazyMs = Math.max(maxWaitMs, options.lazyMs ?? 5_000);
  const now = Date.now;
  const stats: SnapshotWriterStats = {
    scheduled: 0,
    writes: 0,
    failedWrites: 0,
    bytes: 0,
    maxWriteBytes: 0,
    coalesced: 0,
    ignoredAfterStop: 0,
  };

  // A box, so that a pending `undefined` state is still "pending". Its times: the first snapshot
  // it stands for (starts the lazy wait), the last one (restarts the quiet time), and the latest
  // instant a prompt one among them may be written (infinite while all of them are lazy).
  let pending: { state: T; firstAt: number; lastAt: number; promptLatest: number } | null = null;
  let inFlight: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let timerDue = Number.POSITIVE_INFINITY;
  /** After a write, what was scheduled meanwhile waits at least one quiet time more. */
  let notBefore = Number.NEGATIVE_INFINITY;
  let flushers = 0;
  let stopped = false;

  function dueOf(waiting: NonNullable<typeof pending>): number {
    const prompt =
      waiting.promptLatest === Number.POSITIVE_INFINITY
        ? Number.POSITIVE_INFINITY
        : Math.min(waiting.lastAt + debounceMs, waiting.promptLatest);
    return Math.max(notBefore, Math.min(waiting.firstAt + lazyMs, prompt));
  }

  function clearTimer(): void {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
      timerDue = Number.POSITIVE_INFINITY;
    }
  }

  /** Makes sure a timer fires by the pending state's due time (a later one re-arms on firing). */
  function arm(): void {
    if (inFlight !== null || pending === null || flushers > 0) return;
    const due = dueOf(pending);
    if (due >= timerDue) return;
    clearTimer();
    timerDue = due;
    timer = setTimeout(onTimer, Math.max(0, due - now()));
  }

  function onTimer(): void {
    timer = null;
    timerDue = Number.POSITIVE_INFINITY;
    if (pending !== null && dueOf(pending) > now())
      arm(); // Quiet time was restarted meanwhile.
    else startWrite();
  }

  function startWrite(): void {
    if (inFlight !== null || pending === null) return;
    const { state } = pending;
    pending = null;
    const startedAt = now();
    inFlight = (async () => {
      try {
        const receipt = await write(state);
        stats.writes += 1;
        if (isReceipt(receipt)) {
          stats.bytes += receipt.bytes;
          stats.maxWriteBytes = Math.max(stats.maxWriteBytes, receipt.bytes);
        }
      } catch (error) {
        stats.failedWrites += 1;
        onError(error, state);
      } finally {
        inFlight = null;
        // Snapshots that arrived meanwhile wait one more quiet time (or the write's duty gap),
        // so a steady stream costs one write per quiet time, not one per write. (A flush drives
        // the next write itself.)
        const endedAt = now();
        notBefore =
          endedAt +
          Math.max(debounceMs, Math.min(WRITE_GAP_FACTOR * (endedAt - startedAt), MAX_WRITE_GAP_MS));
        arm();
      }
    })();
  }

  function schedule(state: T, priority: WritePriority = 'prompt'): void {
    if (stopped) {
      stats.ignoredAfterStop += 1;
      return;
    }
    stats.scheduled += 1;
    const at = now();
    if (pending !== null) stats.coalesced += 1;
    const promptLatest = Math.min(
      pending?.promptLatest ?? Number.POSITIVE_INFINITY,
      priority === 'prompt' ? at + maxWaitMs : Number.POSITIVE_INFINITY,
    );
    pending = { state, firstAt: pending?.firstAt ?? at, lastAt: at, promptLatest };
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
