/**
 * Model-based tests of wpMachine: xstate/graph enumerates the machine's behaviour for each entry
 * lane, a transition-covering set of paths is replayed against the live actor and the simulated
 * host, and the suite fails unless every state and transition of the definition was exercised.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Lane } from '../../src/host/lanes.js';
import { wpMachine } from '../../src/machines/wp/machine.js';
import type { WpInput } from '../../src/machines/wp/types.js';
import { advanceTo } from './support/advance.js';
import { CoverageRecorder } from './support/model/coverage.js';
import { modelPaths } from './support/model/paths.js';
import { replayWpPath } from './support/model/replay-wp.js';
import { impliedLanes, wpEventKind, wpPayloads, wpProjection } from './support/model/wp-model.js';
import { TEST_POLICY } from './support/run-wp.js';
import { createSimWorld } from './support/sim-world.js';

const ENTRIES: { lane: Lane; ownedInReview?: boolean }[] = [
  { lane: 'planned' },
  { lane: 'for_review' },
  { lane: 'in_review', ownedInReview: true },
  { lane: 'done' },
  { lane: 'approved' },
];

function modelInput(lane: Lane, ownedInReview: boolean, repoRoot = '/repo'): WpInput {
  return {
    wpId: 'WP01',
    mission: '001-demo',
    actor: 'spec-kitty-orchestrator',
    policy: TEST_POLICY,
    repoRoot,
    runId: 'model',
    lane,
    ownedInReview,
    config: {
      agents: { implementation: ['claude-code', 'codex'], review: ['claude-code', 'codex'] },
      maxRetries: 1,
      retryBackoffSeconds: 1,
      timeoutSeconds: 60,
      singleAgentMode: false,
      maxReviewCycles: 2,
    },
  };
}

const coverage = new CoverageRecorder();
let pathCount = 0;

describe('wpMachine model', () => {
  for (const entry of ENTRIES) {
    const owned = entry.ownedInReview ?? false;
    const { paths, states, edges } = modelPaths(wpMachine, {
      input: modelInput(entry.lane, owned),
      payloads: wpPayloads,
      project: wpProjection,
      kindOf: wpEventKind,
    });
    describe(`entered from ${entry.lane} (${states} model states, ${edges} edges, ${paths.length} paths)`, () => {
      it.each(paths.map((p, i) => [i + 1, p] as const))(
        'path %i replays on the live actor and the host',
        async (_i, modelPath) => {
          pathCount += 1;
          const world = await createSimWorld([{ id: 'WP01', title: 'First' }]);
          try {
            if (entry.lane === 'for_review' || entry.lane === 'in_review')
              await advanceTo(world, 'WP01', entry.lane);
            const before = await world.lanesOf('WP01');
            const { events } = await replayWpPath(
              modelPath,
              modelInput(entry.lane, owned, world.repo.root),
              world.host,
              coverage,
            );
            const after = await world.lanesOf('WP01');
            expect(after.slice(before.length)).toEqual(impliedLanes(events, entry.lane));
          } finally {
            world.cleanup();
          }
        },
      );
    });
  }

  afterAll(() => {
    const report = coverage.report(wpMachine);
    console.log(
      `model coverage wpMachine: states ${report.states.covered}/${report.states.total}, ` +
        `transitions ${report.transitions.covered}/${report.transitions.total}, paths ${pathCount}`,
    );
    expect(report.missingStates).toEqual([]);
    expect(report.missingTransitions).toEqual([]);
  });
});
