/**
 * The mission model's world, widened by WPs an earlier run left mid-way. The model's host reads
 * only say planned, done, blocked or canceled, and a failed WP only ends in_progress, so no
 * generated path asks whether a dependency in for_review (implemented, not yet approved) lets its
 * dependent start: here an earlier run may have left WP01 in for_review, and a WP may fail in
 * for_review (a refused start-review leaves the lane as it was). And since WP02 depends on WP01,
 * the two never compete for a slot: here an earlier run may have left WP02 in_progress (picked up
 * whatever its dependencies say) beside a planned WP01.
 */
import type { AnyStateMachine } from 'xstate';
import type { WpOutput } from '../../../src/machines/wp/types.js';
import { missionEventKind, missionPayloads, missionState } from '../support/model/mission-model.js';
import type { ModelEvent } from '../support/model/wp-model.js';

type Snapshot = ReturnType<AnyStateMachine['getInitialSnapshot']>;
const AT = 1_700_000_000_000;

export function midWayPayloads(snapshot: Snapshot, type: string): ModelEvent[] | undefined {
  const events = missionPayloads(snapshot, type);
  if (type === 'xstate.done.actor.initialState') {
    const reads = [missionState(['for_review', 'planned']), missionState(['planned', 'in_progress'])];
    return [...(events ?? []), ...reads.map((data) => ({ type, output: { data, at: AT } }))];
  }
  if (type === 'xstate.done.actor.*' || type === 'WP.FLOW_ENDED') {
    const failedInReview = (events ?? [])
      .filter((event) => (event.output as WpOutput).outcome === 'failed')
      .map((event) => ({ ...event, output: { ...(event.output as WpOutput), lane: 'for_review' } }));
    return [...(events ?? []), ...failedInReview];
  }
  return events;
}

/** The model's event kind plus the lane a WP ended in, so that failing in for_review is its own edge. */
export function midWayEventKind(event: ModelEvent): string {
  const lane = (event.output as { lane?: string } | undefined)?.lane;
  return lane ? `${missionEventKind(event)}:${lane}` : missionEventKind(event);
}
