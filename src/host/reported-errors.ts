/**
 * Errors the host reported in a `success: false` envelope, one class per contract `error_code`.
 * The class is chosen from the code alone; the host's message is kept verbatim as `hostMessage`.
 */
import { HostError } from './error-base.js';
import { refusalReasons } from './host-reasons.js';
import {
  type AcceptReadiness,
  acceptReadinessOf,
  type PreflightFacts,
  preflightFactsOf,
} from './refusal-facts.js';
import type { Envelope } from './schemas.js';
import { errorData } from './schemas.js';

/** Every error code of the contract we give a class of its own. */
export const HOST_ERROR_CODES = [
  'USAGE_ERROR',
  'POLICY_METADATA_REQUIRED',
  'POLICY_VALIDATION_FAILED',
  'MISSION_NOT_FOUND',
  'MISSION_AMBIGUOUS_SELECTOR',
  'WP_NOT_FOUND',
  'TRANSITION_REJECTED',
  'WP_ALREADY_CLAIMED',
  'MISSION_NOT_READY',
  'WORKFLOW_EVIDENCE_REQUIRED',
  'PREFLIGHT_FAILED',
  'CONTRACT_VERSION_MISMATCH',
  'UNSUPPORTED_STRATEGY',
  'LANE_ALLOCATION_FAILED',
  'HISTORY_COMMIT_FAILED',
  'ANCESTRY_NOT_ESTABLISHED',
  'DEPENDENCIES_NOT_SATISFIED',
  // Added by contracts after 1.5 (spec-kitty-cli 4.0.0rc7 speaks 1.16.0), on verbs we call.
  'INVALID_MISSION',
  'STATUS_READ_PATH_NOT_FOUND',
  'STATUS_LOCK_HELD',
  'PLACEMENT_RESOLUTION_REQUIRED',
  'UNSUPPORTED_CAPABILITY',
] as const;
export type KnownHostErrorCode = (typeof HOST_ERROR_CODES)[number];

export const SAFE_COMMIT_PREFIX = 'SAFE_COMMIT_';
/** The safe-commit refusals the host knows today; any other SAFE_COMMIT_* still maps to SafeCommitError. */
export const SAFE_COMMIT_CODES = [
  'SAFE_COMMIT_BACKSTOP',
  'SAFE_COMMIT_DESTINATION_NOT_FOUND',
  'SAFE_COMMIT_DESTINATION_REF_SHAPE',
  'SAFE_COMMIT_EMPTY_CHANGESET',
  'SAFE_COMMIT_GENERIC',
  'SAFE_COMMIT_HEAD_MISMATCH',
  'SAFE_COMMIT_NOT_A_WORKTREE',
  'SAFE_COMMIT_PATH_POLICY',
  'SAFE_COMMIT_PROTECTED_BRANCH',
  'SAFE_COMMIT_RECOVERY_FAILED',
  // contract 1.14-1.15: INDEX_RESIDUE and UNREQUESTED_PATHS mean the commit DID land.
  'SAFE_COMMIT_PATH_LOOP',
  'SAFE_COMMIT_INDEX_DELETION_CONFLICT',
  'SAFE_COMMIT_INDEX_RESIDUE',
  'SAFE_COMMIT_STAGED_TREE_UNCHANGED',
  'SAFE_COMMIT_UNREQUESTED_PATHS',
] as const;

/** What the envelope told us besides the code. */
export interface ReportedErrorContext {
  command: string;
  hostMessage: string;
  data: Readonly<Record<string, unknown>>;
  contractVersion?: string | undefined;
  correlationId?: string | undefined;
}

export class HostReportedError extends HostError {
  readonly hostMessage: string;
  readonly correlationId: string | undefined;
  readonly contractVersion: string | undefined;
  constructor(code: string, context: ReportedErrorContext, hint?: string) {
    super(code, `${context.hostMessage} [${code}]`, {
      command: context.command,
      data: context.data,
      hint,
      reasons: refusalReasons(context.data),
    });
    this.hostMessage = context.hostMessage;
    this.correlationId = context.correlationId;
    this.contractVersion = context.contractVersion;
  }
}

