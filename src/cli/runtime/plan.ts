/** `--dry-run`: what a run would do, from facts already read. Changes nothing. */
import {
  type EnforcedPolicyFields,
  enforcedPolicyFields,
  type RunConfinement,
} from '../../agents/enforced-policy.js';
import type { AgentFlagReport } from '../../agents/probe-flags.js';
import type { MissionState } from '../../host/schemas.js';
import type { OrchestratorConfig } from '../config/index.js';
import { logger } from '../logger.js';
import { describeConfinement } from '../output/policy-text.js';

export interface Plan {
  mission: string;
  repoRoot: string;
  ready: string[];
  resumable: string[];
  waiting: Array<{ wpId: string; waitsFor: string[] }>;
  finished: string[];
  agents: OrchestratorConfig['agents'];
  maxConcurrent: number;
  maxRetries: number;
  maxReviewCycles: number;
  timeoutSeconds: number;
  acceptOnCompletion: boolean;
  /** What the policy recorded with the host will say the agents may do. */
  policy: EnforcedPolicyFields;
}

export function buildPlan(
  repoRoot: string,
  mission: string,
  config: OrchestratorConfig,
  state: MissionState,
  confinement: RunConfinement = { sandboxed: false },
): Plan {
  const lanes = new Map(state.work_packages.map((wp) => [wp.wp_id, wp.lane]));
  const plan: Plan = {
    mission,
    repoRoot,
    ready: [],
    resumable: [],
    waiting: [],
    finished: [],
    agents: config.agents,
    maxConcurrent: config.maxConcurrentWps,
    maxRetries: config.maxRetries,
    maxReviewCycles: config.maxReviewCycles,
    timeoutSeconds: config.timeoutSeconds,
    acceptOnCompletion: config.acceptOnCompletion,
    policy: enforcedPolicyFields(config, confinement),
  };
  for (const wp of state.work_packages) {
    if (wp.lane === 'planned') {
      const waitsFor = wp.dependencies.filter((dep) => lanes.get(dep) !== 'done');
      if (waitsFor.length === 0) plan.ready.push(wp.wp_id);
      else plan.waiting.push({ wpId: wp.wp_id, waitsFor });
    } else if (wp.lane === 'claimed' || wp.lane === 'in_progress' || wp.lane === 'for_review') {
      plan.resumable.push(wp.wp_id);
    } else {
      plan.finished.push(`${wp.wp_id} (${wp.lane})`);
    }
  }
  return plan;
}

export async function printPlan(options: {
  repoRoot: string;
  mission: string;
  config: OrchestratorConfig;
  missionState: MissionState;
  json: boolean;
  /** `agents --check` for the configured agents: their versions and whether our flags are accepted. */
  agentChecks?: readonly AgentFlagReport[];
  /** What confines the agents (chooseSandbox). */
  sandbox?: { sandboxed: boolean; summary: string };
}): Promise<void> {
  const sandboxed = options.sandbox?.sandboxed ?? false;
  const plan = {
    ...buildPlan(options.repoRoot, options.mission, options.config, options.missionState, { sandboxed }),
    ...(options.sandbox ? { sandbox: options.sandbox.summary } : {}),
  };
  const checks = options.agentChecks ?? [];
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ type: 'plan', ...plan, agent_checks: checks })}\n`);
    return;
  }
  const checkLines = checks.map((check) =>
    check.ok
      ? `agent ${check.id}:${' '.repeat(Math.max(1, 13 - check.id.length))}${check.version ?? 'version unknown'}, flags accepted`
      : `agent ${check.id}:${' '.repeat(Math.max(1, 13 - check.id.length))}${check.version ?? 'version unknown'}, ${check.fix ?? 'flags not accepted'}`,
  );
  const list = (items: string[]) => (items.length ? items.join(', ') : 'none');
  logger.box(
    [
      `Dry run: mission ${plan.mission} (nothing was changed)`,
      '',
      `ready to start:     ${list(plan.ready)}`,
      `left mid-way:       ${list(plan.resumable)}`,
      `waiting:            ${plan.waiting.length ? plan.waiting.map((w) => `${w.wpId} (after ${w.waitsFor.join(', ')})`).join(', ') : 'none'}`,
      `not driven:         ${list(plan.finished)}`,
      '',
      `implementation:     ${plan.agents.implementation.join(' -> ')}`,
      `review:             ${plan.agents.review.join(' -> ')}`,
      `concurrency:        ${plan.maxConcurrent} WPs, ${plan.maxRetries} retries per agent, ${plan.maxReviewCycles} review cycles, ${plan.timeoutSeconds}s per agent run`,
      `accept at the end:  ${plan.acceptOnCompletion ? 'yes' : 'no'}`,
      `policy recorded:    ${describeConfinement(plan.policy)}`,
      ...(options.sandbox ? [`sandbox:            ${options.sandbox.summary}`] : []),
      `widening flags:     ${list(plan.policy.dangerous_flags)}`,
      ...(checkLines.length > 0 ? ['', ...checkLines] : []),
    ].join('\n'),
  );
}
