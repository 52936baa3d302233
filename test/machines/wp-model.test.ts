/**
 * Model-based tests of wpMachine: xstate/graph enumerates the machine's behaviour for each entry
 * lane (and from saved actors whose call had taken effect before a kill), a transition-covering
 * set of paths is replayed against the live actor and the simulated host, and the suite fails
 * unless every state and transition of the definition was exercised. Every path is replayed with
 * a kill at every step: persist, stop, make safe, restore, and the restored actor must be back in
 * the state it was saved in and end with the host lanes of the uninterrupted path
 * (`restore coverage: N of N steps`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Lane } from '../../src/host/lanes.js';
import { wpMachine } from '../../src/machines/wp/machine.js';
import type { WpInput } from '../../src/machines/wp/types.js';
import { advanceTo } from './support/advance.js';
import { CoverageRecorder } from './support/model/coverage.js';
import { modelPaths } from './support/model/paths.js';
import { replayWpPath } from './support/model/replay-wp.js';
import { type RestoredEntry, restoredModelState, restoredSnapshot } from './support/model/restored-entry.js';
import { impliedLanes, wpEventKind, wpPayloads, wpProjection } from './support/model/wp-model.js';
import { TEST_POLICY } from './support/run-wp.js';
import { createSimWorld, type SimWorld } from './support/sim-world.js';

const ENTRIES: { lane: Lane; ownedInReview?: boolean }[] = [
  { lane: 'planned' },
  { lane: 'for_review' },
  { lane: 'in_review', ownedInReview: true },
  { lane: 'done' },
  { lane: 'approved' },
];

const REVIEW_REF = 'review-WP01-cycle1-deadbeef';

/**
 * Saved actors whose call had taken effect before the kill, or whose lane someone else moved
 * (the kills at every step below cover the calls that had not: the host lane is unchanged).
 */
const RESTORED: RestoredEntry[] = [
  {
    step: 'forReview.claimingReview',
    savedLane: 'for_review',
    hostLane: 'in_review',
    context: { reviewCycle: 1, reviewRef: REVIEW_REF, baseHead: null },
  },
  { step: 'submitting', savedLane: 'in_progress', hostLane: 'for_review', context: {} },
  {
    step: 'requestingChanges',
    savedLane: 'in_review',
    hostLane: 'in_progress',
    context: {
      reviewCycle: 1,
      reviewRef: REVIEW_REF,
      lastFeedback: 'Add a test for the empty case.',
      lastReviewResult: { reviewer: 'codex', verdict: 'changes_requested', reference: 'feedback-1' },
    },
  },
  {
    step: 'inProgress.implementing',
    savedLane: 'in_progress',
    hostLane: 'in_progress',
    context: {
      implementation: { agentIndex: 1, attempt: 2, agentsTried: ['claude-code', 'codex'], runs: 2 },
      lastFailure: {
        role: 'implementation',
        agent: 'codex',
        attempt: 1,
        kind: 'general',
        message: 'exit 1',
        at: null,
      },
    },
  },
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

const MODEL_WORKSPACE = {
  workspacePath: '/ws',
  promptPath: 'p.md',
  laneId: 'lane-a',
  laneBranch: null,
  laneBaseRef: null,
};

/** The world's lane worktree, as the saved actor had resolved it. */
async function worldWorkspace(world: SimWorld) {
  const resolved = await world.host.resolveWorkspace({ mission: world.slug, wp: 'WP01' });
  return {
    workspacePath: resolved.workspace_path,
    promptPath: resolved.prompt_path,
    laneId: resolved.lane_id ?? null,
    laneBranch: resolved.lane_branch ?? null,
    laneBaseRef: resolved.lane_base_ref ?? null,
  };
}

/** Payloads for a restored entry: its host-lane read answers the entry's host lane. */
function restoredPayloads(entry: RestoredEntry): typeof wpPayloads {
  return (snapshot, type) =>
    type === 'xstate.done.actor.restoreLane'
      ? [{ type, output: { data: { lane: entry.hostLane }, at: 1_700_000_000_000 } }]
      : wpPayloads(snapshot, type);
}

const coverage = new CoverageRecorder();
let pathCount = 0;
const restoreCoverage = { restores: 0, restorable: 0 };

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
        'path %i replays on the live actor and the host, killed and restored at every step',
        async (_i, modelPath) => {
          pathCount += 1;
          const world = await createSimWorld([{ id: 'WP01', title: 'First' }]);
          try {
            if (entry.lane === 'for_review' || entry.lane === 'in_review')
              await advanceTo(world, 'WP01', entry.lane);
            const before = await world.lanesOf('WP01');
            const replay = await replayWpPath(
              modelPath,
              modelInput(entry.lane, owned, world.repo.root),
              world.host,
              coverage,
              { restoreEveryStep: true },
            );
            restoreCoverage.restores += replay.restores;
            restoreCoverage.restorable += replay.restorable;
            const after = await world.lanesOf('WP01');
            expect(after.slice(before.length)).toEqual(impliedLanes(replay.events, entry.lane));
          } finally {
            world.cleanup();
          }
        },
      );
    });
  }

  for (const entry of RESTORED) {
    const modelSnapshot = restoredSnapshot(entry, modelInput(entry.savedLane, false), MODEL_WORKSPACE);
    const { paths, states, edges } = modelPaths(wpMachine, {
      input: modelInput(entry.savedLane, false),
      fromState: restoredModelState(modelSnapshot),
      payloads: restoredPayloads(entry),
      project: wpProjection,
      kindOf: wpEventKind,
    });
    describe(`restored at ${entry.step}, host lane ${entry.hostLane} (${states} model states, ${edges} edges, ${paths.length} paths)`, () => {
      it.each(paths.map((p, i) => [i + 1, p] as const))(
        'path %i replays on the restored actor and the host',
        async (_i, modelPath) => {
          pathCount += 1;
          const world = await createSimWorld([{ id: 'WP01', title: 'First' }]);
          try {
            await advanceTo(world, 'WP01', entry.hostLane as 'in_progress' | 'for_review' | 'in_review');
            const input = modelInput(entry.savedLane, false, world.repo.root);
            const snapshot = restoredSnapshot(entry, input, await worldWorkspace(world));
            const before = await world.lanesOf('WP01');
            const replay = await replayWpPath(modelPath, input, world.host, coverage, { restore: snapshot });
            const after = await world.lanesOf('WP01');
            expect(after.slice(before.length)).toEqual(impliedLanes(replay.events, entry.hostLane));
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
    console.log(`restore coverage: ${restoreCoverage.restores} of ${restoreCoverage.restorable} steps`);
    expect(restoreCoverage.restores).toBe(restoreCoverage.restorable);
    expect(restoreCoverage.restorable).toBeGreaterThan(0);
    expect(report.missingStates).toEqual([]);
    expect(report.missingTransitions).toEqual([]);
  });
});
