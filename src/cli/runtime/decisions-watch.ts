/**
 * Keeps the live view's open design decisions current during a run, at a cost the run does not
 * feel. Every design-status read is a host start-up (~2-3 s of a core), so:
 * - one read when the run starts: a mission that already waits on a person says so at once;
 * - then one every REFRESH_MS (5 minutes): a decision opened while the run goes on (by a person
 *   or an agent, in another terminal) shows up within minutes, for about 1% of one core;
 * - never two at once, never one per WP or per event, and none after the run ends (an unfinished
 *   read is aborted, so it neither keeps the process alive nor prints over the summary).
 * A run that stalls reads them once more itself, for its summary (launch-run.ts).
 * A read that fails (null) leaves what was shown: decisions are a hint here, never a reason to stop.
 */
import type { OpenDecision } from '../../host/schemas.js';

export const DECISIONS_REFRESH_MS = 5 * 60_000;

export interface DecisionsWatchOptions {
  /** One design-status read: the open decisions, or null when the host gave none. */
  read: (signal: AbortSignal) => Promise<readonly OpenDecision[] | null>;
  show: (decisions: readonly OpenDecision[]) => void;
  refreshMs?: number;
}

export interface DecisionsWatch {
  /** Stops the refreshes and aborts a read under way. Idempotent. */
  stop(): void;
}

export function watchOpenDecisions(options: DecisionsWatchOptions): DecisionsWatch {
  const controller = new AbortController();
  let reading = false;

  const readOnce = async (): Promise<void> => {
    if (reading || controller.signal.aborted) return;
    reading = true;
    try {
      const open = await options.read(controller.signal).catch(() => null);
      if (open !== null && !controller.signal.aborted) options.show(open);
    } finally {
      reading = false;
    }
  };

  void readOnce();
  const timer = setInterval(() => void readOnce(), options.refreshMs ?? DECISIONS_REFRESH_MS);
  // A refresh must never keep the process alive.
  timer.unref?.();

  return {
    stop() {
      clearInterval(timer);
      controller.abort();
    },
  };
}
