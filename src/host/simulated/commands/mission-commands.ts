/** append-history, accept-mission and merge-mission. */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { stringOption } from '../argv.js';
import { branchExists, runGit } from '../git.js';
import { appendEvents, lockMission, writeMission } from '../mission-store.js';
import { type AnnotationEvent, missionIdentity } from '../model.js';
import { laneBranchName, laneWorktreePath } from '../paths.js';
import {
  HostFailure,
  newEventId,
  nowIso,
  type OrchestratorCommand,
  requireMission,
  requireWorkPackage,
} from './context.js';

export const appendHistory: OrchestratorCommand = {
  name: 'append-history',
  options: [
    { name: 'mission', kind: 'value', required: true },
    { name: 'wp', kind: 'value', required: true },
    { name: 'actor', kind: 'value', required: true },
    { name: 'note', kind: 'value', required: true },
  ],
  async run(args, context) {
    const missionArg = stringOption(args, 'mission') ?? '';
    const actor = stringOption(args, 'actor') ?? '';
    const mission = await requireMission(context, missionArg);
    const wp = requireWorkPackage(mission, stringOption(args, 'wp') ?? '', missionArg);
    const stamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const note: AnnotationEvent = {
      actor,
      at: nowIso(),
      delta: { note: `- [${stamp}] ${actor}: ${stringOption(args, 'note') ?? ''}` },
      event_id: newEventId(),
      kind: 'annotation',
      wp_id: wp.wp_id,
    };
    await lockMission(context.repoRoot, missionArg, () =>
      appendEvents(context.repoRoot, mission.mission_slug, [note]),
    );
    return {
      ...missionIdentity(mission),
      wp_id: wp.wp_id,
      history_entry_id: `hist-${randomUUID().replaceAll('-', '')}`,
    };
  },
};

export const acceptMission: OrchestratorCommand = {
  name: 'accept-mission',
  options: [
    { name: 'mission', kind: 'value', required: true },
    { name: 'actor', kind: 'value', required: true },
  ],
  async run(args, context) {
    const missionArg = stringOption(args, 'mission') ?? '';
    await requireMission(context, missionArg);
    return lockMission(context.repoRoot, missionArg, async () => {
      const mission = await requireMission(context, missionArg);
      const byId = [...mission.work_packages].sort((a, b) => a.wp_id.localeCompare(b.wp_id));
      const incomplete = byId
        .filter((wp) => wp.lane !== 'approved' && wp.lane !== 'done')
        .map((wp) => wp.wp_id);
      if (incomplete.length > 0) {
        throw new HostFailure('MISSION_NOT_READY', `Mission has ${incomplete.length} incomplete WP(s)`, {
          ...missionIdentity(mission),
          incomplete_wps: incomplete,
        });
      }
      const acceptedAt = nowIso();
      mission.acceptance = { accepted_at: acceptedAt, accepted_by: stringOption(args, 'actor') ?? '' };
      await writeMission(context.repoRoot, mission);
      const approved = byId.filter((wp) => wp.lane === 'approved').map((wp) => wp.wp_id);
      const done = byId.filter((wp) => wp.lane === 'done').map((wp) => wp.wp_id);
      return {
        ...missionIdentity(mission),
        accepted: true,
        mode: 'auto',
        accepted_at: acceptedAt,
        accepted_wps: [...approved, ...done],
        approved_wps: approved,
        done_wps: done,
        merge_pending_wps: approved,
      };
    });
  },
};

const STRATEGIES = ['merge', 'rebase', 'squash'];

/**
 * A simple but faithful merge: every lane branch (in dependency order) is merged into the target
 * branch, which must be checked out in the primary checkout; then lane worktrees and branches are
 * removed. Like the real host it answers `worktree_removed: false` and no `merged_wps`. `rebase`
 * is accepted and performed as a merge.
 */
export const mergeMission: OrchestratorCommand = {
  name: 'merge-mission',
  options: [
    { name: 'mission', kind: 'value', required: true },
    { name: 'target', kind: 'value' },
    { name: 'strategy', kind: 'value' },
    { name: 'push', kind: 'flag' },
  ],
  async run(args, context) {
    const strategy = stringOption(args, 'strategy') ?? 'merge';
    if (!STRATEGIES.includes(strategy)) {
      throw new HostFailure(
        'UNSUPPORTED_STRATEGY',
        `Strategy '${strategy}' is not supported. Supported strategies: ['merge', 'rebase', 'squash']`,
        { strategy, supported: STRATEGIES },
      );
    }
    const missionArg = stringOption(args, 'mission') ?? '';
    await requireMission(context, missionArg);
    return lockMission(context.repoRoot, missionArg, async () => {
      const mission = await requireMission(context, missionArg);
      const target = stringOption(args, 'target') ?? mission.target_branch;
      const preflightFailed = (errors: string[]) =>
        new HostFailure('PREFLIGHT_FAILED', 'Merge failed', {
          ...missionIdentity(mission),
          target_branch: target,
          errors,
        });
      if (!(await branchExists(context.repoRoot, target))) {
        throw preflightFailed([`Target branch '${target}' does not exist locally or on origin.`]);
      }
      const checkedOut = (await runGit(context.repoRoot, ['symbolic-ref', '--short', 'HEAD'])).stdout;
      if (checkedOut !== target) {
        throw preflightFailed([
          `The simulated host merges in the primary checkout: check out '${target}' there first (it has '${checkedOut}').`,
        ]);
      }
      const lanes = [...mission.lanes].sort(
        (a, b) => a.parallel_group - b.parallel_group || a.lane_id.localeCompare(b.lane_id),
      );
      for (const lane of lanes) {
        const branch = laneBranchName(mission.mission_slug, lane.lane_id);
        if (!(await branchExists(context.repoRoot, branch))) continue;
        const mergeArgs =
          strategy === 'squash'
            ? ['merge', '--squash', branch]
            : ['merge', '--no-edit', '-m', `Merge ${branch}`, branch];
        const merged = await runGit(context.repoRoot, mergeArgs);
        if (merged.code !== 0) {
          await runGit(context.repoRoot, ['merge', '--abort']);
          throw preflightFailed([`Lane ${lane.lane_id} merge failed: ${merged.stderr || merged.stdout}`]);
        }
        if (strategy === 'squash') {
          await runGit(context.repoRoot, ['commit', '--no-verify', '-q', '-m', `Squash-merge ${branch}`]);
        }
      }
      for (const lane of lanes) {
        const worktree = laneWorktreePath(context.repoRoot, mission.mission_slug, lane.lane_id);
        if (existsSync(worktree)) await runGit(context.repoRoot, ['worktree', 'remove', '--force', worktree]);
        await runGit(context.repoRoot, ['branch', '-D', laneBranchName(mission.mission_slug, lane.lane_id)]);
      }
      await runGit(context.repoRoot, ['branch', '-D', mission.mission_branch]);
      await writeMission(context.repoRoot, mission);
      return {
        ...missionIdentity(mission),
        merged: true,
        target_branch: target,
        strategy,
        worktree_removed: false,
      };
    });
  },
};
