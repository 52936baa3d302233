/** Builds and runs a missionMachine with real wpMachine children, the simulated host and scripted agents. */
import { type AnyActorLogic, createActor, fromPromise, toPromise } from 'xstate';
import { createMissionHostActors } from '../../../src/actors/host-actors.js';
import { missionMachine } from '../../../src/machines/mission/machine.js';
import type { MissionConfig, MissionInput } from '../../../src/machines/mission/types.js';
import { TEST_POLICY, wpLogic } from './run-wp.js';
import { type AgentStep, type ScriptLog, TestClock } from './scripted-local-actors.js';
import type { SimWorld } from './sim-world.js';

export const MISSION_CONFIG: MissionConfig = {
  maxConcurrent: 4,
  agents: { implementation: ['claude-code'], review: ['claude-code'] },
  maxRetries: 0,
  retryBackoffSeconds: 1,
  timeoutSeconds: 60,
  singleAgentMode: false,
  maxReviewCycles: 2,
  acceptOnCompletion: true,
  pollIntervalSeconds: 30,
};

/** The safety-net poll timer never fires in these tests: every decision must come from children. */
export const neverFires = fromPromise<{ at: number }, { deadline: number }>(() => new Promise(() => {}));

export function missionInput(
  world: SimWorld,
  config: Partial<MissionConfig> = {},
  extra: Partial<MissionInput> = {},
) {
  return {
    mission: world.slug,
    actor: 'spec-kitty-orchestrator',
    policy: TEST_POLICY,
    repoRoot: world.repo.root,
    runId: 'run-1',
    config: { ...MISSION_CONFIG, ...config },
    ...extra,
  } satisfies MissionInput;
}

export function missionLogic(
  world: SimWorld,
  script: { implementation?: AgentStep[]; review?: AgentStep[] },
  log: ScriptLog,
  overrides: Record<string, AnyActorLogic> = {},
) {
  const clock = new TestClock();
  return missionMachine.provide({
    actors: {
      ...createMissionHostActors(world.host, clock.now),
      waitUntil: neverFires,
      wp: wpLogic(world, script, log, clock),
      ...overrides,
    },
  });
}

export async function runMission(
  world: SimWorld,
  script: { implementation?: AgentStep[]; review?: AgentStep[] },
  config: Partial<MissionConfig> = {},
) {
  const log: ScriptLog = { agentRuns: [], waits: [] };
  const actor = createActor(missionLogic(world, script, log), { input: missionInput(world, config) });
  actor.start();
  const output = await toPromise(actor);
  return { output, log };
}
