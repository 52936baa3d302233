/**
 * Model-based tests of missionMachine: paths from xstate/graph over host answers, WP child outcomes
 * and ABORT, replayed on the live actor with every invoked/spawned actor settled as the path says
 * (the WP children are stand-ins whose output is the path's; wpMachine has its own model test).
 * At every step the mission actor is killed and restored from its persisted, made-safe snapshot,
 * and must be back in the state it was saved in (`restore coverage: N of N steps`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createActor, type Snapshot } from 'xstate';
import { missionMachine } from '../../src/machines/mission/machine.js';
import type { MissionEvent, MissionInput } from '../../src/machines/mission/types.js';
import { makeRestoreSafe, type WpRestoreStep } from '../../src/machines/restore/make-restore-safe.js';
import type { PersistedMission } from '../../src/machines/restore/persisted-run.js';
import { CallController, settle } from './support/model/controlled-actors.js';
import { CoverageRecorder } from './support/model/coverage.js';
import { missionEventKind, missionPayloads, missionProjection } from './support/model/mission-model.js';
import { type ModelPath, modelPaths, serializeWith } from './support/model/paths.js';
import type { ModelEvent } from './support/model/wp-model.js';
import { MISSION_CONFIG } from './support/run-mission.js';
import { TEST_POLICY } from './support/run-wp.js';

function input(acceptOnCompletion: boolean): MissionInput {
  return {
    mission: '001-demo',
    actor: 'spec-kitty-orchestrator',
    policy: TEST_POLICY,
    repoRoot: '/repo',
    runId: 'model',
    config: { ...MISSION_CONFIG, acceptOnCompletion, maxConcurrent: 2 },
  };
}

const coverage = new CoverageRecorder();
let pathCount = 0;

const restoreCoverage = { restores: 0, restorable: 0 };

/** The WP children here are stand-ins (their own restore is wpMachine's model test): kept as saved. */
const keepStandIn: WpRestoreStep = (_wpId, wp) => ({ ok: true, wp });

async function replay(modelPath: ModelPath, missionInput: MissionInput): Promise<void> {
  const controller = new CallController();
  const names = ['hostContractVersion', 'hostMissionState', 'hostAcceptMission', 'waitUntil', 'wp'];
  const actors = Object.fromEntries(names.map((name) => [name, controller.logic(name)]));
  const logic = missionMachine.provide({ actors });
  const serialize = serializeWith(missionProjection);
  let root: ReturnType<typeof createActor> | undefined;
  const inspect = coverage.observer(() => root);
  let actor = createActor(logic, { input: missionInput, inspect });
  root = actor;
  actor.start();
  coverage.recordInitial(missionMachine, actor.getSnapshot());
  // As a kill would: persist, stop, make safe, restore, and require the very state saved.
  const killAndRestore = (where: string) => {
    const before = actor.getSnapshot();
    if (before.status !== 'active') return;
    restoreCoverage.restorable += 1;
    const saved = JSON.parse(JSON.stringify(actor.getPersistedSnapshot())) as PersistedMission;
    actor.stop();
    const safe = makeRestoreSafe(saved, sessionOf(saved), keepStandIn);
    if (!safe.ok) throw new Error(`${where}: cannot restore: ${safe.problem}`);
    actor = createActor(logic, {
      input: missionInput,
      snapshot: safe.plan.mission as unknown as Snapshot<unknown>,
      inspect,
    });
    root = actor;
    actor.start();
    coverage.recordRestored(actor.getSnapshot());
    const live = serialize(actor.getSnapshot());
    if (live !== serialize(before))
      throw new Error(`${where}: saved in ${serialize(before)}, restored to ${live}`);
    restoreCoverage.restores += 1;
  };
  try {
    killAndRestore('before step 1');
    for (const [index, step] of modelPath.steps.entries()) {
      const event = step.event as ModelEvent;
      if (event.type === 'ABORT') {
        actor.send({ type: 'ABORT' });
      } else if (event.type === 'WP.FLOW_ENDED') {
        actor.send(event as Extract<MissionEvent, { type: 'WP.FLOW_ENDED' }>);
      } else {
        const call = await controller.take(event.type.replace(/^xstate\.(done|error)\.actor\./, ''));
        if (event.type.startsWith('xstate.error.')) call.reject(event.error);
        else call.resolve(event.output);
      }
      await settle();
      const live = serialize(actor.getSnapshot());
      if (live !== step.state)
        throw new Error(`step ${index + 1} (${event.type}): expected ${step.state}, live ${live}`);
      killAndRestore(`after step ${index + 1} (${event.type})`);
    }
    // Every spawned WP stand-in still pending was stopped if the run ended.
    if (actor.getSnapshot().status === 'done')
      expect(controller.pending.filter((c) => c.src === 'wp')).toEqual([]);
  } finally {
    actor.stop();
  }
}

function sessionOf(saved: PersistedMission) {
  return { actor: saved.context.actor, policy: saved.context.policy, config: saved.context.config };
}

describe('missionMachine model', () => {
  for (const accept of [true, false]) {
    const missionInput = input(accept);
    const { paths, states, edges } = modelPaths(missionMachine, {
      input: missionInput,
      payloads: missionPayloads,
      project: missionProjection,
      kindOf: missionEventKind,
    });
    describe(`acceptOnCompletion ${accept} (${states} model states, ${edges} edges, ${paths.length} paths)`, () => {
      it.each(paths.map((p, i) => [i + 1, p] as const))(
        'path %i replays on the live actor, killed and restored at every step',
        async (_i, modelPath) => {
          pathCount += 1;
          await replay(modelPath, missionInput);
        },
      );
    });
  }

  afterAll(() => {
    const report = coverage.report(missionMachine);
    console.log(
      `model coverage missionMachine: states ${report.states.covered}/${report.states.total}, ` +
        `transitions ${report.transitions.covered}/${report.transitions.total}, paths ${pathCount}`,
    );
    console.log(`restore coverage: ${restoreCoverage.restores} of ${restoreCoverage.restorable} steps`);
    expect(restoreCoverage.restores).toBe(restoreCoverage.restorable);
    expect(restoreCoverage.restorable).toBeGreaterThan(0);
    expect(report.missingStates).toEqual([]);
    expect(report.missingTransitions).toEqual([]);
  });
});
