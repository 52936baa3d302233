/**
 * Which inspection events make the run state urgent to save. Resume trusts the saved file for
 * what the host cannot tell: which WP's review we claimed, the lane HEAD an agent started from,
 * which step a lane change was sent from. So the state is written promptly when a side effect
 * that needs it starts (a lane mutation, an agent run) and when a lane mutation has taken
 * effect. Everything else (reads, git steps, notes, timers, bookkeeping) is written lazily:
 * with the next prompt write, or after the writer's lazy wait. A lane mutation does not rely on
 * this schedule alone: it waits for its own write-ahead (host-actors.ts WriteAhead) before it
 * is sent, so no kill can fall between the call and the write that names it.
 */
import type { InspectionEvent } from 'xstate';
import type { WritePriority } from '../../actors/persistence/index.js';
import type { MissionActorName } from '../../machines/mission/actors.js';
import type { WpActorName } from '../../machines/wp/actors.js';

type ActorName = WpActorName | MissionActorName;

/** Host calls that move a lane (or accept the mission): their start and their end are saved at once. */
const LANE_MUTATIONS: ReadonlySet<ActorName> = new Set<ActorName>([
  'hostStartImplementation',
  'hostTransition',
  'hostStartReview',
  'hostAcceptMission',
]);

/** Side effects whose start is saved at once (their results follow with the next lane change). */
const PROMPT_STARTS: ReadonlySet<ActorName> = new Set<ActorName>([...LANE_MUTATIONS, 'runAgent']);

/**
 * The priority of the state write an inspection event calls for, or null when the event changes
 * no state (events and actions are followed by the snapshot they cause).
 */
export function writePriorityOf(event: InspectionEvent): WritePriority | null {
  if (event.type === '@xstate.actor') {
    return PROMPT_STARTS.has(srcOf(event.actorRef) as ActorName) ? 'prompt' : null;
  }
  if (event.type !== '@xstate.snapshot') return null;
  const status = (event.snapshot as { status?: unknown }).status;
  const ended = status === 'done' || status === 'error';
  return ended && LANE_MUTATIONS.has(srcOf(event.actorRef) as ActorName) ? 'prompt' : 'lazy';
}

/** The name an invoked or spawned actor was registered under (`src` is the logic itself otherwise). */
function srcOf(actorRef: object): string | undefined {
  const { src } = actorRef as { src?: unknown };
  return typeof src === 'string' ? src : undefined;
}
