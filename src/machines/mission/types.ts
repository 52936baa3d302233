/**
 * The missionMachine's type family: input, context, output, events and the contracts of the
 * actors it invokes. JSON-serializable throughout (the snapshot is the run state).
 */
import type { AgentId } from '../../agents/types.js';
import type { ContractInfo } from '../../host/api.js';
import type { Lane } from '../../host/lanes.js';
import type { MissionAccepted, MissionState } from '../../host/schemas.js';
import type { ErrorInfo } from '../shared/error-info.js';
import type { EpochMs, Timed } from '../shared/time.js';
import type { WpOutcome, WpOutput } from '../wp/types.js';

export interface MissionConfig {
  maxConcurrent: number;
  agents: { implementation: AgentId[]; review: AgentId[] };
  maxRetries: number;
  retryBackoffSeconds: number;
  timeoutSeconds: number;
  singleAgentMode: boolean;
  maxReviewCycles: number;
  /** Call accept-mission once every WP is done. */
  acceptOnCompletion: boolean;
  /** The safety-net poll of mission-state (children finishing re-schedule at once, without it). */
  pollIntervalSeconds: number;
}

export interface MissionInput {
  mission: string;
  actor: string;
  /** Serialized policy JSON. */
  policy: string;
  config: MissionConfig;
  /** WPs in in_review that an earlier run of ours claimed for review (mission-state cannot tell). */
  ownedInReview?: string[];
  repoRoot: string;
  /** Makes review references unique per run; defaults to `<mission>:<actor>`. */
  runId?: string;
}

export interface KnownWp {
  wpId: string;
  lane: Lane;
  dependencies: string[];
}

export interface StalledWp {
  wpId: string;
  lane: Lane;
  /** Why it cannot move: its last error, or what it waits for. */
  reason: string;
}

export type MissionStatus = 'completed' | 'finished_with_problems' | 'stalled' | 'failed' | 'aborted';

export interface MissionContext {
  mission: string;
  actor: string;
  policy: string;
  repoRoot: string;
  runId: string;
  config: MissionConfig;
  ownedInReview: string[];
  contractVersion: string | null;
  /** WP ids in the host's order. */
  wpOrder: string[];
  /** The last mission-state the host gave (lanes and dependencies). */
  known: Record<string, KnownWp>;
  /** WPs with a live wp child now (draining ones included). */
  inFlight: string[];
  /**
   * WPs whose child ended its lane flow and only writes its last history notes: they hold no
   * concurrency slot, and their provisional result (in `results`) already counts for readiness.
   */
  draining: string[];
  /** Outputs of WP children that finished in this run (never re-adopted). */
  results: Record<string, WpOutput>;
  /** True when mission-state was read after the last child finished. */
  stateFresh: boolean;
  pollDeadline: EpochMs | null;
  pollErrors: number;
  lastSeenAt: EpochMs | null;
  status: MissionStatus | null;
  error: ErrorInfo | null;
  accepted: boolean | null;
  stalledWps: StalledWp[] | null;
  summary: string | null;
}

export interface WpSummary {
  wpId: string;
  lane: Lane;
  /** Present when a WP actor of this run finished it. */
  outcome?: WpOutcome;
  reason?: string;
  errorCode?: string;
  result?: WpOutput;
}

export interface MissionOutput {
  status: MissionStatus;
  summary: string;
  wps: Record<string, WpSummary>;
  accepted?: boolean;
  stalledWps?: StalledWp[];
  error?: ErrorInfo;
}

export type MissionEvent =
  | { type: 'ABORT'; reason?: string }
  /** Raised by the poller when a fresh mission-state arrived. */
  | { type: 'STATE_REFRESHED' }
  /** A WP child ended its lane flow (done, blocked, failed); its notes may still be written. */
  | { type: 'WP.FLOW_ENDED'; output: WpOutput }
  /** A WP child (id = WP id) reached its final state. */
  | { type: `xstate.done.actor.${string}`; output: WpOutput }
  /** A WP child crashed (an exception inside the machine). */
  | { type: `xstate.error.actor.${string}`; error: unknown };

// ---------- actor contracts ----------
export type HostContractVersionInput = Record<string, never>;
export type HostContractVersionOutput = Timed<ContractInfo>;
export interface HostMissionStateInput {
  mission: string;
}
export type HostMissionStateOutput = Timed<MissionState>;
export interface HostAcceptMissionInput {
  mission: string;
  actor: string;
}
export type HostAcceptMissionOutput = Timed<MissionAccepted>;
