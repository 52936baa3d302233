/**
 * `transition`: one lane move, checked in the real host's order: lane name, policy, JSON flags,
 * mission and WP, the for_review commit gate (or lane allocation for `--to claimed`), then the
 * lane state machine with its guards.
 */
import { isLane, type Lane, POLICY_LANES } from '../../lanes.js';
import { booleanOption, stringOption } from '../argv.js';
import { checkTransition, type ReviewOutcome } from '../lane-rules.js';
import {
  allocateLaneWorktree,
  LaneAllocationError,
  laneHasCommitBeyondBase,
  predictLaneWorktree,
} from '../lane-worktrees.js';
import { appendEvents, lockMission, readEvents, writeMission } from '../mission-store.js';
import { missionIdentity, type StoredMission, type StoredWorkPackage } from '../model.js';
import {
  type HostContext,
  HostCrash,
  HostFailure,
  moveLane,
  type OrchestratorCommand,
  policyFrom,
  requireMission,
  requireWorkPackage,
} from './context.js';

const LANE_ALIASES: Readonly<Record<string, Lane>> = { doing: 'in_progress' };
const VERDICTS = new Set(['approved', 'changes_requested']);

export const transition: OrchestratorCommand = {
  name: 'transition',
  options: [
    { name: 'mission', kind: 'value', required: true },
    { name: 'wp', kind: 'value', required: true },
    { name: 'to', kind: 'value', required: true },
    { name: 'actor', kind: 'value', required: true },
    { name: 'note', kind: 'value' },
    { name: 'policy', kind: 'value' },
    { name: 'force', kind: 'flag' },
    { name: 'review-ref', kind: 'value' },
    { name: 'review-result-json', kind: 'value' },
    { name: 'evidence-json', kind: 'value' },
    { name: 'subtasks-complete', kind: 'toggle' },
    { name: 'implementation-evidence-present', kind: 'toggle' },
  ],
  async run(args, context) {
    const toLane = resolveLane(stringOption(args, 'to') ?? '');
    const policy = policyFrom(
      stringOption(args, 'policy'),
      POLICY_LANES.has(toLane) ? `--policy is required when transitioning to '${toLane}'` : null,
    );
    const evidence = parseEvidence(stringOption(args, 'evidence-json'));
    const reviewResult = parseReviewResult(stringOption(args, 'review-result-json'));
    const missionArg = stringOption(args, 'mission') ?? '';
    const actor = stringOption(args, 'actor') ?? '';
    const force = booleanOption(args, 'force') ?? false;
    await requireMission(context, missionArg);

    return lockMission(context.repoRoot, missionArg, async () => {
      const mission = await requireMission(context, missionArg);
      const wp = requireWorkPackage(mission, stringOption(args, 'wp') ?? '', missionArg);
      if (toLane === 'for_review' && !force) await enforceCommitGate(context, mission, wp);
      if (toLane === 'claimed') await allocateForClaim(context, mission, wp);

      const evidenceReview = evidence ? doneEvidenceReview(evidence) : null;
      const handoff = wp.lane === 'in_progress' && toLane === 'for_review';
      const refusal = checkTransition(wp.lane, toLane, {
        actor,
        force,
        reason: stringOption(args, 'note') ?? null,
        reviewRef: stringOption(args, 'review-ref') ?? null,
        reviewResult,
        evidenceReview,
        // The host derives completion from the WP's subtask roster and ignores the hint.
        subtasksComplete: handoff ? allSubtasksDone(wp) : (booleanOption(args, 'subtasks-complete') ?? false),
        implementationEvidencePresent:
          booleanOption(args, 'implementation-evidence-present') ??
          (await hasLaneHistory(context, mission, wp)),
      });
      if (refusal) throw new HostFailure('TRANSITION_REJECTED', refusal);

      const event = moveLane({
        mission,
        wp,
        to: toLane,
        actor,
        policy,
        force,
        reason: stringOption(args, 'note') ?? null,
        reviewRef: stringOption(args, 'review-ref') ?? null,
        reviewResult: reviewResult ?? undefined,
        evidence:
          evidence && evidenceReview ? { repos: [], review: { ...evidenceReview }, verification: [] } : null,
      });
      await writeMission(context.repoRoot, mission);
      await appendEvents(context.repoRoot, mission.mission_slug, [event]);
      return {
        ...missionIdentity(mission),
        wp_id: wp.wp_id,
        from_lane: event.from_lane,
        to_lane: event.to_lane,
        policy_metadata_recorded: policy !== null,
      };
    });
  },
};