export class HostUsageError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'USAGE_ERROR',
      context,
      'The host refused the arguments: this orchestrator and the installed spec-kitty disagree on the command line; check both versions.',
    );
  }
}
export class PolicyMetadataRequiredError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'POLICY_METADATA_REQUIRED',
      context,
      'This command must carry --policy; pass the run policy (buildPolicy/serializePolicy).',
    );
  }
}
export class PolicyValidationFailedError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'POLICY_VALIDATION_FAILED',
      context,
      'Fix the policy: no secret-like words (token, secret, key, password, credential) in any value, and no banned dangerous flags.',
    );
  }
}
export class MissionNotFoundError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'MISSION_NOT_FOUND',
      context,
      "Pass the mission's full folder name (e.g. 001-demo, not demo), its ULID or the ULID's first 8 characters, and run from the repository root.",
    );
  }
}
export class MissionAmbiguousSelectorError extends HostReportedError {
  readonly candidates: readonly unknown[];
  constructor(context: ReportedErrorContext) {
    const candidates = Array.isArray(context.data.candidates) ? context.data.candidates : [];
    super(
      'MISSION_AMBIGUOUS_SELECTOR',
      context,
      `Several missions match; pass the full mission slug instead${candidates.length ? ` (candidates: ${candidates.map((c) => JSON.stringify(c)).join(', ')})` : ''}.`,
    );
    this.candidates = candidates;
  }
}
export class WpNotFoundError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super('WP_NOT_FOUND', context, 'Check the work package id against `mission-state`.');
  }
}
export class TransitionRejectedError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'TRANSITION_REJECTED',
      context,
      'The host refused this lane change; its reason is above (e.g. no commit on the lane yet, subtasks not done, or a missing review result).',
    );
  }
}
export class WpAlreadyClaimedError extends HostReportedError {
  readonly claimedBy: string | undefined;
  readonly requestingActor: string | undefined;
  constructor(context: ReportedErrorContext) {
    const claimedBy = typeof context.data.claimed_by === 'string' ? context.data.claimed_by : undefined;
    const requestingActor =
      typeof context.data.requesting_actor === 'string' ? context.data.requesting_actor : undefined;
    super(
      'WP_ALREADY_CLAIMED',
      context,
      `The work package belongs to ${claimedBy ? `'${claimedBy}'` : 'another actor'}; run as that actor (--actor) or release the claim in spec-kitty first.`,
    );
    this.claimedBy = claimedBy;
    this.requestingActor = requestingActor;
  }
}
export class MissionNotReadyError extends HostReportedError {
  readonly incompleteWps: readonly string[];
  /** Set when every WP was done but the host's readiness verdict refused (contract >= 1.7). */
  readonly readiness: AcceptReadiness | undefined;
  constructor(context: ReportedErrorContext) {
    const incomplete = Array.isArray(context.data.incomplete_wps)
      ? context.data.incomplete_wps.filter((wp): wp is string => typeof wp === 'string')
      : [];
    const readiness = acceptReadinessOf(context.data);
    const categories = readiness ? Object.keys(readiness.outstanding).map((c) => c.replace(/_/g, ' ')) : [];
    super(
      'MISSION_NOT_READY',
      context,
      readiness
        ? `The host's readiness checks refused acceptance${categories.length ? ` (${categories.join(', ')})` : ''}; fix each outstanding item (\`spec-kitty accept\` lists them) and accept again.`
        : `Every work package must be approved or done before acceptance${incomplete.length ? `; not yet: ${incomplete.join(', ')}` : ''}.`,
    );
    this.incompleteWps = incomplete;
    this.readiness = readiness;
  }
}
export class WorkflowEvidenceRequiredError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'WORKFLOW_EVIDENCE_REQUIRED',
      context,
      'Workflow files changed without proof that they ran; provide the evidence the host asks for, then accept again.',
    );
  }
}
/** What to do about each stable sub-code of a merge/consolidate refusal (contract >= 1.9). */
const PREFLIGHT_HINTS: Readonly<Record<string, string>> = {
  COORD_MOVED_AFTER_LANDING:
    'The merge landed, but a branch moved after it and was kept instead of deleted; land its late commits on the target and delete the branch by hand.',
  LANE_MOVED_AFTER_APPROVAL:
    'A lane has commits made after review approved it; have them reviewed again (or remove them), then merge again.',
  APPROVAL_STAMP_MISSING:
    "An approved work package's approval records no lane head; review it again, then merge again.",
  APPROVAL_STAMP_NOT_ON_LANE:
    "An approved work package's recorded lane head is not on its lane; review it again, then merge again.",
};
const ORIGIN_HINT =
  'The remote is ahead of this clone or cannot be reached; pull (or check the remote), then merge again.';

