/**
 * The machines' domain events (src/machines/wp/emitted.ts, src/machines/mission/emitted.ts) as
 * JSONL records: snake_case fields, ISO times, long texts bounded. Pure; the event mapper adds
 * the order and the bookkeeping of open agent runs.
 */
import type { MissionEnded } from '../../machines/mission/emitted.js';
import { truncate } from '../../machines/shared/error-info.js';
import type {
  AgentFinished,
  AgentRunRef,
  AgentStarted,
  FellBack,
  RetryScheduled,
  ReviewCycleStarted,
  VerdictRead,
} from '../../machines/wp/emitted.js';
import type { WpOutput } from '../../machines/wp/types.js';
import type {
  AgentEndRecord,
  AgentStartRecord,
  MissionEndRecord,
  RecordBase,
  ReviewCycleRecord,
  ReviewVerdictRecord,
  UsageRecord,
  WpEndRecord,
  WpFallbackRecord,
  WpRetryRecord,
  WpStateRecord,
} from './records.js';

const FEEDBACK_CHARS = 300;
const ERROR_CHARS = 300;

const bounded = (text: string | null, chars: number) => (text === null ? null : truncate(text, chars));

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

/** The fields naming one agent run, shared by agent.start and agent.end. */
function runFields(run: AgentRunRef) {
  return {
    wp: run.wpId,
    role: run.role,
    agent: run.agent,
    attempt: run.attempt,
    review_cycle: run.reviewCycle,
  };
}

export function agentStartRecord(base: RecordBase, event: AgentStarted): AgentStartRecord {
  return {
    type: 'agent.start',
    ...base,
    ...runFields(event),
  };
}

export function agentEndRecord(base: RecordBase, event: AgentFinished): AgentEndRecord {
  return {
    type: 'agent.end',
    ...base,
    ...runFields(event),
    exit_code: event.exitCode,
    success: event.success,
    failure_kind: event.failureKind,
    error: bounded(event.error, ERROR_CHARS),
    duration_ms: event.durationMs,
    usage: event.usage ? usageRecord(event.usage) : null,
    log_path: event.logPath,
  };
}

/** The run in flight was stopped (abort, Ctrl-C, the mission ended) before the agent finished. */
export function canceledRunRecord(base: RecordBase, run: AgentStarted): AgentEndRecord {
  return {
    type: 'agent.end',
    ...base,
    ...runFields(run),
    exit_code: null,
    success: false,
    failure_kind: 'canceled',
    error: null,
    duration_ms: null,
    usage: null,
    log_path: null,
  };
}

export function retryRecord(base: RecordBase, event: RetryScheduled): WpRetryRecord {
  return {
    type: 'wp.retry',
    ...base,
    wp: event.wpId,
    role: event.role,
    agent: event.agent,
    failed_attempt: event.failedAttempt,
    next_attempt: event.nextAttempt,
    failure_kind: event.failureKind,
    message: truncate(event.message, ERROR_CHARS),
    retry_at: event.retryAt === null ? null : new Date(event.retryAt).toISOString(),
  };
}

export function fallbackRecord(base: RecordBase, event: FellBack): WpFallbackRecord {
  return {
    type: 'wp.fallback',
    ...base,
    wp: event.wpId,
    role: event.role,
    from_agent: event.fromAgent,
    to_agent: event.toAgent,
    failure_kind: event.failureKind,
    message: bounded(event.message, ERROR_CHARS),
  };
}

export function reviewCycleRecord(base: RecordBase, event: ReviewCycleStarted): ReviewCycleRecord {
  return {
    type: 'review.cycle',
    ...base,
    wp: event.wpId,
    review_cycle: event.reviewCycle,
    reference: event.reference,
    reviewer: event.reviewer,
  };
}

export function verdictRecord(base: RecordBase, event: VerdictRead): ReviewVerdictRecord {
  return {
    type: 'review.verdict',
    ...base,
    wp: event.wpId,
    review_cycle: event.reviewCycle,
    reviewer: event.reviewer,
    verdict: event.verdict,
    decided_by: event.decidedBy,
    reference: event.reference,
    feedback: event.feedback === null ? null : truncate(event.feedback.trim(), FEEDBACK_CHARS),
  };
}

/** The last wp.state of a WP: its final state is named after its outcome. */
export function finalStateRecord(base: RecordBase, output: WpOutput): WpStateRecord {
  return {
    type: 'wp.state',
    ...base,
    wp: output.wpId,
    state: output.outcome,
    lane: output.lane,
    role: null,
    agent: null,
    attempt: null,
    review_cycle: output.reviewCycles,
  };
}

export function wpEndRecord(base: RecordBase, output: WpOutput): WpEndRecord {
  return {
    type: 'wp.end',
    ...base,
    wp: output.wpId,
    outcome: output.outcome,
    lane: output.lane,
    reason: output.reason ?? null,
    error_code: output.errorCode ?? null,
    duration_ms: output.durationMs,
    attempts: { ...output.attempts },
    review_cycles: output.reviewCycles,
    usage: usageRecord(output.usage),
    log_paths: [...output.logPaths],
  };
}

export function missionEndRecord(base: RecordBase, event: MissionEnded): MissionEndRecord {
  const { output } = event;
  return {
    type: 'mission.end',
    ...base,
    mission: event.mission,
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
  };
}
