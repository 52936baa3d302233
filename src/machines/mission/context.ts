/** Pure helpers over MissionContext: initial context, folding host reads and child outputs, output. */
import type { MissionState } from '../../host/schemas.js';
import { describeError } from '../shared/error-info.js';
import type { WpInput, WpOutput } from '../wp/types.js';
import { effectiveLane, problemSummary } from './scheduling.js';
import type {
  KnownWp,
  MissionContext,
  MissionInput,
  MissionOutput,
  MissionStatus,
  WpSummary,
} from './types.js';

export function initialMissionContext(input: MissionInput): MissionContext {
  return {
    mission: input.mission,
    actor: input.actor,
    policy: input.policy,
    repoRoot: input.repoRoot,
    runId: input.runId ?? `${input.mission}:${input.actor}`,
    config: input.config,
    ownedInReview: input.ownedInReview ?? [],
    contractVersion: null,
    wpOrder: [],
    known: {},
    inFlight: [],
    draining: [],
    results: {},
    stateFresh: false,
    pollDeadline: null,
    pollErrors: 0,
    lastSeenAt: null,
    status: null,
    error: null,
    accepted: null,
    stalledWps: null,
    summary: null,
  };
}

export function missionStateRead(
  context: MissionContext,
  state: MissionState,
  at: number,
): Partial<MissionContext> {
  const known: Record<string, KnownWp> = {};
  for (const wp of state.work_packages) {
    known[wp.wp_id] = { wpId: wp.wp_id, lane: wp.lane, dependencies: [...wp.dependencies] };
  }
  return {
    known,
    wpOrder: state.work_packages.map((wp) => wp.wp_id),
    stateFresh: true,
    pollErrors: 0,
    pollDeadline: at + context.config.pollIntervalSeconds * 1000,
    lastSeenAt: Math.max(context.lastSeenAt ?? at, at),
  };
}

export function wpInputFor(context: MissionContext, wpId: string): WpInput {
  const { config } = context;
  return {
    wpId,
    mission: context.mission,
    actor: context.actor,
    policy: context.policy,
    repoRoot: context.repoRoot,
    runId: context.runId,
    lane: effectiveLane(context, wpId),
    ownedInReview: context.ownedInReview.includes(wpId),
    announceFlowEnd: true,
    config: {
      agents: config.agents,
      maxRetries: config.maxRetries,
      retryBackoffSeconds: config.retryBackoffSeconds,
      timeoutSeconds: config.timeoutSeconds,
      singleAgentMode: config.singleAgentMode,
      maxReviewCycles: config.maxReviewCycles,
    },
  };
}

const DONE_PREFIX = 'xstate.done.actor.';
const ERROR_PREFIX = 'xstate.error.actor.';

/** The WP id of a child's done/error event, when the child is one of our WP actors. */
export function childWpId(context: MissionContext, eventType: string): string | null {
  const prefix = eventType.startsWith(DONE_PREFIX)
    ? DONE_PREFIX
    : eventType.startsWith(ERROR_PREFIX)
      ? ERROR_PREFIX
      : null;
  if (!prefix) return null;
  const id = eventType.slice(prefix.length);
  return context.inFlight.includes(id) ? id : null;
}

/** A live child's lane flow ended: its result counts now, its slot is free, its notes go on. */
export function childFlowEnded(context: MissionContext, output: WpOutput): Partial<MissionContext> {
  return {
    draining: [...context.draining, output.wpId],
    results: { ...context.results, [output.wpId]: output },
    stateFresh: false,
  };
}

/** The WP of a WP.FLOW_ENDED event, when it is a live child that has not announced it yet. */
export function flowEndedWpId(context: MissionContext, output: WpOutput): string | null {
  const wpId = output.wpId;
  return context.inFlight.includes(wpId) && !context.draining.includes(wpId) ? wpId : null;
}

function withResult(context: MissionContext, wpId: string, result: WpOutput): Partial<MissionContext> {
  return {
    inFlight: context.inFlight.filter((id) => id !== wpId),
    draining: context.draining.filter((id) => id !== wpId),
    results: { ...context.results, [wpId]: result },
    stateFresh: false,
  };
}

export function childFinished(
  context: MissionContext,
  wpId: string,
  output: WpOutput,
): Partial<MissionContext> {
  return withResult(context, wpId, output);
}

/** A WP actor that crashed (a bug, not a host refusal): recorded as failed, lane as last known. */
export function childCrashed(context: MissionContext, wpId: string, error: unknown): Partial<MissionContext> {
  const info = describeError(error);
  const result: WpOutput = {
    wpId,
    outcome: 'failed',
    reason: `WP actor crashed: ${info.message}`,
    errorCode: info.code,
    lane: effectiveLane(context, wpId),
    agents: { implementation: [], review: [] },
    attempts: { implementation: 0, review: 0 },
    reviewCycles: 0,
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    durationMs: 0,
    logPaths: [],
    lastError: info,
  };
  return withResult(context, wpId, result);
}

export function summarize(context: MissionContext, status: MissionStatus): string {
  switch (status) {
    case 'completed':
      return context.accepted ? 'every WP is done; mission accepted' : 'every WP is done';
    case 'aborted':
      return 'aborted: scheduling stopped and WP actors stopped; host lanes left as they are';
    case 'failed':
      return `failed: ${context.error?.message ?? 'unknown error'}`;
    default:
      return problemSummary(context);
  }
}

export function buildMissionOutput(context: MissionContext): MissionOutput {
  const wps: Record<string, WpSummary> = {};
  for (const wpId of context.wpOrder) {
    const result = context.results[wpId];
    const summary: WpSummary = { wpId, lane: effectiveLane(context, wpId) };
    if (result) {
      summary.outcome = result.outcome;
      if (result.reason !== undefined) summary.reason = result.reason;
      if (result.errorCode !== undefined) summary.errorCode = result.errorCode;
      summary.result = result;
    }
    wps[wpId] = summary;
  }
  const status = context.status ?? 'failed';
  const output: MissionOutput = { status, summary: context.summary ?? summarize(context, status), wps };
  if (context.accepted !== null) output.accepted = context.accepted;
  if (context.stalledWps !== null) output.stalledWps = context.stalledWps;
  if (context.error !== null) output.error = context.error;
  return output;
}
