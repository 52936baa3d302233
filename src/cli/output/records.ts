/**
 * The JSONL event records of a run (`--json` on stdout, `--event-log <file>`). One `type` per
 * record, snake_case field names, plain JSON values only. Scripts depend on these names: add
 * fields and record types freely, never rename or remove one without raising EVENTS_VERSION.
 * docs/events.md documents every record; a test keeps it in step with this file.
 */
import type { AgentId, AgentRole, FailureKind } from '../../agents/types.js';
import type { Lane } from '../../host/lanes.js';
import type { MissionStatus } from '../../machines/mission/types.js';
import type { WpOutcome } from '../../machines/wp/types.js';

/**
 * The major version of the records, in every record as `v`. Raised only when a record type or
 * field is renamed or removed, or a field changes meaning; additions keep it (docs/events.md).
 */
export const EVENTS_VERSION = 1;

export interface RecordBase {
  v: typeof EVENTS_VERSION;
  /** ISO 8601 time the record was made. */
  at: string;
  run_id: string;
}

export interface UsageRecord {
  input_tokens: number;
  output_tokens: number;
  /** Null when the agent reported no cost (unknown, not free). */
  cost_usd: number | null;
}

/** A WP's state in its flow region changed (e.g. `inProgress.implementing`). */
export interface WpStateRecord extends RecordBase {
  type: 'wp.state';
  wp: string;
  state: string;
  /** The lane as far as this run's own successful host calls tell. */
  lane: Lane;
  /** The role working in this state; null in host-call steps (claiming, submitting...). */
  role: AgentRole | null;
  agent: AgentId | null;
  attempt: number | null;
  review_cycle: number;
}

export interface AgentStartRecord extends RecordBase {
  type: 'agent.start';
  wp: string;
  role: AgentRole;
  agent: AgentId | null;
  attempt: number;
  review_cycle: number;
}

/** `failure_kind` 'canceled': the run was stopped (abort, Ctrl-C) before the agent finished. */
export type AgentEndFailureKind = FailureKind | 'crashed' | 'canceled';

export interface AgentEndRecord extends RecordBase {
  type: 'agent.end';
  wp: string;
  role: AgentRole;
  agent: AgentId | null;
  attempt: number;
  review_cycle: number;
  exit_code: number | null;
  success: boolean;
  failure_kind: AgentEndFailureKind | null;
  /** First error the agent reported (bounded), or why it could not run. */
  error: string | null;
  duration_ms: number | null;
  usage: UsageRecord | null;
  log_path: string | null;
}

export interface WpRetryRecord extends RecordBase {
  type: 'wp.retry';
  wp: string;
  role: AgentRole;
  agent: AgentId;
  failed_attempt: number;
  next_attempt: number;
  failure_kind: FailureKind;
  message: string;
  /** When the next attempt starts (ISO), from the deadline the machine keeps. */
  retry_at: string | null;
}

export interface WpFallbackRecord extends RecordBase {
  type: 'wp.fallback';
  wp: string;
  role: AgentRole;
  from_agent: AgentId | null;
  to_agent: AgentId | null;
  failure_kind: FailureKind | null;
  message: string | null;
}

/** start-review is about to be sent for a new review cycle (before its in_review wp.state). */
export interface ReviewCycleRecord extends RecordBase {
  type: 'review.cycle';
  wp: string;
  review_cycle: number;
  /** The review reference sent with start-review. */
  reference: string | null;
  reviewer: AgentId | null;
}

export interface ReviewVerdictRecord extends RecordBase {
  type: 'review.verdict';
  wp: string;
  review_cycle: number;
  reviewer: string;
  verdict: 'approved' | 'changes_requested';
  /** Whether the verdict was read from the agent's output or inferred from its exit code. */
  decided_by: 'output' | 'exit_code' | null;
  reference: string;
  /** Bounded excerpt of the reviewer's feedback (rejections only). */
  feedback: string | null;
}

export interface WpEndRecord extends RecordBase {
  type: 'wp.end';
  wp: string;
  outcome: WpOutcome;
  lane: Lane;
  reason: string | null;
  error_code: string | null;
  duration_ms: number;
  attempts: { implementation: number; review: number };
  review_cycles: number;
  usage: UsageRecord;
  log_paths: string[];
}

export interface MissionStateRecord extends RecordBase {
  type: 'mission.state';
  mission: string;
  /** Top-level state, plus the scheduler's substate while running (the poller is left out). */
  state: string;
  in_flight: string[];
  /** Every WP the host listed, in its order, with the lane this run believes it is in. */
  wps: { wp: string; lane: Lane }[];
}

export interface MissionEndRecord extends RecordBase {
  type: 'mission.end';
  mission: string;
  status: MissionStatus;
  summary: string;
  accepted: boolean | null;
  stalled: { wp: string; lane: Lane; reason: string }[];
  /** `command`: the host command that failed; `reasons`: the host's own reasons, one line each. */
  error: { code: string; message: string; command: string | null; reasons: string[] } | null;
}

export interface HostCallEventRecord extends RecordBase {
  type: 'host.call';
  command: string;
  duration_ms: number;
  wait_ms: number;
  attempt: number;
  ok: boolean;
  error_code: string | null;
}

export type OrchestratorRecord =
  | WpStateRecord
  | AgentStartRecord
  | AgentEndRecord
  | WpRetryRecord
  | WpFallbackRecord
  | ReviewCycleRecord
  | ReviewVerdictRecord
  | WpEndRecord
  | MissionStateRecord
  | MissionEndRecord
  | HostCallEventRecord;

export type RecordType = OrchestratorRecord['type'];

/** Where records go. Sinks must not throw (a broken output never stops the run). */
export type RecordSink = (record: OrchestratorRecord) => void;

/** One sink that feeds several; a sink that throws is skipped, the others still get the record. */
export function fanOut(...sinks: readonly (RecordSink | undefined | null | false)[]): RecordSink {
  const active = sinks.filter((sink): sink is RecordSink => typeof sink === 'function');
  return (record) => {
    for (const sink of active) {
      try {
        sink(record);
      } catch {
        // An output must never stop the run; sinks report their own errors.
      }
    }
  };
}
