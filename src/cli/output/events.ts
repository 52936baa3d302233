/**
 * Maps the XState inspection stream of the mission actor system to plain JSONL records.
 *
 * Only `@xstate.snapshot` events carry what we need: each names the actor, its new snapshot and
 * the event that caused it. WP actors and the mission actor are told apart by their machine id
 * ('wp' / 'mission'); every other actor (invoked promises, timers) is ignored. Records are made
 * only when something a person cares about changed, by comparing with the previous snapshot of
 * the same actor, so this stays cheap on every event. actorRefs are never serialized.
 */
import type { InspectionEvent } from 'xstate';
import type { AgentId, AgentRole, FailureKind } from '../../agents/types.js';
import type { HostCallRecord } from '../../host/client.js';
import { effectiveLane } from '../../machines/mission/scheduling.js';
import type { MissionContext, MissionOutput } from '../../machines/mission/types.js';
import { truncate } from '../../machines/shared/error-info.js';
import { agentsFor } from '../../machines/wp/context.js';
import type { RunAgentOutput, WpContext, WpOutput } from '../../machines/wp/types.js';
import type { AgentEndRecord, OrchestratorRecord, RecordSink, UsageRecord } from './records.js';
import { AGENT_STATES, missionPath, RETRY_STATES, roleOfPath, wpFlowPath } from './state-path.js';

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

const FEEDBACK_CHARS = 300;
const DONE_PREFIX = 'xstate.done.actor.';
const ERROR_CHARS = 300;

interface OpenRun {
  role: AgentRole;
  invokeId: string;
  agent: AgentId | null;
  attempt: number;
  reviewCycle: number;
  /** The role's `runs` counter when the run started: it grows by one when the run is booked. */
  runsAtStart: number;
}

interface WpTrack {
  path: string | null;
  context: WpContext | null;
  openRun: OpenRun | null;
  ended: boolean;
}

interface MachineSnapshotLike {
  status: string;
  value: unknown;
  context: unknown;
  output?: unknown;
  machine?: { id?: unknown };
}

function machineIdOf(snapshot: unknown): unknown {
  return (snapshot as MachineSnapshotLike | null)?.machine?.id;
}

function agentOf(context: WpContext, role: AgentRole): AgentId | null {
  return agentsFor(context, role)[context[role].agentIndex] ?? null;
}

/**
 * `cost_usd` is null when the agent did not say what a run cost (most CLIs against a model
 * without pricing): an unknown cost is not $0. A WP's totals add up the costs that are known.
 */
