/**
 * Everything checked before a run takes the lock: config, host contract, the mission, and the
 * agents. Each failure is a CliError with one clear sentence, a hint, and its exit code.
 */
import { detectAgents } from '../../agents/detect.js';
import { AGENTS } from '../../agents/registry.js';
import type { AgentId } from '../../agents/types.js';
import type { ContractInfo, HostApi } from '../../host/api.js';
import { checkContract } from '../../host/contract.js';
import { isHostError } from '../../host/error-base.js';
import type { MissionState } from '../../host/schemas.js';
import { CliError } from '../cli-error.js';
import {
  applyOverrides,
  ConfigError,
  type ConfigOverrides,
  loadConfig,
  type OrchestratorConfig,
} from '../config/index.js';
import { exitCodeForErrorCode } from '../errors/describe.js';
import { EXIT } from '../exit-codes.js';

export async function loadEffectiveConfig(
  repoRoot: string,
  overrides: ConfigOverrides,
): Promise<{ config: OrchestratorConfig; source: string | null; warnings: string[] }> {
  try {
    const loaded = await loadConfig(repoRoot);
    return { ...loaded, config: applyOverrides(loaded.config, overrides) };
  } catch (error) {
    if (error instanceof ConfigError) {
      // A bad flag has no file and no key to delete; say what helps in each case.
      const hint =
        error.file === null
          ? 'see `--help` for the options and the values they take'
          : 'fix it in the file; every setting is optional (delete a key to use its default)';
      throw new CliError(error.message, EXIT.usage, hint, { cause: error });
    }
    throw error;
  }
}

/** Host errors become CliErrors with the exit code their `code` calls for. */
export function hostFailure(error: unknown, doing: string): never {
  if (isHostError(error)) {
    const hint =
      error.code === 'MISSION_NOT_FOUND'
        ? 'pass the mission slug as `spec-kitty` created it (for example my-feature-01KQ5Z3R, or 001-my-feature for a numbered mission)'
        : error.hint;
    throw new CliError(`${doing}: ${error.summary}`, exitCodeForErrorCode(error.code), hint, {
      cause: error,
    });
  }
  throw error;
}

export async function readHostFacts(
  host: HostApi,
  mission: string,
): Promise<{ contract: ContractInfo; missionState: MissionState }> {
  // Two reads at once: each is a host start-up, and reads may overlap.
  const [contract, missionState] = await Promise.allSettled([
    checkContract(host),
    host.missionState({ mission }),
  ]);
  if (contract.status === 'rejected') hostFailure(contract.reason, 'checking the spec-kitty host');
  if (missionState.status === 'rejected') hostFailure(missionState.reason, `reading mission ${mission}`);
  return { contract: contract.value, missionState: missionState.value };
}

export interface AgentCheck {
  launchers: Partial<Record<AgentId, readonly string[]>>;
  versions: Partial<Record<AgentId, string | null>>;
}

/** Every agent the config names must be installed: a missing one would only fail WPs later. */
export async function checkAgentsInstalled(config: OrchestratorConfig): Promise<AgentCheck> {
  const wanted = [...new Set<AgentId>([...config.agents.implementation, ...config.agents.review])];
  const found = await detectAgents({ agents: wanted });
  const missing = found.filter((agent) => !agent.installed);
  if (missing.length > 0) {
    const names = missing.map((agent) => `${agent.id} (binary \`${AGENTS[agent.id].binary}\`)`).join(', ');
    throw new CliError(
      `agent${missing.length > 1 ? 's' : ''} not installed: ${names}`,
      EXIT.environment,
      'install it and put it on PATH, or choose another with --impl-agent / --review-agent or in .kittify/orchestrator.yaml (see `spec-kitty-orchestrator agents`)',
    );
  }
  const launchers: AgentCheck['launchers'] = {};
  const versions: AgentCheck['versions'] = {};
  for (const agent of found) {
    if (agent.launcher) launchers[agent.id] = agent.launcher;
    versions[agent.id] = agent.version;
  }
  return { launchers, versions };
}
