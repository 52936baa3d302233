/**
 * Lane worktrees the way the real host allocates them: a mission branch `kitty/mission-<m>` cut
 * from the target branch, one worktree per lane at `.worktrees/<m>-<lane>` on
 * `kitty/mission-<m>-<lane>` cut from the mission branch, with every dependency lane's tip merged
 * in (`git merge --no-edit`, so one dependency fast-forwards). Re-allocation reuses the worktree,
 * refuses a dirty one, and merges dependency tips that moved since.
 */
import { existsSync } from 'node:fs';
import { branchExists, gitOrThrow, runGit } from './git.js';
import { laneOf, type StoredLane, type StoredMission } from './model.js';
import { laneBranchName, laneWorktreePath } from './paths.js';

export class LaneAllocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LaneAllocationError';
  }
}

export interface AllocatedLane {
  workspacePath: string;
  laneBranch: string;
}

export async function allocateLaneWorktree(
  repoRoot: string,
  mission: StoredMission,
  laneId: string,
): Promise<AllocatedLane> {
  const lane = laneOf(mission, laneId);
  if (!lane) throw new LaneAllocationError(`lane ${laneId} is not in the mission's lane manifest`);
  const workspacePath = laneWorktreePath(repoRoot, mission.mission_slug, laneId);
  const laneBranch = laneBranchName(mission.mission_slug, laneId);

  if (existsSync(workspacePath)) {
    const dirty = await gitOrThrow(workspacePath, ['status', '--porcelain']);
    if (dirty !== '') {
      throw new LaneAllocationError(
        `Lane worktree ${workspacePath} has uncommitted changes; commit or discard them before re-entering lane ${laneId}`,
      );
    }
  } else {
    await ensureMissionBranch(repoRoot, mission);
    await runGit(repoRoot, ['worktree', 'prune']);
    const args = (await branchExists(repoRoot, laneBranch))
      ? ['worktree', 'add', workspacePath, laneBranch]
      : ['worktree', 'add', '-b', laneBranch, workspacePath, mission.mission_branch];
    const added = await runGit(repoRoot, args);
    if (added.code !== 0)
      throw new LaneAllocationError(`could not create the lane worktree: ${added.stderr}`);
  }
  await mergeDependencyLaneTips(repoRoot, mission, lane, workspacePath);
  return { workspacePath, laneBranch };
}

/** The read-only prediction resolve-workspace answers with (nothing is created). */
export function predictLaneWorktree(repoRoot: string, slug: string, laneId: string): AllocatedLane {
  return {
    workspacePath: laneWorktreePath(repoRoot, slug, laneId),
    laneBranch: laneBranchName(slug, laneId),
  };
}

/** The for_review commit gate: at least one commit on the lane beyond the base it was cut from. */
export async function laneHasCommitBeyondBase(workspacePath: string, baseRef: string): Promise<boolean> {
  if (!existsSync(workspacePath)) return false;
  const counted = await runGit(workspacePath, ['rev-list', '--count', `${baseRef}..HEAD`]);
  return counted.code === 0 && Number.parseInt(counted.stdout, 10) > 0;
}

async function ensureMissionBranch(repoRoot: string, mission: StoredMission): Promise<void> {
  if (await branchExists(repoRoot, mission.mission_branch)) return;
  const created = await runGit(repoRoot, ['branch', mission.mission_branch, mission.target_branch]);
  if (created.code !== 0) {
    throw new LaneAllocationError(
      `could not create mission branch ${mission.mission_branch}: ${created.stderr}`,
    );
  }
}

async function mergeDependencyLaneTips(
  repoRoot: string,
  mission: StoredMission,
  lane: StoredLane,
  workspacePath: string,
): Promise<void> {
  const dependencies = lane.depends_on_lanes
    .map((id) => laneOf(mission, id))
    .filter((dep): dep is StoredLane => dep !== undefined)
    .sort((a, b) => a.parallel_group - b.parallel_group || a.lane_id.localeCompare(b.lane_id));
  if (dependencies.length === 0) return;
  const before = await gitOrThrow(workspacePath, ['rev-parse', 'HEAD']);
  for (const dep of dependencies) {
    const depBranch = laneBranchName(mission.mission_slug, dep.lane_id);
    // A dependency lane merged and deleted after the mission is skipped, as the host does.
    if (!(await branchExists(repoRoot, depBranch))) continue;
    if ((await runGit(workspacePath, ['merge-base', '--is-ancestor', depBranch, 'HEAD'])).code === 0)
      continue;
    const merged = await runGit(workspacePath, [
      'merge',
      '--no-edit',
      '-m',
      `Merge dependency lane ${dep.lane_id} into ${lane.lane_id}`,
      depBranch,
    ]);
    if (merged.code !== 0) {
      // All or nothing: never leave a half-propagated lane behind.
      await runGit(workspacePath, ['merge', '--abort']);
      await runGit(workspacePath, ['reset', '--hard', before]);
      throw new LaneAllocationError(
        `Dependency lane ${dep.lane_id} (${depBranch}) could not be merged into ${lane.lane_id} without conflicts`,
      );
    }
  }
}