export function usageRecord(usage: {
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}): UsageRecord {
  return {
    input_tokens: usage.inputTokens ?? 0,
    output_tokens: usage.outputTokens ?? 0,
    cost_usd: usage.costUsd ?? null,
  };
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

export function createEventMapper(options: EventMapperOptions): EventMapper {
  const now = options.now ?? Date.now;
  const { runId, sink } = options;
  const wps = new Map<string, WpTrack>();
  let missionKey: string | null = null;
  let missionResults: MissionContext['results'] | null = null;
  let missionEnded = false;

  const at = () => new Date(now()).toISOString();
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
      track = { path: null, context: null, openRun: null, ended: false };
      wps.set(wpId, track);
    }
    return track;
  }

  function endRun(wpId: string, run: OpenRun, details: Partial<AgentEndRecord>): void {
    emit({
      type: 'agent.end',
      at: at(),
      run_id: runId,
      wp: wpId,
      role: run.role,
      agent: run.agent,
      attempt: run.attempt,
      review_cycle: run.reviewCycle,
      exit_code: null,
      success: false,
      failure_kind: null,
      error: null,
      duration_ms: null,
      usage: null,
      log_path: null,
      ...details,
    });
  }

  function endRunFromOutput(wpId: string, run: OpenRun, output: RunAgentOutput): void {
    const { result } = output;
    const noVerdict = run.role === 'review' && result.success && result.verdict === undefined;
    endRun(wpId, run, {
      agent: result.agent,
      exit_code: result.exitCode,
      success: result.success && !noVerdict,
      failure_kind: result.success ? (noVerdict ? 'no_output' : null) : (result.failureKind ?? 'general'),
      error: result.errors[0] ? truncate(result.errors[0], ERROR_CHARS) : null,
      duration_ms: Math.max(0, output.finishedAt - output.startedAt),
      usage: result.usage ? usageRecord(result.usage) : null,
      log_path: result.logPath,
    });
  }

  /** Closes the agent run in flight, if the event that caused this snapshot ended it. */
  function settleOpenRun(wpId: string, track: WpTrack, context: WpContext, cause: { type: string }): void {
    const run = track.openRun;
    if (!run) return;
    if (cause.type === `xstate.done.actor.${run.invokeId}`) {
      endRunFromOutput(wpId, run, (cause as unknown as { output: RunAgentOutput }).output);
    } else if (cause.type === `xstate.error.actor.${run.invokeId}`) {
      endRun(wpId, run, {
        failure_kind: 'crashed',
        error: truncate(errorMessage((cause as { error?: unknown }).error), ERROR_CHARS),
      });
    } else if (context[run.role].runs > run.runsAtStart) {
      endRun(wpId, run, {}); // booked without us seeing the event (cannot happen today; stay truthful)
    } else {
      return;
    }
    track.openRun = null;
  }

  function noteFallbacks(wpId: string, previous: WpContext, context: WpContext): void {
    for (const role of ['implementation', 'review'] as const) {
      if (context[role].agentIndex <= previous[role].agentIndex) continue;
      const failure = context.lastFailure;
      emit({
        type: 'wp.fallback',
        at: at(),
        run_id: runId,
        wp: wpId,
        role,
        from_agent: agentOf(previous, role),
        to_agent: agentOf(context, role),
        failure_kind: failure?.kind ?? null,
        message: failure ? truncate(failure.message, ERROR_CHARS) : null,
      });
    }
  }

  function noteVerdict(wpId: string, previous: WpContext, context: WpContext, cause: { type: string }): void {
    const review = context.lastReviewResult;
    if (!review || review === previous.lastReviewResult) return;
    const output =
      cause.type === 'xstate.done.actor.reviewer' ? (cause as { output?: RunAgentOutput }).output : undefined;
    const rejected = review.verdict === 'changes_requested';
    emit({
      type: 'review.verdict',
      at: at(),
      run_id: runId,
      wp: wpId,
      review_cycle: context.reviewCycle,
      reviewer: review.reviewer,
      verdict: review.verdict,
      decided_by: output?.result.verdict?.decidedBy ?? null,
      reference: review.reference,
      feedback: rejected ? truncate((context.lastFeedback ?? '').trim(), FEEDBACK_CHARS) : null,
    });
  }

  function noteRetry(wpId: string, role: AgentRole, context: WpContext): void {
    const failure = context.lastFailure;
    if (!failure) return;
    emit({
      type: 'wp.retry',
      at: at(),
      run_id: runId,
      wp: wpId,
      role,
      agent: failure.agent,
      failed_attempt: failure.attempt,
      next_attempt: failure.attempt + 1,
      failure_kind: failure.kind as FailureKind,
      message: truncate(failure.message, ERROR_CHARS),
      retry_at: context.retryDeadline === null ? null : new Date(context.retryDeadline).toISOString(),
    });
  }

  function endWp(wpId: string, track: WpTrack, output: WpOutput): void {
    if (track.ended) return;
    track.ended = true;
    if (track.openRun) {
      endRun(wpId, track.openRun, { failure_kind: 'canceled' });
      track.openRun = null;
    }
    // The final states are named after the outcomes; the final snapshot itself may arrive after
    // the parent already reacted, so the last wp.state is made here, in order.
    if (track.path !== output.outcome) {
      track.path = output.outcome;
      emit({
        type: 'wp.state',
        at: at(),
        run_id: runId,
        wp: wpId,
        state: output.outcome,
        lane: output.lane,
        role: null,
        agent: null,
        attempt: null,
        review_cycle: output.reviewCycles,
      });
    }
    emit({
      type: 'wp.end',
      at: at(),
      run_id: runId,
      wp: wpId,
      outcome: output.outcome,
      lane: output.lane,
      reason: output.reason ?? null,
      error_code: output.errorCode ?? null,
      duration_ms: output.durationMs,
      attempts: { ...output.attempts },
      review_cycles: output.reviewCycles,
      usage: usageRecord(output.usage),
      log_paths: [...output.logPaths],
    });
  }

  function onWpSnapshot(snapshot: MachineSnapshotLike, cause: { type: string }): void {
    const context = snapshot.context as WpContext;
    const wpId = context.wpId;
    const track = trackOf(wpId);
    if (track.ended) return;
    const previous = track.context;
    const path = wpFlowPath(snapshot.value);

    settleOpenRun(wpId, track, context, cause);
    if (previous && previous !== context) {
      noteFallbacks(wpId, previous, context);
      noteVerdict(wpId, previous, context, cause);
    }
    if (path !== track.path) {
      const role = roleOfPath(path);
      emit({
        type: 'wp.state',
        at: at(),
        run_id: runId,
        wp: wpId,
        state: path,
        lane: context.lane,
        role,
        agent: role ? agentOf(context, role) : null,
        attempt: role ? context[role].attempt : null,
        review_cycle: context.reviewCycle,
      });
      const retryRole = RETRY_STATES[path];
      if (retryRole) noteRetry(wpId, retryRole, context);
    }
    const agentState = AGENT_STATES[path];
    if (agentState && !track.openRun && snapshot.status === 'active') {
      const { role, invokeId } = agentState;
      track.openRun = {
        role,
        invokeId,
        agent: agentOf(context, role),
        attempt: context[role].attempt,
        reviewCycle: context.reviewCycle,
        runsAtStart: context[role].runs,
      };
      emit({
        type: 'agent.start',
        at: at(),
        run_id: runId,
        wp: wpId,
        role,
        agent: track.openRun.agent,
        attempt: track.openRun.attempt,
        review_cycle: context.reviewCycle,
      });
    }
    track.path = path;
    track.context = context;

    if (snapshot.status === 'done' && snapshot.output) endWp(wpId, track, snapshot.output as WpOutput);
    else if (snapshot.status === 'stopped' && track.openRun) {
      endRun(wpId, track.openRun, { failure_kind: 'canceled' });
      track.openRun = null;
    }
  }

  /**
   * A WP actor's done event reaches the mission before the WP's own final snapshot is inspected
   * (the mission may already start the next WP in between), so the WP is ended from it.
   */
  function onDoneEvent(event: { type: string; output?: unknown }): void {
    if (!event.type.startsWith(DONE_PREFIX)) return;
    const output = event.output as Partial<WpOutput> | undefined;
    if (typeof output?.wpId !== 'string' || typeof output.outcome !== 'string') return;
    if (event.type.slice(DONE_PREFIX.length) !== output.wpId) return;
    endWp(output.wpId, trackOf(output.wpId), output as WpOutput);
  }

  function onMissionSnapshot(snapshot: MachineSnapshotLike): void {
    if (missionEnded) return;
    const context = snapshot.context as MissionContext;
    // Results also cover WP actors that crashed (no final snapshot of their own).
    if (context.results !== missionResults) {
      missionResults = context.results;
      for (const [wpId, result] of Object.entries(context.results)) endWp(wpId, trackOf(wpId), result);
    }
    const path = missionPath(snapshot.value);
    const key = `${path}|${context.inFlight.join(',')}|${context.wpOrder.length}`;
    if (key !== missionKey) {
      missionKey = key;
      emit({
        type: 'mission.state',
        at: at(),
        run_id: runId,
        mission: context.mission,
        state: path,
        in_flight: [...context.inFlight],
        wps: context.wpOrder.map((wp) => ({ wp, lane: effectiveLane(context, wp) })),
      });
    }
    if (snapshot.status === 'done' && snapshot.output) {
      missionEnded = true;
      for (const [wpId, track] of wps) {
        if (track.openRun) {
          endRun(wpId, track.openRun, { failure_kind: 'canceled' });
          track.openRun = null;
        }
      }
      const output = snapshot.output as MissionOutput;
      emit({
        type: 'mission.end',
        at: at(),
        run_id: runId,
        mission: context.mission,
        status: output.status,
        summary: output.summary,
        accepted: output.accepted ?? null,
        stalled: (output.stalledWps ?? []).map((s) => ({ wp: s.wpId, lane: s.lane, reason: s.reason })),
        error: output.error
          ? {
              code: output.error.code,
              message: output.error.message,
              command: output.error.command ?? null,
              reasons: output.error.reasons ?? [],
            }
          : null,
      });
    }
  }

  return {
    inspect(event) {
      if (event.type === '@xstate.event') {
        onDoneEvent(event.event);
        return;
      }
      if (event.type !== '@xstate.snapshot') return;
      const snapshot = event.snapshot as unknown as MachineSnapshotLike;
      const machineId = machineIdOf(snapshot);
      if (machineId === 'wp') onWpSnapshot(snapshot, event.event);
      else if (machineId === 'mission') onMissionSnapshot(snapshot);
    },
    hostCall(call) {
      emit({
        type: 'host.call',
        at: at(),
        run_id: runId,
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
