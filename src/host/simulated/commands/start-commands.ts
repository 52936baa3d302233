/** start-implementation (composite claim + lane worktree) and start-review. */
import { stringOption } from '../argv.js';
import { allocateLaneWorktree, LaneAllocationError } from '../lane-worktrees.js';
import { appendEvents, lockMission, writeMission } from '../mission-store.js';
import {
  findWorkPackage,
  type LaneEvent,
  missionIdentity,
  type StoredMission,
  type StoredWorkPackage,
} from '../model.js';
import {
  absolutePromptPath,
  HostFailure,
  moveLane,
  type OrchestratorCommand,
  policyFrom,
  requireMission,
  requireWorkPackage,
} from './context.js';

/** Actors the host treats as placeholders that any named actor may take over. */
const GENERIC_ACTORS = new Set(['implement-command', 'unknown']);

const startOptions = [
  { name: 'mission', kind: 'value', required: true },
  { name: 'wp', kind: 'value', required: true },
  { name: 'actor', kind: 'value', required: true },
  { name: 'policy', kind: 'value' },
] as const;

export const startImplementation: OrchestratorCommand = {
  name: 'start-implementation',
  options: startOptions,
  async run(args, context) {
    const policy = policyFrom(stringOption(args, 'policy'), '--policy is required for start-implementation');
    const missionArg = stringOption(args, 'mission') ?? '';
    const actor = stringOption(args, 'actor') ?? '';
    await requireMission(context, missionArg);
    return lockMission(context.repoRoot, missionArg, async () => {
      const mission = await requireMission(context, missionArg);
      const wp = requireWorkPackage(mission, stringOption(args, 'wp') ?? '', missionArg);
      if (wp.lane === 'planned' || wp.lane === 'claimed') refuseUnsatisfiedDependencies(mission, wp);

      // Like the host, allocation (or reuse) comes before the claim check.
      let allocated: Awaited<ReturnType<typeof allocateLaneWorktree>>;
      try {
        allocated = await allocateLaneWorktree(context.repoRoot, mission, wp.lane_id);
      } catch (error) {
        if (!(error instanceof LaneAllocationError)) throw error;
        throw new HostFailure('LANE_ALLOCATION_FAILED', error.message, {
          ...missionIdentity(mission),
          wp_id: wp.wp_id,
          reason: error.message,
        });
      }

      const fromLane = wp.lane;
      const events: LaneEvent[] = [];
      if (wp.lane === 'planned') {
        events.push(moveLane({ mission, wp, to: 'claimed', actor, policy }));
        events.push(moveLane({ mission, wp, to: 'in_progress', actor, policy }));
      } else if (wp.lane === 'claimed' || wp.lane === 'in_progress') {
        if (!actorsCompatible(wp.current_actor, actor)) {
          throw new HostFailure(
            'WP_ALREADY_CLAIMED',
            `WP ${wp.wp_id} is already claimed for implementation by '${wp.current_actor}'`,
            { ...missionIdentity(mission), claimed_by: wp.current_actor, requesting_actor: actor },
          );
        }
        if (wp.lane === 'claimed') events.push(moveLane({ mission, wp, to: 'in_progress', actor, policy }));
      } else {
        throw new HostFailure(
          'TRANSITION_REJECTED',
          `WP ${wp.wp_id} is in '${wp.lane}', cannot start implementation`,
        );
      }
      if (events.length > 0) {
        await writeMission(context.repoRoot, mission);
        await appendEvents(context.repoRoot, mission.mission_slug, events);
      }
      return {
        ...missionIdentity(mission),
        wp_id: wp.wp_id,
        from_lane: fromLane,
        to_lane: 'in_progress',
        workspace_path: allocated.workspacePath,
        prompt_path: absolutePromptPath(context, wp),
        policy_metadata_recorded: true,
        no_op: events.length === 0,
        lane_id: wp.lane_id,
        lane_branch: allocated.laneBranch,
        lane_base_ref: mission.target_branch,
      };
    });
  },
};

export const startReview: OrchestratorCommand = {
  name: 'start-review',
  options: [...startOptions, { name: 'review-ref', kind: 'value' }],
  async run(args, context) {
    const policy = policyFrom(stringOption(args, 'policy'), '--policy is required for start-review');
    const missionArg = stringOption(args, 'mission') ?? '';
    const actor = stringOption(args, 'actor') ?? '';
    await requireMission(context, missionArg);
    return lockMission(context.repoRoot, missionArg, async () => {
      const mission = await requireMission(context, missionArg);
      const wp = requireWorkPackage(mission, stringOption(args, 'wp') ?? '', missionArg);
      const fromLane = wp.lane;
      if (wp.lane === 'for_review') {
        const event = moveLane({
          mission,
          wp,
          to: 'in_review',
          actor,
          policy,
          reason: 'Started review via action command',
          reviewRef: stringOption(args, 'review-ref') ?? null,
        });
        await writeMission(context.repoRoot, mission);
        await appendEvents(context.repoRoot, mission.mission_slug, [event]);
      } else if (wp.lane !== 'in_review') {
        // A second reviewer re-claiming in_review is a no-op on the host (plain actors carry no role).
        throw new HostFailure(
          'TRANSITION_REJECTED',
          `WP ${wp.wp_id} is in '${wp.lane}', cannot start review`,
        );
      }
      return {
        ...missionIdentity(mission),
        wp_id: wp.wp_id,
        from_lane: fromLane,
        to_lane: 'in_review',
        prompt_path: absolutePromptPath(context, wp),
        policy_metadata_recorded: true,
        no_op: fromLane === 'in_review',
      };
    });
  },
};

function refuseUnsatisfiedDependencies(mission: StoredMission, wp: StoredWorkPackage): void {
  const unsatisfied = wp.dependencies.filter((dep) => {
    const lane = findWorkPackage(mission, dep)?.lane;
    return lane !== 'approved' && lane !== 'done';
  });
  if (unsatisfied.length === 0) return;
  throw new HostFailure(
    'DEPENDENCIES_NOT_SATISFIED',
    `dependencies_not_satisfied: ${wp.wp_id} depends on ${unsatisfied.join(', ')}; all dependencies must be approved or done before implementation can start`,
    { ...missionIdentity(mission), wp_id: wp.wp_id, unsatisfied_dependencies: unsatisfied },
  );
}

function actorsCompatible(existing: string | null, requested: string): boolean {
  if (!existing || !requested) return true;
  return existing === requested || GENERIC_ACTORS.has(existing);
}
