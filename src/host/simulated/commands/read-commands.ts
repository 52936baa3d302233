/** The read-only verbs: contract-version, mission-state, list-ready, resolve-workspace. */
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