export class PreflightFailedError extends HostReportedError {
  /** The refusal's stable sub-codes; all empty on hosts before contract 1.9 (3.2.7). */
  readonly preflight: PreflightFacts;
  constructor(context: ReportedErrorContext) {
    const preflight = preflightFactsOf(context.data);
    const subCode = preflight.teardownErrorCode ?? preflight.preflightErrorCode;
    const hint =
      (subCode && PREFLIGHT_HINTS[subCode]) ??
      (subCode?.startsWith('ORIGIN_') ? ORIGIN_HINT : undefined) ??
      'Fix the problems the merge preflight lists (uncommitted changes, missing branches, unaccepted work) and merge again.';
    super('PREFLIGHT_FAILED', context, subCode ? `${hint} [${subCode}]` : hint);
    this.preflight = preflight;
  }
}
export class ContractVersionMismatchError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'CONTRACT_VERSION_MISMATCH',
      context,
      'This orchestrator and the installed spec-kitty are not compatible; upgrade the older of the two.',
    );
  }
}
export class UnsupportedStrategyError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super('UNSUPPORTED_STRATEGY', context, 'Use one of the merge strategies merge, squash or rebase.');
  }
}
export class LaneAllocationFailedError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'LANE_ALLOCATION_FAILED',
      context,
      'The host could not create or reuse the lane worktree; check `git worktree list` and the lane branches for conflicts.',
    );
  }
}
export class HistoryCommitFailedError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'HISTORY_COMMIT_FAILED',
      context,
      'The host could not commit the history note; check the repository for a stuck git operation or lock.',
    );
  }
}
export class AncestryNotEstablishedError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'ANCESTRY_NOT_ESTABLISHED',
      context,
      "The lane does not yet contain its dependencies' work; merge the dependency lanes (or wait for them to be approved) and retry.",
    );
  }
}
export class DependenciesNotSatisfiedError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super('DEPENDENCIES_NOT_SATISFIED', context, 'Finish the work packages this one depends on first.');
  }
}
export class InvalidMissionError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'INVALID_MISSION',
      context,
      "The mission handle is not a safe folder name; pass the mission's folder name as `spec-kitty` lists it (e.g. 001-demo).",
    );
  }
}
export class StatusReadPathNotFoundError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'STATUS_READ_PATH_NOT_FOUND',
      context,
      "The host cannot find the mission's status files on its primary checkout; run from the primary checkout and check `spec-kitty doctor`.",
    );
  }
}
export class StatusLockHeldError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'STATUS_LOCK_HELD',
      context,
      "Another claimant held the mission's write lock too long; wait for it to finish, then resume.",
    );
  }
}
export class PlacementResolutionRequiredError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'PLACEMENT_RESOLUTION_REQUIRED',
      context,
      'The host could not decide where to write the history note; check the mission branch and checkout with `spec-kitty doctor`.',
    );
  }
}
export class UnsupportedCapabilityError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'UNSUPPORTED_CAPABILITY',
      context,
      'The installed spec-kitty does not offer this command; install a spec-kitty-cli version that does.',
    );
  }
}

/** The SAFE_COMMIT_* family: the host refused or failed a guarded git commit. */
export class SafeCommitError extends HostReportedError {
  /** The part after `SAFE_COMMIT_`, e.g. `PROTECTED_BRANCH`. */
  readonly subCode: string;
  constructor(code: string, context: ReportedErrorContext) {
    super(
      code,
      context,
      'The host refused a guarded commit; fix the repository state it names (branch, HEAD, worktree) and retry.',
    );
    this.subCode = code.slice(SAFE_COMMIT_PREFIX.length);
  }
}

