/**
 * The missionMachine model paths checked against an independent oracle (oracle/mission-spec.ts):
 * for every path xstate/graph generates with mission-model.test.ts's inputs and payloads, the
 * live machine must start the WPs the documented rules start, at the same point and from the same
 * lane, within the concurrency bound, confirm and accept when they say, and end the same way.
 * A second world (oracle/mission-payloads.ts) adds WPs an earlier run left in for_review or
 * in_progress, which the model's world never shows: only done may release a dependent, and with
 * one slot (maxConcurrent 1) two startable WPs must wait for each other.
 */
import { describe, expect, it } from 'vitest';
import { missionMachine } from '../../src/machines/mission/machine.js';
import type { MissionInput } from '../../src/machines/mission/types.js';
import { observeMissionTrace } from './oracle/mission-observe.js';
import { midWayEventKind, midWayPayloads } from './oracle/mission-payloads.js';
import { expectedMissionTrace } from './oracle/mission-spec.js';
import { missionAnswers } from './oracle/mission-world.js';
import { missionEventKind, missionPayloads, missionProjection } from './support/model/mission-model.js';
import { modelPaths } from './support/model/paths.js';
import { MISSION_CONFIG } from './support/run-mission.js';
import { TEST_POLICY } from './support/run-wp.js';

/** mission-model.test.ts's input (maxConcurrent 2), and one slot so that the bound binds. */
function input(acceptOnCompletion: boolean, maxConcurrent: number): MissionInput {
  return {
    mission: '001-demo',
    actor: 'spec-kitty-orchestrator',
    policy: TEST_POLICY,
    repoRoot: '/repo',
    runId: 'model',
    config: { ...MISSION_CONFIG, acceptOnCompletion, maxConcurrent },
  };
}

const WORLDS = [
  { name: 'the model world', payloads: missionPayloads, kindOf: missionEventKind },
  { name: 'a world with WPs left mid-way', payloads: midWayPayloads, kindOf: midWayEventKind },
];

for (const world of WORLDS) {
  describe(`missionMachine against the oracle, in ${world.name}`, () => {
    for (const [accept, maxConcurrent] of [
      [true, 2],
      [false, 2],
      [true, 1],
    ] as const) {
      const missionInput = input(accept, maxConcurrent);
      const { paths } = modelPaths(missionMachine, {
        input: missionInput,
        payloads: world.payloads,
        project: missionProjection,
        kindOf: world.kindOf,
        // Only a safety cap: a planted bug that starts WPs too early widens the state space, and
        // the oracle, not the traversal limit, must be what fails.
        limit: 100_000,
      });
      const spec = {
        maxConcurrent: missionInput.config.maxConcurrent,
        acceptOnCompletion: accept,
        ownedInReview: missionInput.ownedInReview ?? [],
      };
      describe(`acceptOnCompletion ${accept}, maxConcurrent ${maxConcurrent} (${paths.length} paths)`, () => {
        it.each(paths.map((p, i) => [i + 1, p] as const))(
          'path %i does what the rules say',
          async (_i, path) => {
            const expected = expectedMissionTrace(spec, missionAnswers(path));
            const observed = await observeMissionTrace(path, missionInput);
            expect(observed).toEqual(expected);
          },
        );
      });
    }
  });
}
