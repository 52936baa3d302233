/**
 * A second world for the same path generator: the host never loses an answer (a lane change is
 * either done or refused). The edge-covering selection takes the shortest path to each edge, and
 * with lost answers available the shortest way to the last review cycle is a lost start-review
 * (each new start-review is a new cycle), so no generated path rejects twice. Without them, the
 * last cycle can only be reached through real rejections, which is where the review-cycle limit
 * is decided.
 */
import type { AnyStateMachine } from 'xstate';
import { type ModelEvent, TOOK_EFFECT, wpPayloads } from '../support/model/wp-model.js';

type Snapshot = ReturnType<AnyStateMachine['getInitialSnapshot']>;

export function reliableHostPayloads(snapshot: Snapshot, type: string): ModelEvent[] | undefined {
  const events = wpPayloads(snapshot, type);
  return events?.filter((event) => (event.error as { code?: string } | undefined)?.code !== TOOK_EFFECT);
}