/** An unknown lane crashes the real host (traceback on stderr, no JSON): mimic that. */
function resolveLane(raw: string): Lane {
  const normalized = raw.trim().toLowerCase();
  const lane = LANE_ALIASES[normalized] ?? normalized;
  if (!isLane(lane)) throw new HostCrash(`ValueError: Unknown lane: '${normalized}'`);
  return lane;
}

function parseEvidence(raw: string | undefined): Record<string, unknown> | null {
  if (raw === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new HostFailure('USAGE_ERROR', `Invalid JSON in --evidence-json: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HostFailure('USAGE_ERROR', '--evidence-json must decode to a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function parseReviewResult(raw: string | undefined): ReviewOutcome | null {
  if (raw === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new HostFailure('USAGE_ERROR', `Invalid JSON in --review-result-json: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HostFailure('USAGE_ERROR', '--review-result-json must decode to a JSON object');
  }
  const { reviewer, verdict, reference } = parsed as Record<string, unknown>;
  if (!nonBlank(reviewer) || !nonBlank(verdict) || !nonBlank(reference)) {
    throw new HostFailure(
      'USAGE_ERROR',
      '--review-result-json requires non-empty reviewer, verdict, and reference strings',
    );
  }
  if (!VERDICTS.has(verdict)) {
    throw new HostFailure(
      'USAGE_ERROR',
      "--review-result-json verdict must be 'approved' or 'changes_requested'",
    );
  }
  return { reference, reviewer, verdict };
}

/** `--evidence-json` must carry review.reviewer, review.verdict and review.reference. */
function doneEvidenceReview(evidence: Record<string, unknown>): ReviewOutcome {
  const review = evidence.review;
  const fields = typeof review === 'object' && review !== null ? (review as Record<string, unknown>) : {};
  const { reviewer, verdict, reference } = fields;
  if (!nonBlank(reviewer) || !nonBlank(verdict) || !nonBlank(reference)) {
    throw new HostFailure(
      'TRANSITION_REJECTED',
      'Moving to done requires evidence with review.reviewer review.verdict, and review.reference',
    );
  }
  return { reference, reviewer, verdict };
}

async function enforceCommitGate(
  context: HostContext,
  mission: StoredMission,
  wp: StoredWorkPackage,
): Promise<void> {
  const predicted = predictLaneWorktree(context.repoRoot, mission.mission_slug, wp.lane_id);
  if (await laneHasCommitBeyondBase(predicted.workspacePath, mission.target_branch)) return;
  throw new HostFailure(
    'TRANSITION_REJECTED',
    `${wp.wp_id} cannot move to for_review: no implementation commit on lane ${wp.lane_id} (${predicted.laneBranch}) beyond ${mission.target_branch}. Commit the work in the lane worktree first, or pass --force if there is genuinely nothing to commit.`,
    { ...missionIdentity(mission), wp_id: wp.wp_id, lane_id: wp.lane_id },
  );
}

async function allocateForClaim(
  context: HostContext,
  mission: StoredMission,
  wp: StoredWorkPackage,
): Promise<void> {
  try {
    await allocateLaneWorktree(context.repoRoot, mission, wp.lane_id);
  } catch (error) {
    if (!(error instanceof LaneAllocationError)) throw error;
    throw new HostFailure('LANE_ALLOCATION_FAILED', error.message, {
      ...missionIdentity(mission),
      wp_id: wp.wp_id,
      reason: error.message,
    });
  }
}

function allSubtasksDone(wp: StoredWorkPackage): boolean {
  return wp.subtask_order.every((id) => wp.subtasks[id] === 'done');
}

/** The host counts any earlier lane event of the WP as implementation evidence. */
async function hasLaneHistory(
  context: HostContext,
  mission: StoredMission,
  wp: StoredWorkPackage,
): Promise<boolean> {
  const events = await readEvents(context.repoRoot, mission.mission_slug);
  return events.some((event) => event.wp_id === wp.wp_id && 'to_lane' in event);
}

function nonBlank(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
