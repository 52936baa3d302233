/**
 * The lanes a WP is entered from in the wpMachine model test (test/machines/wp-model.test.ts),
 * with its input, copied here so the oracle test runs the same paths without the simulated
 * host; and the same entry as the oracle's plain specification input.
 */
import type { Lane } from '../../../src/host/lanes.js';
import type { WpCarry, WpInput } from '../../../src/machines/wp/types.js';
import { TEST_POLICY } from '../support/run-wp.js';
import type { SpecEntry } from './wp-spec.js';

/** Resume: the earlier actor's bookkeeping at the step it stopped in. */
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

export interface ModelEntry {
  lane: Lane;
  ownedInReview?: boolean;
  carried?: WpCarry;
}

export const ENTRIES: ModelEntry[] = [
  { lane: 'planned' },
  { lane: 'in_progress', carried: carriedAt('inProgress.implementing') },
  { lane: 'in_progress', carried: carriedAt('submitting') },
  { lane: 'for_review' },
  { lane: 'in_review', ownedInReview: true },
  { lane: 'done' },
  { lane: 'approved' },
];

export function modelInput(entry: ModelEntry): WpInput {
  return {
    ...(entry.carried ? { carried: entry.carried } : {}),
    wpId: 'WP01',
    mission: '001-demo',
    actor: 'spec-kitty-orchestrator',
    policy: TEST_POLICY,
    repoRoot: '/repo',
    runId: 'model',
    lane: entry.lane,
    ownedInReview: entry.ownedInReview ?? false,
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

/** The same entry, as the oracle reads it: only what the documented rules talk about. */
export function specEntry(input: WpInput): SpecEntry {
  const { carried, config } = input;
  return {
    lane: input.lane,
    ownedInReview: input.ownedInReview ?? false,
    ...(carried
      ? {
          carried: {
            step: carried.step,
            workspaceKnown: carried.workspace !== null,
            baseHead: carried.baseHead,
            implementation: {
              agentIndex: carried.implementation.agentIndex,
              attempt: carried.implementation.attempt,
            },
            review: { agentIndex: carried.review.agentIndex, attempt: carried.review.attempt },
            reviewCycle: carried.reviewCycle,
            lastFeedback: carried.lastFeedback,
          },
        }
      : {}),
    config: {
      agents: config.agents,
      maxRetries: config.maxRetries,
      retryBackoffSeconds: config.retryBackoffSeconds,
      singleAgentMode: config.singleAgentMode,
      maxReviewCycles: config.maxReviewCycles,
    },
  };
}
