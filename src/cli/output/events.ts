/**
 * Turns the XState inspection stream of the mission actor system into JSONL records.
 *
 * What happened comes from the machines themselves: the domain events they emit (XState `emit`,
 * seen here as `@xstate.action` inspection events of type `xstate.emit`; the list is in
 * src/machines/wp/emitted.ts and src/machines/mission/emitted.ts) become agent.*, wp.retry,
 * wp.fallback, review.*, wp.end and mission.end records. Only the `*.state` records are read
 * from snapshots, because they report the state itself. An event is recorded when the machine
 * takes the transition that decides it, so it comes before the wp.state record of the state it
 * leads to. actorRefs are never serialized. docs/events.md documents every record.
 */
import type { InspectionEvent } from 'xstate';
import type { HostCallRecord } from '../../host/client.js';
import type { MissionEmitted, MissionEnded } from '../../machines/mission/emitted.js';
import { effectiveLane } from '../../machines/mission/scheduling.js';
import type { MissionContext } from '../../machines/mission/types.js';
import { agentsFor } from '../../machines/wp/context.js';
import type { AgentStarted, WpEmitted } from '../../machines/wp/emitted.js';
import { roleAt } from '../../machines/wp/role-at.js';
import type { WpContext, WpOutput } from '../../machines/wp/types.js';
import {
  agentEndRecord,
  agentStartRecord,
  canceledRunRecord,
  fallbackRecord,
  finalStateRecord,
  missionEndRecord,
  retryRecord,
  reviewCycleRecord,
  verdictRecord,
  wpEndRecord,
} from './domain-records.js';
import { EVENTS_VERSION, type OrchestratorRecord, type RecordBase, type RecordSink } from './records.js';
import { missionPath, wpFlowPath } from './state-path.js';

export { usageRecord } from './domain-records.js';

export interface EventMapperOptions {
  runId: string;
  /** Clock for the `at` field (tests pass a fixed one). */
  now?: () => number;
  sink: RecordSink;
}

export interface EventMapper {
  /** Pass as (or call from) the root actor's `inspect` option. */
  inspect(event: InspectionEvent): void;
  /** Pass as (or call from) HostClient's `onCall` option. */
  hostCall(call: HostCallRecord): void;
}

interface WpTrack {
  path: string | null;
  /** The agent run started and not finished yet (canceled if the actor stops first). */
  openRun: AgentStarted | null;
  ended: boolean;
}

interface MachineSnapshotLike {
  status: string;
  value: unknown;
  context: unknown;
  machine?: { id?: unknown };
}

type Emitted = WpEmitted | MissionEmitted;

function machineIdOf(snapshot: unknown): unknown {
  return (snapshot as MachineSnapshotLike | null)?.machine?.id;
}

/** The event an `xstate.emit` action carries, if this inspection event is one. */
function emittedEvent(event: InspectionEvent): Emitted | null {
  if (event.type !== '@xstate.action' || event.action.type !== 'xstate.emit') return null;
  const emitted = (event.action.params as { event?: unknown } | undefined)?.event;
  return typeof emitted === 'object' && emitted !== null && 'type' in emitted ? (emitted as Emitted) : null;
}

