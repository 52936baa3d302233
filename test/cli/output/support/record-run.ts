/**
 * Runs the real missionMachine (real wpMachine children, the simulated host in a temp git repo,
 * scripted agents) and records every inspection event, so output tests work on the true shapes.
 */
import { type AnyActorLogic, createActor, type InspectionEvent, toPromise } from 'xstate';
import type { MissionConfig, MissionOutput } from '../../../../src/machines/mission/types.js';
import { missionInput, missionLogic } from '../../../machines/support/run-mission.js';
import type { AgentStep, ScriptLog } from '../../../machines/support/scripted-local-actors.js';
import type { SimWorld } from '../../../machines/support/sim-world.js';

export interface RecordedRun {
  events: InspectionEvent[];
  output: MissionOutput;
  log: ScriptLog;
}

export async function recordMissionRun(
  world: SimWorld,
  script: { implementation?: AgentStep[]; review?: AgentStep[] },
  config: Partial<MissionConfig> = {},
  overrides: Record<string, AnyActorLogic> = {},
): Promise<RecordedRun> {
  const events: InspectionEvent[] = [];
  const log: ScriptLog = { agentRuns: [], waits: [] };
  const actor = createActor(missionLogic(world, script, log, overrides), {
    input: missionInput(world, config),
    inspect: (event) => events.push(event),
  });
  actor.start();
  const output = await toPromise(actor);
  return { events, output, log };
}
