/**
 * Pure builders of the words after `spec-kitty orchestrator-api`, one per command. No shell, no
 * I/O: the result is data that can be printed (dry run), logged, tested, or handed to a transport.
 * Each builder refuses arguments the host would refuse badly (an unknown lane makes the host
 * print a traceback and no JSON at all) or that it would refuse only after a 1.5 s start-up.
 */
import type {
  AcceptMissionArgs,
  AppendHistoryArgs,
  MergeMissionArgs,
  MissionRef,
  ResolveDecisionArgs,
  ReviewResult,
  StartImplementationArgs,
  StartReviewArgs,
  TransitionArgs,
  WpRef,
} from './api.js';
import { isLane, LANES, POLICY_LANES } from './lanes.js';
import type { HostCommand } from './schemas.js';
import { HostArgumentError } from './transport-errors.js';

export const MERGE_STRATEGIES = ['merge', 'squash', 'rebase'] as const;
const REVIEW_VERDICTS: readonly string[] = ['approved', 'changes_requested'];

function requireText(command: HostCommand, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new HostArgumentError(command, field, 'must be a non-empty string');
  }
  return value;
}

function optionalText(command: HostCommand, field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return requireText(command, field, value);
}

function requireJsonObject(command: HostCommand, field: string, value: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new HostArgumentError(
      command,
      field,
      'must be a JSON object (it is not valid JSON)',
      'Build it with serializePolicy().',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HostArgumentError(command, field, 'must be a JSON object', 'Build it with serializePolicy().');
  }
}

function policyWords(command: HostCommand, policy: string | undefined, required: boolean): string[] {
  if (policy === undefined || policy === '') {
    if (required) {
      throw new HostArgumentError(
        command,
        'policy',
        'is required for this command',
        'Pass the run policy (serializePolicy(buildPolicy(...))).',
      );
    }
    return [];
  }
  requireJsonObject(command, 'policy', policy);
  return ['--policy', policy];
}

function missionWords(command: HostCommand, args: MissionRef): string[] {
  return ['--mission', requireText(command, 'mission', args.mission)];
}

function wpWords(command: HostCommand, args: WpRef): string[] {
  return [...missionWords(command, args), '--wp', requireText(command, 'wp', args.wp)];
}

function checkReviewResult(command: HostCommand, field: string, result: ReviewResult): void {
  requireText(command, `${field}.reviewer`, result.reviewer);
  requireText(command, `${field}.reference`, result.reference);
  if (!REVIEW_VERDICTS.includes(result.verdict)) {
    throw new HostArgumentError(command, `${field}.verdict`, `must be one of ${REVIEW_VERDICTS.join(', ')}`);
  }
}

/** Stable key order so the same review result always serializes to the same bytes. */
function reviewResultJson(result: ReviewResult): Record<string, unknown> {
  const { reviewer, verdict, reference, ...rest } = result;
  return { reviewer, verdict, reference, ...rest };
}

export function contractVersionArgv(args: { providerVersion?: string } = {}): string[] {
  const words = ['contract-version'];
  const providerVersion = optionalText('contract-version', 'providerVersion', args.providerVersion);
  if (providerVersion !== undefined) words.push('--provider-version', providerVersion);
  return words;
}

export function missionStateArgv(args: MissionRef): string[] {
  return ['mission-state', ...missionWords('mission-state', args)];
}

export function listReadyArgv(args: MissionRef): string[] {
  return ['list-ready', ...missionWords('list-ready', args)];
}

export function resolveWorkspaceArgv(args: WpRef): string[] {
  return ['resolve-workspace', ...wpWords('resolve-workspace', args)];
}

export function startImplementationArgv(args: StartImplementationArgs): string[] {
  const command = 'start-implementation';
  return [
    command,
    ...wpWords(command, args),
    '--actor',
    requireText(command, 'actor', args.actor),
    ...policyWords(command, args.policy, true),
  ];
}

export function startReviewArgv(args: StartReviewArgs): string[] {
  const command = 'start-review';
  const words = [
    command,
    ...wpWords(command, args),
    '--actor',
    requireText(command, 'actor', args.actor),
    ...policyWords(command, args.policy, true),
  ];
  const reviewRef = optionalText(command, 'reviewRef', args.reviewRef);
  if (reviewRef !== undefined) words.push('--review-ref', reviewRef);
  return words;
}

