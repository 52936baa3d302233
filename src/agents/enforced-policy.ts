/**
 * The policy fields that describe what a run's agents may really do (pure), for the policy the
 * host records with every WP event. Computed from the agents the config lists, in the roles they
 * serve, with the argv the adapters would build (settings' extra args included), so it changes
 * when they do and never claims more confinement than there is.
 *
 * - approval_mode: `full_auto`: no person approves anything during a run.
 * - sandbox_mode: `workspace_write` when the orchestrator confines every agent run with
 *   bubblewrap (agents/sandbox: writes only to the worktree, the agent's own state folders and a
 *   private temp folder), or when every implementing agent confines its own writes to the
 *   worktree (Codex's `--sandbox workspace-write`); otherwise `none`: an agent's shell can write
 *   wherever the user can.
 * - network_mode: `open`: every agent reaches its model API, and neither bubblewrap (as we run
 *   it) nor any agent cuts its tools off; `allowlist` would need a filtering proxy we do not run.
 * - dangerous_flags: every flag of those argvs that widens what the agent does unattended
 *   (permission-flags.ts), in a stable order.
 */
import type { Policy } from '../host/policy.js';
import { wideningFlagsIn } from './permission-flags.js';
import { AGENTS } from './registry.js';
import type { AgentId, AgentRole, AgentSettings } from './types.js';

export interface AgentsInRun {
  agents: { implementation: readonly AgentId[]; review: readonly AgentId[] };
  /** The implementing agent also reviews. */
  singleAgentMode: boolean;
  agentSettings: Partial<Record<AgentId, AgentSettings>>;
}

export type EnforcedPolicyFields = Pick<
  Policy,
  'approval_mode' | 'sandbox_mode' | 'network_mode' | 'dangerous_flags'
>;

/** Agents whose CLI confines the implementation's writes to its working folder by itself. */
const SELF_CONFINING: ReadonlySet<AgentId> = new Set<AgentId>(['codex']);

/** What the orchestrator itself enforces around every agent run. */
export interface RunConfinement {
  /** Every agent run goes through bubblewrap. */
  sandboxed: boolean;
}

export function enforcedPolicyFields(
  run: AgentsInRun,
  confinement: RunConfinement = { sandboxed: false },
): EnforcedPolicyFields {
  const uses = agentRoles(run);
  const flags = new Set<string>();
  for (const { agent, role } of uses) {
    const argv = argvOf(agent, role, run.agentSettings[agent], confinement.sandboxed);
    for (const flag of wideningFlagsIn(argv)) flags.add(flag);
  }
  const implementers = uses.filter((use) => use.role === 'implementation').map((use) => use.agent);
  const confined = implementers.length > 0 && implementers.every((agent) => SELF_CONFINING.has(agent));
  return {
    approval_mode: 'full_auto',
    sandbox_mode: confinement.sandboxed || confined ? 'workspace_write' : 'none',
    network_mode: 'open',
    dangerous_flags: [...flags].sort(),
  };
}

/** Each agent with each role it can be started in (fallbacks included), each pair once. */
function agentRoles(run: AgentsInRun): { agent: AgentId; role: AgentRole }[] {
  const pairs: { agent: AgentId; role: AgentRole }[] = [];
  const add = (agent: AgentId, role: AgentRole) => {
    if (!pairs.some((pair) => pair.agent === agent && pair.role === role)) pairs.push({ agent, role });
  };
  for (const agent of run.agents.implementation) add(agent, 'implementation');
  const reviewers = run.singleAgentMode ? run.agents.implementation : run.agents.review;
  for (const agent of reviewers) add(agent, 'review');
  return pairs;
}

/** The argv the adapter builds for this role (placeholder paths: flags do not depend on them). */
function argvOf(
  agent: AgentId,
  role: AgentRole,
  settings: AgentSettings | undefined,
  confined: boolean,
): string[] {
  return AGENTS[agent].buildInvocation({
    role,
    prompt: 'policy',
    workspace: '/workspace',
    repoRoot: '/repo',
    mission: 'mission',
    missionDir: '/repo/mission',
    timeoutSeconds: 60,
    ...(settings ? { settings } : {}),
    ...(confined ? { confined: true } : {}),
  }).args;
}
