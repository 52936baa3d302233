/**
 * The wpMachine's type family: its input, context, output, and the input/output of every actor it
 * invokes by name. Everything here is JSON-serializable, because context and actor inputs/outputs
 * are part of the persisted snapshot.
 */
import type { AgentId, AgentResult, AgentRole, AgentUsage, FailureKind } from '../../agents/types.js';
import type { Lane } from '../../host/lanes.js';
import type {
  HistoryAppended,
  ResolvedWorkspace,
  StartedImplementation,
  StartedReview,
  Transitioned,
} from '../../host/schemas.js';
import type { ErrorInfo } from '../shared/error-info.js';
import type { EpochMs, Timed } from '../shared/time.js';
import type {
  AppendHistoryArgs,
  ResolvedWorkspaceArgs,
  ReviewResult,
  StartImplementationArgs,
  StartReviewArgs,
  TransitionArgs,
} from './host-args.js';

export type { ReviewResult };

/** Orchestration settings a WP needs (the mission passes its own config down). */
export interface WpConfig {
  agents: { implementation: AgentId[]; review: AgentId[] };
  /** Retries per agent after its first attempt fails (so 1 + maxRetries attempts per agent). */
  maxRetries: number;
  /** Backoff before retry n is retryBackoffSeconds * 2^(n-1). */
  retryBackoffSeconds: number;
  timeoutSeconds: number;
  /** The reviewer is the implementer (and its fallbacks). */
  singleAgentMode: boolean;
  /** A rejection in cycle maxReviewCycles blocks the WP instead of starting another rework. */
  maxReviewCycles: number;
}

export interface WpInput {
  wpId: string;
  mission: string;
  actor: string;
  /** Serialized policy JSON, passed to run-affecting host calls. */
  policy: string;
  repoRoot: string;
  /** Stable per run: makes review references unique without randomness in the machine. */
  runId: string;
  /** The lane the WP was found in (decides where the actor starts). */
  lane: Lane;
  /** True when a WP found in in_review was claimed for review by us in an earlier run. */
  ownedInReview?: boolean;
  config: WpConfig;
  /**
   * Send the parent WP.FLOW_ENDED at the last lane change (the mission machine spawns its WPs
   * with this on). Absent or false for a WP actor run on its own, which has no parent to tell.
   */
  announceFlowEnd?: boolean;
}

export type WpOutcome = 'done' | 'blocked' | 'failed';

/** Per-role bookkeeping of agent choice and attempts. */
export interface RoleState {
  /** Index into the role's agent list of the agent in charge now. */
  agentIndex: number;
  /** 1-based attempt number of the current agent. */
  attempt: number;
  /** Agents that ran (in order of first use), for the output and status table. */
  agentsTried: AgentId[];
  /** Every run of this role (success or not). */
  runs: number;
}

/** The last failed attempt, as the retry/fallback decision sees it. */
export interface AttemptFailure {
  role: AgentRole;
  agent: AgentId;
  attempt: number;
  kind: FailureKind;
  message: string;
  at: EpochMs | null;
}

export interface PhaseTiming {
  startedAt: EpochMs | null;
  finishedAt: EpochMs | null;
}

export interface WorkspaceInfo {
  workspacePath: string;
  promptPath: string;
  laneId: string | null;
  laneBranch: string | null;
  laneBaseRef: string | null;
}

export interface WpContext {
  wpId: string;
  mission: string;
  actor: string;
  policy: string;
  repoRoot: string;
  runId: string;
  config: WpConfig;
  entryLane: Lane;
  ownedInReview: boolean;
  /** Whether a parent listens for WP.FLOW_ENDED (WpInput.announceFlowEnd). */
  announceFlowEnd: boolean;
  /**
   * Restored from a saved run: the step the saved actor was in (set by the restore step, read by
   * routing through `resumeAt`, see restore-steps.ts); null otherwise.
   */
  resumeStep: string | null;
  /** Times a failed lane change was checked against mission-state and the actor re-routed. */
  reconciles: number;
  /** The host lane as far as our own successful calls tell. */
  lane: Lane;
  workspace: WorkspaceInfo | null;
  promptText: string | null;
  subtaskIds: string[];
  /** Lane head before the current implementation phase: commits are counted from it. */
  baseHead: string | null;
  diffSummary: string | null;
  implementation: RoleState;
  review: RoleState;
  reviewCycle: number;
  reviewRef: string | null;
  /** Feedback of the last rejection, added to the rework prompt. */
  lastFeedback: string | null;
  lastReviewResult: ReviewResult | null;
  lastFailure: AttemptFailure | null;
  retryDeadline: EpochMs | null;
  /** Why the WP is being blocked (the note on the blocked transition). */
  blockReason: string | null;
  /** The host error that ended the actor in `failed`, or a local error that blocked it. */
  lastError: ErrorInfo | null;
  logPaths: string[];
  usage: Required<AgentUsage>;
  commits: number;
  timings: Record<string, PhaseTiming>;
  /** The latest instant any actor reported: the machine's only notion of "now". */
  lastSeenAt: EpochMs | null;
  firstSeenAt: EpochMs | null;
  /** History notes waiting to be written (off the critical path, in the notes region). */
  /** The last retry/fallback note queued (a restored actor re-entering that attempt queues none). */
  lastStartNote: string | null;
  pendingNotes: string[];
  noteFailures: number;
  outcome: WpOutcome | null;
  outcomeReason: string | null;
}

