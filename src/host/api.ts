/**
 * The gateway's public shape. Everything above src/host talks to the host through HostApi only;
 * both the real client (execa) and the simulated host sit behind it via a HostTransport.
 */

import type { Lane } from './lanes.js';
import type { MarkSubtasksArgs, SubtasksMarked } from './mark-status.js';
import type {
  HistoryAppended,
  ListReady,
  MissionAccepted,
  MissionMerged,
  MissionState,
  ResolvedWorkspace,
  StartedImplementation,
  StartedReview,
  Transitioned,
} from './schemas.js';

/** What one host process printed. Transports never throw for a non-zero exit. */
export interface RawHostResult {
  stdout: string;
  stderr: string;
  /** null when the process could not be started or was killed by a signal. */
  exitCode: number | null;
  durationMs: number;
}

export interface HostTransport {
  /** `args` are the words after `spec-kitty orchestrator-api`. */
  run(args: readonly string[], options?: TransportCallOptions): Promise<RawHostResult>;
  /**
   * A host command an agent would run itself (`args` after `spec-kitty`), started in `cwd`: the
   * subtask marks an agent asked for from inside the sandbox, carried out on its behalf.
   */
  runAgentCommand?(
    args: readonly string[],
    options: TransportCallOptions & { cwd: string },
  ): Promise<RawHostResult>;
}

export interface TransportCallOptions {
  signal?: AbortSignal;
  /**
   * This call's time limit. A transport with its own limit applies the shorter of the two
   * (reads get a short one: a hung read is retried instead of waited on for minutes).
   */
  timeoutMs?: number;
  /**
   * Run the host process in its own process group and leave it running when we exit: a lane
   * change once sent runs to its end (a terminal's Ctrl-C reaches the whole foreground group,
   * and a host killed between its lane writes leaves a half-made move).
   */
  detached?: boolean;
}

/** The review result the host wants when a WP leaves in_review. */
export interface ReviewResult {
  reviewer: string;
  verdict: 'approved' | 'changes_requested';
  reference: string;
}

export interface MissionRef {
  mission: string;
}
export interface WpRef extends MissionRef {
  wp: string;
}
export interface ActorRef {
  actor: string;
}

export interface StartImplementationArgs extends WpRef, ActorRef {
  policy: string;
}
export interface StartReviewArgs extends WpRef, ActorRef {
  policy: string;
  reviewRef?: string;
}
export interface TransitionArgs extends WpRef, ActorRef {
  to: Lane;
  note?: string;
  policy?: string;
  force?: boolean;
  reviewRef?: string;
  reviewResult?: ReviewResult;
  evidence?: { review: ReviewResult } & Record<string, unknown>;
  subtasksComplete?: boolean;
  implementationEvidencePresent?: boolean;
}
export interface AppendHistoryArgs extends WpRef, ActorRef {
  note: string;
}
export interface AcceptMissionArgs extends MissionRef, ActorRef {}
/** A person's answer to an open design decision (resolve-decision, contract >= 1.4). */
export interface ResolveDecisionArgs extends MissionRef, ActorRef {
  decisionId: string;
  finalAnswer: string;
  rationale?: string;
  /** Who decided (the host falls back to the actor). */
  resolvedBy?: string;
  policy: string;
}
export interface MergeMissionArgs extends MissionRef {
  /**
   * The verb to call: hostCapabilities(contract).mergeVerb. Left out, HostClient asks the host's
   * contract-version (once) and picks it the same way.
   */
  verb?: 'merge-mission' | 'consolidate-mission';
  target?: string;
  strategy?: 'merge' | 'squash' | 'rebase';
  push?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface ContractInfo {
  apiVersion: string;
  minSupportedProviderVersion: string;
  /**
   * `delivery_profile.supported`: every verb the host answers (contract >= 1.12). Undefined when
   * the host does not list them (3.2.7): its contract version then defines its verbs.
   */
  supportedCommands?: readonly string[] | undefined;
}

export interface HostApi {
  /** The agent's own subtask marks, carried out for it (mark-status.ts); absent on test doubles. */
  markSubtasksDone?(args: MarkSubtasksArgs, options?: CallOptions): Promise<SubtasksMarked>;
  contractVersion(options?: CallOptions): Promise<ContractInfo>;
  missionState(args: MissionRef, options?: CallOptions): Promise<MissionState>;
  listReady(args: MissionRef, options?: CallOptions): Promise<ListReady>;
  resolveWorkspace(args: WpRef, options?: CallOptions): Promise<ResolvedWorkspace>;
  startImplementation(args: StartImplementationArgs, options?: CallOptions): Promise<StartedImplementation>;
  startReview(args: StartReviewArgs, options?: CallOptions): Promise<StartedReview>;
  transition(args: TransitionArgs, options?: CallOptions): Promise<Transitioned>;
  appendHistory(args: AppendHistoryArgs, options?: CallOptions): Promise<HistoryAppended>;
  acceptMission(args: AcceptMissionArgs, options?: CallOptions): Promise<MissionAccepted>;
  mergeMission(args: MergeMissionArgs, options?: CallOptions): Promise<MissionMerged>;
}
