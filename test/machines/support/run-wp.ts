/** Runs one wpMachine to its end against a simulated world with scripted agents. */
import { createActor, toPromise } from 'xstate';
import { createWpHostActors } from '../../../src/actors/host-actors.js';
import type { Lane } from '../../../src/host/lanes.js';
import { wpMachine } from '../../../src/machines/wp/machine.js';
import type { WpConfig, WpInput, WpOutput } from '../../../src/machines/wp/types.js';
import { type AgentStep, type ScriptLog, scriptedLocalActors, TestClock } from './scripted-local-actors.js';
import type { SimWorld } from './sim-world.js';

export const TEST_POLICY = JSON.stringify({
  orchestrator_id: 'spec-kitty-orchestrator',
  orchestrator_version: '0.1.0',
  agent_family: 'claude',
  approval_mode: 'full_auto',
  sandbox_mode: 'workspace_write',
  network_mode: 'none',
  dangerous_flags: [],
});

export const TEST_CONFIG: WpConfig = {
  agents: { implementation: ['claude-code', 'codex'], review: ['claude-code'] },
  maxRetries: 1,
  retryBackoffSeconds: 2,
  timeoutSeconds: 60,
  singleAgentMode: false,
  maxReviewCycles: 2,
};

export function wpInput(world: SimWorld, wpId: string, overrides: Partial<WpInput> = {}): WpInput {
  return {
    wpId,
    mission: world.slug,
    actor: 'spec-kitty-orchestrator',
    policy: TEST_POLICY,
    repoRoot: world.repo.root,
    runId: 'run-1',
    lane: 'planned' as Lane,
    config: TEST_CONFIG,
    ...overrides,
  };
}

export function wpLogic(
  world: SimWorld,
  script: { implementation?: AgentStep[]; review?: AgentStep[] },
  log: ScriptLog,
  clock = new TestClock(),
) {
  return wpMachine.provide({
    actors: { ...createWpHostActors(world.host, clock.now), ...scriptedLocalActors(script, log, clock) },
  });
}

export async function runWp(
  world: SimWorld,
  wpId: string,
  script: { implementation?: AgentStep[]; review?: AgentStep[] },
  overrides: Partial<WpInput> = {},
): Promise<{ output: WpOutput; log: ScriptLog; states: string[] }> {
  const log: ScriptLog = { agentRuns: [], waits: [] };
  const actor = createActor(wpLogic(world, script, log), { input: wpInput(world, wpId, overrides) });
  const states: string[] = [];
  actor.subscribe((snapshot) => {
    const flow = JSON.stringify((snapshot.value as { flow: unknown }).flow);
    if (states.at(-1) !== flow) states.push(flow);
  });
  actor.start();
  const output = await toPromise(actor);
  return { output, log, states };
}
