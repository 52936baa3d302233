/**
 * Model-based tests of wpMachine: xstate/graph enumerates the machine's behaviour for each entry
 * lane, a transition-covering set of paths is replayed against the live actor and the simulated
 * host, and the suite fails unless every state and transition of the definition was exercised.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Lane } from '../../src/host/lanes.js';
import { wpMachine } from '../../src/machines/wp/machine.js';
import type { WpCarry, WpInput } from '../../src/machines/wp/types.js';
import { GIT_TEST_ENV } from '../support/temp-repo.js';
import { advanceTo } from './support/advance.js';
import { CoverageRecorder } from './support/model/coverage.js';
import { modelPaths } from './support/model/paths.js';
import { replayWpPath } from './support/model/replay-wp.js';
import { impliedLanes, wpEventKind, wpPayloads, wpProjection } from './support/model/wp-model.js';
import { TEST_POLICY } from './support/run-wp.js';
import { createSimWorld, type SimWorld } from './support/sim-world.js';

/** Resume: the earlier actor's bookkeeping, at the step it stopped in (workspace filled in per world). */
function carriedAt(step: string): WpCarry {
  const fresh = { agentIndex: 0, attempt: 1, agentsTried: [], runs: 0 };
  return {
    step,
    workspace: {
      workspacePath: '/ws',
      promptPath: 'p.md',
      laneId: 'lane-a',
      laneBranch: null,
      laneBaseRef: null,
    },
    baseHead: null,
    implementation: { ...fresh, agentsTried: ['claude-code'], runs: 1 },
    review: fresh,
    reviewCycle: 0,
    reviewRef: null,
    lastFeedback: null,
    lastReviewResult: null,
    commits: 0,
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    logPaths: [],
  };
}

const ENTRIES: { lane: Lane; ownedInReview?: boolean; carried?: WpCarry }[] = [
  { lane: 'planned' },
  { lane: 'in_progress', carried: carriedAt('inProgress.implementing') },
  { lane: 'in_progress', carried: carriedAt('submitting') },
  { lane: 'for_review' },
  { lane: 'in_review', ownedInReview: true },
  { lane: 'done' },
  { lane: 'approved' },
];

function modelInput(lane: Lane, ownedInReview: boolean, repoRoot = '/repo', carried?: WpCarry): WpInput {
  return {
    ...(carried ? { carried } : {}),
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

/**
 * The carried bookkeeping pointed at the world's real lane worktree; an earlier run that got as
 * far as submitting had committed its work there.
 */
async function carriedInWorld(world: SimWorld, carried: WpCarry): Promise<WpCarry> {
  const resolved = await world.host.resolveWorkspace({ mission: world.slug, wp: 'WP01' });
  const workspacePath = resolved.workspace_path;
  if (carried.step === 'submitting') {
    writeFileSync(path.join(workspacePath, 'earlier-run.txt'), 'committed before the crash\n');
    const env = { ...process.env, ...GIT_TEST_ENV };
    execFileSync('git', ['add', '-A'], { cwd: workspacePath, env });
    execFileSync('git', ['commit', '-q', '-m', 'earlier run'], { cwd: workspacePath, env });
  }
  return {
    ...carried,
    workspace: {
      workspacePath,
      promptPath: resolved.prompt_path,
      laneId: resolved.lane_id ?? null,
      laneBranch: resolved.lane_branch ?? null,
      laneBaseRef: resolved.lane_base_ref ?? null,
    },
  };
}

const coverage = new CoverageRecorder();
let pathCount = 0;

describe('wpMachine model', () => {
  for (const entry of ENTRIES) {
    const owned = entry.ownedInReview ?? false;
    const { paths, states, edges } = modelPaths(wpMachine, {
      input: modelInput(entry.lane, owned, '/repo', entry.carried),
      payloads: wpPayloads,
      project: wpProjection,
      kindOf: wpEventKind,
    });
    const resumed = entry.carried ? ` resumed at ${entry.carried.step}` : '';
    describe(`entered from ${entry.lane}${resumed} (${states} model states, ${edges} edges, ${paths.length} paths)`, () => {
      it.each(paths.map((p, i) => [i + 1, p] as const))(
        'path %i replays on the live actor and the host',
        async (_i, modelPath) => {
          pathCount += 1;
          const world = await createSimWorld([{ id: 'WP01', title: 'First' }]);
          try {
            if (entry.lane === 'for_review' || entry.lane === 'in_review' || entry.lane === 'in_progress')
              await advanceTo(world, 'WP01', entry.lane);
            const carried = entry.carried ? await carriedInWorld(world, entry.carried) : undefined;
            const before = await world.lanesOf('WP01');
            const { events } = await replayWpPath(
              modelPath,
              modelInput(entry.lane, owned, world.repo.root, carried),
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