export function createEventMapper(options: EventMapperOptions): EventMapper {
  const now = options.now ?? Date.now;
  const { runId, sink } = options;
  const wps = new Map<string, WpTrack>();
  let missionKey: string | null = null;
  let missionSeen = false;
  let missionEnded = false;
  let endingWith: MissionEnded | null = null;

  const base = (): RecordBase => ({ v: EVENTS_VERSION, at: new Date(now()).toISOString(), run_id: runId });
  const emit = (record: OrchestratorRecord) => {
    try {
      sink(record);
    } catch {
      // A broken output must never break the run.
    }
  };

  function trackOf(wpId: string): WpTrack {
    let track = wps.get(wpId);
    if (!track) {
      track = { path: null, openRun: null, ended: false };
      wps.set(wpId, track);
    }
    return track;
  }

  function cancelOpenRun(track: WpTrack): void {
    if (!track.openRun) return;
    emit(canceledRunRecord(base(), track.openRun));
    track.openRun = null;
  }

  /**
   * The final wp.state comes with wp.end: the flow's end is emitted before the actor's snapshot
   * of its final state is inspected, and the mission may already start the next WP in between.
   */
  function endWp(output: WpOutput): void {
    const track = trackOf(output.wpId);
    if (track.ended) return;
    track.ended = true;
    cancelOpenRun(track);
    if (track.path !== output.outcome) {
      track.path = output.outcome;
      emit(finalStateRecord(base(), output));
    }
    emit(wpEndRecord(base(), output));
  }

  function onEmitted(event: Emitted): void {
    switch (event.type) {
      case 'wp.agentStarted': {
        const track = trackOf(event.wpId);
        cancelOpenRun(track);
        track.openRun = event;
        emit(agentStartRecord(base(), event));
        return;
      }
      case 'wp.agentFinished':
        trackOf(event.wpId).openRun = null;
        emit(agentEndRecord(base(), event));
        return;
      case 'wp.retryScheduled':
        emit(retryRecord(base(), event));
        return;
      case 'wp.fellBack':
        emit(fallbackRecord(base(), event));
        return;
      case 'wp.reviewCycleStarted':
        emit(reviewCycleRecord(base(), event));
        return;
      case 'wp.verdictRead':
        emit(verdictRecord(base(), event));
        return;
      case 'wp.flowEnded':
      case 'mission.wpCrashed':
        endWp(event.output);
        return;
      case 'mission.ended':
        // Recorded after the mission's final state (its snapshot follows this event).
        endingWith = event;
        return;
    }
  }

  function onWpSnapshot(snapshot: MachineSnapshotLike): void {
    const context = snapshot.context as WpContext;
    const track = trackOf(context.wpId);
    if (track.ended) return;
    if (snapshot.status === 'stopped') {
      cancelOpenRun(track);
      return;
    }
    const path = wpFlowPath(snapshot.value);
    if (path === track.path) return;
    track.path = path;
    const role = roleAt(snapshot.value);
    emit({
      type: 'wp.state',
      ...base(),
      wp: context.wpId,
      state: path,
      lane: context.lane,
      role,
      agent: role ? (agentsFor(context, role)[context[role].agentIndex] ?? null) : null,
      attempt: role ? context[role].attempt : null,
      review_cycle: context.reviewCycle,
    });
  }

  function onMissionSnapshot(snapshot: MachineSnapshotLike): void {
    if (missionEnded) return;
    const context = snapshot.context as MissionContext;
    if (!missionSeen) {
      missionSeen = true;
      // A resumed run starts with the results its saved run had already counted.
      for (const result of Object.values(context.results)) endWp(result);
    }
    const path = missionPath(snapshot.value);
    const key = `${path}|${context.inFlight.join(',')}|${context.wpOrder.length}`;
    if (key !== missionKey) {
      missionKey = key;
      emit({
        type: 'mission.state',
        ...base(),
        mission: context.mission,
        state: path,
        in_flight: [...context.inFlight],
        wps: context.wpOrder.map((wp) => ({ wp, lane: effectiveLane(context, wp) })),
      });
    }
    if (endingWith) {
      missionEnded = true;
      for (const track of wps.values()) cancelOpenRun(track);
      emit(missionEndRecord(base(), endingWith));
    }
  }

  return {
    inspect(event) {
      const emitted = emittedEvent(event);
      if (emitted) {
        onEmitted(emitted);
        return;
      }
      if (event.type !== '@xstate.snapshot') return;
      const snapshot = event.snapshot as unknown as MachineSnapshotLike;
      const machineId = machineIdOf(snapshot);
      if (machineId === 'wp') onWpSnapshot(snapshot);
      else if (machineId === 'mission') onMissionSnapshot(snapshot);
    },
    hostCall(call) {
      emit({
        type: 'host.call',
        ...base(),
        command: call.command,
        duration_ms: Math.round(call.durationMs),
        wait_ms: Math.round(call.waitMs),
        attempt: call.attempt,
        ok: call.ok,
        error_code: call.errorCode ?? null,
      });
    },
  };
}