/** A code this orchestrator does not know (newer host): still a typed, catchable error. */
export class UnknownHostError extends HostReportedError {
  constructor(code: string, context: ReportedErrorContext) {
    super(
      code,
      context,
      `The host answered with error code ${code}, which this orchestrator does not know; check for a newer spec-kitty-orchestrator.`,
    );
  }
}

type ReportedErrorClass = new (context: ReportedErrorContext) => HostReportedError;

const CLASS_BY_CODE: Readonly<Record<KnownHostErrorCode, ReportedErrorClass>> = {
  USAGE_ERROR: HostUsageError,
  POLICY_METADATA_REQUIRED: PolicyMetadataRequiredError,
  POLICY_VALIDATION_FAILED: PolicyValidationFailedError,
  MISSION_NOT_FOUND: MissionNotFoundError,
  MISSION_AMBIGUOUS_SELECTOR: MissionAmbiguousSelectorError,
  WP_NOT_FOUND: WpNotFoundError,
  TRANSITION_REJECTED: TransitionRejectedError,
  WP_ALREADY_CLAIMED: WpAlreadyClaimedError,
  MISSION_NOT_READY: MissionNotReadyError,
  WORKFLOW_EVIDENCE_REQUIRED: WorkflowEvidenceRequiredError,
  PREFLIGHT_FAILED: PreflightFailedError,
  CONTRACT_VERSION_MISMATCH: ContractVersionMismatchError,
  UNSUPPORTED_STRATEGY: UnsupportedStrategyError,
  LANE_ALLOCATION_FAILED: LaneAllocationFailedError,
  HISTORY_COMMIT_FAILED: HistoryCommitFailedError,
  ANCESTRY_NOT_ESTABLISHED: AncestryNotEstablishedError,
  DEPENDENCIES_NOT_SATISFIED: DependenciesNotSatisfiedError,
  INVALID_MISSION: InvalidMissionError,
  STATUS_READ_PATH_NOT_FOUND: StatusReadPathNotFoundError,
  STATUS_LOCK_HELD: StatusLockHeldError,
  PLACEMENT_RESOLUTION_REQUIRED: PlacementResolutionRequiredError,
  UNSUPPORTED_CAPABILITY: UnsupportedCapabilityError,
};

function isKnownCode(code: string): code is KnownHostErrorCode {
  return Object.hasOwn(CLASS_BY_CODE, code);
}

/** Builds the typed error for an error code (decided on the code alone). */
export function hostErrorFromCode(code: string, context: ReportedErrorContext): HostReportedError {
  if (isKnownCode(code)) return new CLASS_BY_CODE[code](context);
  if (code.startsWith(SAFE_COMMIT_PREFIX)) return new SafeCommitError(code, context);
  return new UnknownHostError(code, context);
}

/**
 * Maps a `success: false` envelope to its typed error. `command` defaults to the envelope's own
 * command name (USAGE_ERROR envelopes say `orchestrator-api.unknown`, so callers pass theirs).
 */
export function hostErrorFromEnvelope(envelope: Envelope, command?: string): HostReportedError {
  const parsed = errorData.safeParse(envelope.data);
  const data: Record<string, unknown> = parsed.success ? parsed.data : envelope.data;
  const hostMessage =
    typeof data.message === 'string' && data.message.trim() !== ''
      ? data.message
      : 'the host reported an error without a message';
  const code = envelope.error_code ?? 'UNKNOWN_ERROR';
  return hostErrorFromCode(code, {
    command: command ?? stripCommandPrefix(envelope.command),
    hostMessage,
    data,
    contractVersion: envelope.contract_version,
    correlationId: envelope.correlation_id,
  });
}

export const COMMAND_PREFIX = 'orchestrator-api.';

export function stripCommandPrefix(command: string): string {
  return command.startsWith(COMMAND_PREFIX) ? command.slice(COMMAND_PREFIX.length) : command;
}