export interface WpOutput {
  wpId: string;
  outcome: WpOutcome;
  reason?: string;
  errorCode?: string;
  lane: Lane;
  agents: { implementation: AgentId[]; review: AgentId[] };
  attempts: { implementation: number; review: number };
  reviewCycles: number;
  usage: Required<AgentUsage>;
  durationMs: number;
  logPaths: string[];
  lastError?: ErrorInfo;
}

// ---------- actor contracts (implemented at the composition root) ----------

export type HostStartImplementationInput = StartImplementationArgs;
export type HostStartImplementationOutput = Timed<StartedImplementation>;
export type HostResolveWorkspaceInput = ResolvedWorkspaceArgs;
export type HostResolveWorkspaceOutput = Timed<ResolvedWorkspace>;
export type HostTransitionInput = TransitionArgs;
export type HostTransitionOutput = Timed<Transitioned>;
export type HostStartReviewInput = StartReviewArgs;
export type HostStartReviewOutput = Timed<StartedReview>;
export type HostAppendHistoryInput = AppendHistoryArgs;
export interface HostWpLaneInput {
  mission: string;
  wp: string;
}
/** The WP's lane in a fresh mission-state read. */
export type HostWpLaneOutput = Timed<{ lane: Lane }>;
export type HostAppendHistoryOutput = Timed<HistoryAppended>;

export interface PrepareWorkspaceInput {
  repoRoot: string;
  mission: string;
  wpId: string;
  workspacePath: string;
  promptPath: string;
  laneBranch: string | null;
  laneBaseRef: string | null;
}
export interface PrepareWorkspaceOutput {
  workspacePath: string;
  /** The WP prompt file's full text (frontmatter included). */
  promptText: string;
  /** Subtask ids parsed from the prompt frontmatter (src/agents/prompts.ts parseSubtaskIds). */
  subtaskIds: string[];
  /** Lane head now; null when the workspace has no lane branch (older hosts). */
  baseHead: string | null;
  at: EpochMs;
}

/** What the runAgent actor turns into the final prompt (src/agents/prompts.ts builds it). */
export interface AgentPromptSpec {
  /** The WP prompt file text, as read by prepareWorkspace. */
  wpPromptText: string;
  /** Implementation: prepended as mark-status instructions. */
  subtaskIds: string[];
  /** Rework: review feedback to address before resubmitting. */
  feedback: string | null;
  /** Review: a summary of the lane diff. */
  diffSummary: string | null;
  reviewCycle: number;
}

export interface RunAgentInput {
  agent: AgentId;
  role: AgentRole;
  mission: string;
  wpId: string;
  workspacePath: string;
  /** The WP prompt file as the host named it (its folder tells where the mission's files are). */
  promptPath: string;
  timeoutSeconds: number;
  attempt: number;
  prompt: AgentPromptSpec;
  /** Parts of the log file name: <mission>_<wpId>_<role>[-cycle<n>]-<attempt>. */
  log: { mission: string; wpId: string; role: AgentRole; attempt: number; reviewCycle: number };
}
export interface RunAgentOutput {
  result: AgentResult;
  startedAt: EpochMs;
  finishedAt: EpochMs;
}

export interface CommitLaneWorkInput {
  workspacePath: string;
  laneBranch: string | null;
  baseHead: string | null;
  wpId: string;
  agent: AgentId;
  kind: 'implementation' | 'rework';
}
export interface CommitLaneWorkOutput {
  /** Commits on the lane beyond baseHead after committing (0 = the agent produced nothing). */
  commitCount: number;
  head: string | null;
  at: EpochMs;
}

export interface LaneDiffSummaryInput {
  workspacePath: string;
  laneBranch: string | null;
  laneBaseRef: string | null;
}
export interface LaneDiffSummaryOutput {
  summary: string;
  at: EpochMs;
}
