/**
 * Machines never read the clock: every instant they use arrives in an actor's output (`at`),
 * so a persisted snapshot replays to the same decisions.
 */

/** Epoch milliseconds, as produced by the actor that observed the instant. */
export type EpochMs = number;

/** What every world-touching actor returns beside its payload: when it finished. */
export interface Timed<T> {
  data: T;
  at: EpochMs;
}
