/**
 * Errors the host reported in a `success: false` envelope, one class per contract `error_code`.
 * The class is chosen from the code alone; the host's message is kept verbatim as `hostMessage`.
 */
import { HostError } from './error-base.js';
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
    super(code, `${context.hostMessage} [${code}]`, { command: context.command, data: context.data, hint });
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
  constructor(context: ReportedErrorContext) {
    const incomplete = Array.isArray(context.data.incomplete_wps)
      ? context.data.incomplete_wps.filter((wp): wp is string => typeof wp === 'string')
      : [];
    super(
      'MISSION_NOT_READY',
      context,
      `Every work package must be approved or done before acceptance${incomplete.length ? `; not yet: ${incomplete.join(', ')}` : ''}.`,
    );
    this.incompleteWps = incomplete;
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
export class PreflightFailedError extends HostReportedError {
  constructor(context: ReportedErrorContext) {
    super(
      'PREFLIGHT_FAILED',
      context,
      'Fix the problems the merge preflight lists (uncommitted changes, missing branches, unaccepted work) and merge again.',
    );
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
