/**
 * A real persisted snapshot of a run caught mid-way: the real missionMachine and wpMachine
 * children, the simulated host, scripted agents. WP01 has finished (done); WP02's implementer
 * never returns, so WP02 is in flight in `inProgress.implementing` when the snapshot is taken.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createActor, fromPromise } from 'xstate';
import { createWpHostActors } from '../../../../src/actors/host-actors.js';
import type { RunState } from '../../../../src/actors/persistence/run-state-schema.js';
import { wpMachine } from '../../../../src/machines/wp/machine.js';
import type { RunAgentInput, RunAgentOutput } from '../../../../src/machines/wp/types.js';
import { approved, failed, succeeded } from '../../../machines/support/agent-results.js';
import { missionInput, missionLogic } from '../../../machines/support/run-mission.js';
import {
  type ScriptLog,
  scriptedLocalActors,
  TestClock,
} from '../../../machines/support/scripted-local-actors.js';
import type { SimWorld } from '../../../machines/support/sim-world.js';

export async function snapshotWithWpInFlight(world: SimWorld): Promise<unknown> {
  const log: ScriptLog = { agentRuns: [], waits: [] };
  const clock = new TestClock();
  const local = scriptedLocalActors({}, log, clock);
  let wp02Runs = 0;
  // WP02: the first implementer attempt fails (a timeout), the retry hangs until stopped.
  const runAgent = fromPromise<RunAgentOutput, RunAgentInput>(async (args) => {
    const { input } = args;
    if (input.wpId !== 'WP02') {
      const startedAt = clock.now();
      if (input.role === 'implementation') {
        writeFileSync(path.join(input.workspacePath, `work-${input.wpId}.txt`), 'edit\n');
      }
      const result = input.role === 'review' ? approved(input.agent) : succeeded(input.agent);
      return { result, startedAt, finishedAt: startedAt + 90_000 };
    }
    wp02Runs += 1;
    if (wp02Runs === 1) {
      const startedAt = clock.now();
      return {
        result: { ...failed(args.input.agent, 'timeout'), logPath: '/logs/WP02-impl-1.log' },
        startedAt,
        finishedAt: startedAt + 61_000,
      };
    }
    return new Promise<RunAgentOutput>((_resolve, reject) => {
      args.signal.addEventListener('abort', () => reject(args.signal.reason));
    });
  });
  const wp = wpMachine.provide({
    actors: { ...createWpHostActors(world.host, clock.now), ...local, runAgent },
  });
  const actor = createActor(missionLogic(world, {}, log, { wp }), {
    input: missionInput(world, {
      maxRetries: 1,
      agents: { implementation: ['claude-code'], review: ['codex'] },
    }),
  });
  actor.start();
  try {
    // Polled, not waitFor(actor): the root emits no snapshot when only a child changes, so a
    // condition that turns true inside WP02 alone would never be re-checked.
    const ready = () => {
      const snapshot = actor.getSnapshot();
      const wp02 = snapshot.children.WP02?.getSnapshot() as
        | { value?: unknown; context?: { implementation?: { attempt?: number } } }
        | undefined;
      return (
        snapshot.context.results.WP01 !== undefined &&
        JSON.stringify(wp02?.value ?? null).includes('"implementing"') &&
        wp02?.context?.implementation?.attempt === 2
      );
    };
    const deadline = Date.now() + 90_000;
    while (!ready()) {
      if (Date.now() > deadline) throw new Error('WP02 never reached its second implementation attempt');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // WP02 reaches attempt 2 inside one macrostep; the persisted form is what `status` reads.
    return JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
  } finally {
    actor.stop();
  }
}

export function runStateAround(
  snapshot: unknown,
  repoRoot: string,
  overrides: Partial<RunState> = {},
): RunState {
  return {
    format: 'spec-kitty-orchestrator/run-state',
    formatVersion: 1,
    machineVersion: 'test',
    runId: 'run-status-1',
    mission: '001-demo',
    actor: 'spec-kitty-orchestrator',
    policy: { orchestrator_id: 'spec-kitty-orchestrator' },
    repoRoot,
    startedAt: '2025-01-01T10:00:00.000Z',
    updatedAt: '2025-01-01T10:05:00.000Z',
    status: 'running',
    pid: 3_999_999,
    snapshot: snapshot as RunState['snapshot'],
    ...overrides,
  };
}