/**
 * `transition`. The builder cannot know the WP's current lane, so guards that depend on it
 * (a review result to leave in_review, evidence to reach done) are the host's to enforce.
 *
 * spec-kitty-cli 3.2.7 only has the positive `--subtasks-complete` and
 * `--implementation-evidence-present` flags (`--no-...` is a USAGE_ERROR), so `false` is sent
 * as no flag: the host then derives the fact itself, which is its strict check anyway.
 */
export function transitionArgv(args: TransitionArgs): string[] {
  const command = 'transition';
  if (typeof args.to !== 'string' || !isLane(args.to)) {
    throw new HostArgumentError(
      command,
      'to',
      `unknown lane ${JSON.stringify(args.to)}; expected one of ${LANES.join(', ')}`,
    );
  }
  const words = [
    command,
    ...wpWords(command, args),
    '--to',
    args.to,
    '--actor',
    requireText(command, 'actor', args.actor),
  ];
  const note = optionalText(command, 'note', args.note);
  if (note !== undefined) words.push('--note', note);
  words.push(...policyWords(command, args.policy, POLICY_LANES.has(args.to)));
  if (args.force === true) words.push('--force');
  const reviewRef = optionalText(command, 'reviewRef', args.reviewRef);
  if (reviewRef !== undefined) words.push('--review-ref', reviewRef);
  if (args.reviewResult !== undefined) {
    checkReviewResult(command, 'reviewResult', args.reviewResult);
    words.push('--review-result-json', JSON.stringify(reviewResultJson(args.reviewResult)));
  }
  if (args.evidence !== undefined) {
    const { review, ...rest } = args.evidence;
    checkReviewResult(command, 'evidence.review', review);
    words.push('--evidence-json', JSON.stringify({ review: reviewResultJson(review), ...rest }));
  }
  if (args.subtasksComplete === true) words.push('--subtasks-complete');
  if (args.implementationEvidencePresent === true) words.push('--implementation-evidence-present');
  return words;
}

export function appendHistoryArgv(args: AppendHistoryArgs): string[] {
  const command = 'append-history';
  return [
    command,
    ...wpWords(command, args),
    '--actor',
    requireText(command, 'actor', args.actor),
    '--note',
    requireText(command, 'note', args.note),
  ];
}

export function acceptMissionArgv(args: AcceptMissionArgs): string[] {
  const command = 'accept-mission';
  return [command, ...missionWords(command, args), '--actor', requireText(command, 'actor', args.actor)];
}

/** `merge-mission`, or `consolidate-mission` (its rename, same flags) when `args.verb` says so. */
export function mergeMissionArgv(args: MergeMissionArgs): string[] {
  const command = args.verb ?? 'merge-mission';
  if (command !== 'merge-mission' && command !== 'consolidate-mission') {
    throw new HostArgumentError('merge-mission', 'verb', 'must be merge-mission or consolidate-mission');
  }
  const words = [command, ...missionWords(command, args)];
  const target = optionalText(command, 'target', args.target);
  if (target !== undefined) words.push('--target', target);
  if (args.strategy !== undefined) {
    if (!(MERGE_STRATEGIES as readonly string[]).includes(args.strategy)) {
      throw new HostArgumentError(command, 'strategy', `must be one of ${MERGE_STRATEGIES.join(', ')}`);
    }
    words.push('--strategy', args.strategy);
  }
  if (args.push === true) words.push('--push');
  return words;
}

export function designStatusArgv(args: MissionRef): string[] {
  return ['design-status', ...missionWords('design-status', args)];
}

export function resolveDecisionArgv(args: ResolveDecisionArgs): string[] {
  const command = 'resolve-decision';
  const words = [
    command,
    ...missionWords(command, args),
    '--decision-id',
    requireText(command, 'decisionId', args.decisionId),
    '--final-answer',
    requireText(command, 'finalAnswer', args.finalAnswer),
  ];
  const rationale = optionalText(command, 'rationale', args.rationale);
  if (rationale !== undefined) words.push('--rationale', rationale);
  const resolvedBy = optionalText(command, 'resolvedBy', args.resolvedBy);
  if (resolvedBy !== undefined) words.push('--resolved-by', resolvedBy);
  words.push(
    '--actor',
    requireText(command, 'actor', args.actor),
    ...policyWords(command, args.policy, true),
  );
  return words;
}
