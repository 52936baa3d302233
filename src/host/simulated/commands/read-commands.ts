/**
 * The read-only verbs: contract-version, mission-state, list-ready, resolve-workspace,
 * design-status.
 */
import { LANES } from '../../lanes.js';
import { stringOption } from '../argv.js';
import { predictLaneWorktree } from '../lane-worktrees.js';
import {
  findWorkPackage,
  missionIdentity,
  SIMULATED_CONTRACT_VERSION,
  SIMULATED_MIN_PROVIDER_VERSION,
} from '../model.js';
import {
  absolutePromptPath,
  HostFailure,
  type OrchestratorCommand,
  requireMission,
  requireWorkPackage,
} from './context.js';

export const contractVersion: OrchestratorCommand = {
  name: 'contract-version',
  options: [{ name: 'provider-version', kind: 'value' }],
  async run(args) {
    const provider = stringOption(args, 'provider-version');
    if (provider !== undefined) {
      const parsed = parseVersion(provider);
      if (!parsed) {
        throw new HostFailure(
          'CONTRACT_VERSION_MISMATCH',
          `Provider version '${provider}' is not a valid version string`,
          {
            provider_version: provider,
          },
        );
      }
      if (compareVersions(parsed, parseVersion(SIMULATED_MIN_PROVIDER_VERSION) ?? []) < 0) {
        throw new HostFailure(
          'CONTRACT_VERSION_MISMATCH',
          `Provider version '${provider}' is below minimum '${SIMULATED_MIN_PROVIDER_VERSION}'`,
          {
            provider_version: provider,
            min_supported_provider_version: SIMULATED_MIN_PROVIDER_VERSION,
            api_version: SIMULATED_CONTRACT_VERSION,
          },
        );
      }
    }
    return {
      api_version: SIMULATED_CONTRACT_VERSION,
      min_supported_provider_version: SIMULATED_MIN_PROVIDER_VERSION,
    };
  },
};

export const missionState: OrchestratorCommand = {
  name: 'mission-state',
  options: [{ name: 'mission', kind: 'value', required: true }],
  async run(args, context) {
    const mission = await requireMission(context, stringOption(args, 'mission') ?? '');
    const summary = Object.fromEntries(LANES.map((lane) => [lane, 0]));
    for (const wp of mission.work_packages) summary[wp.lane] = (summary[wp.lane] ?? 0) + 1;
    return {
      ...missionIdentity(mission),
      summary,
      work_packages: [...mission.work_packages]
        .sort((a, b) => a.wp_id.localeCompare(b.wp_id))
        // last_actor is always null on the real host (its snapshot has no such key).
        .map((wp) => ({ wp_id: wp.wp_id, lane: wp.lane, dependencies: wp.dependencies, last_actor: null })),
    };
  },
};

export const listReady: OrchestratorCommand = {
  name: 'list-ready',
  options: [{ name: 'mission', kind: 'value', required: true }],
  async run(args, context) {
    const mission = await requireMission(context, stringOption(args, 'mission') ?? '');
    const ready = mission.work_packages
      .filter((wp) => wp.lane === 'planned')
      .filter((wp) =>
        wp.dependencies.every((dep) => {
          const lane = findWorkPackage(mission, dep)?.lane;
          return lane === 'approved' || lane === 'done';
        }),
      )
      .map((wp) => ({ wp_id: wp.wp_id, lane: wp.lane, dependencies_satisfied: true }));
    return { ...missionIdentity(mission), ready_work_packages: ready };
  },
};

export const resolveWorkspace: OrchestratorCommand = {
  name: 'resolve-workspace',
  options: [
    { name: 'mission', kind: 'value', required: true },
    { name: 'wp', kind: 'value', required: true },
  ],
  async run(args, context) {
    const missionArg = stringOption(args, 'mission') ?? '';
    const mission = await requireMission(context, missionArg);
    const wp = requireWorkPackage(mission, stringOption(args, 'wp') ?? '', missionArg);
    const predicted = predictLaneWorktree(context.repoRoot, mission.mission_slug, wp.lane_id);
    return {
      ...missionIdentity(mission),
      wp_id: wp.wp_id,
      workspace_path: predicted.workspacePath,
      prompt_path: absolutePromptPath(context, wp),
      lane_id: wp.lane_id,
      lane_branch: predicted.laneBranch,
      lane_base_ref: mission.target_branch,
    };
  },
};

/**
 * design-status (contract 1.4+, which 1.5.0 includes). The real host reduces artifact presence in
 * this order: no spec.md -> specify/specify; no plan.md -> specify/plan; tasks not finalized
 * -> plan/tasks; no analysis-report.md -> tasks/check-prerequisites; else analyze/null. An open
 * decision turns next_action into resolve-decision.
 *
 * A simulated mission is what test/support/real-mission.ts builds on the real host from the same
 * MissionSpec: a spec and finalized tasks (the bootstrap events), no plan and no analysis. On
 * that mission 3.2.7 and 4.0.0rc7 both answer `specify`/`plan` (measured; recorded in
 * fixtures/host-envelopes/design_status_no_decisions_3.2.7.json). The simulated host keeps no
 * decisions (no open-decision or resolve-decision verb here), so none is ever open.
 */
export const designStatus: OrchestratorCommand = {
  name: 'design-status',
  options: [{ name: 'mission', kind: 'value', required: true }],
  async run(args, context) {
    const mission = await requireMission(context, stringOption(args, 'mission') ?? '');
    const openDecisions: { decision_id: string; origin: string }[] = [];
    return {
      ...missionIdentity(mission),
      ...designPhase({
        spec: true,
        plan: false,
        tasksFinalized: mission.work_packages.length > 0,
        analysis: false,
        openDecisions: openDecisions.length,
      }),
      open_decisions: openDecisions,
    };
  },
};

/** The real host's `_reduce_design_status`, phase part. */
function designPhase(present: {
  spec: boolean;
  plan: boolean;
  tasksFinalized: boolean;
  analysis: boolean;
  openDecisions: number;
}): { current_phase: string; next_action: string | null } {
  let phase: [string, string | null];
  if (!present.spec) phase = ['specify', 'specify'];
  else if (!present.plan) phase = ['specify', 'plan'];
  else if (!present.tasksFinalized) phase = ['plan', 'tasks'];
  else if (!present.analysis) phase = ['tasks', 'check-prerequisites'];
  else phase = ['analyze', null];
  const [current_phase, next_action] = phase;
  return { current_phase, next_action: present.openDecisions > 0 ? 'resolve-decision' : next_action };
}

function parseVersion(text: string): number[] | null {
  const match = /^v?(\d+(?:\.\d+)*)(?:[-+._]?[A-Za-z0-9.]*)?$/.exec(text.trim());
  return match?.[1] ? match[1].split('.').map(Number) : null;
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
