/**
 * The lanes a WP is entered from in the wpMachine model test (test/machines/wp-model.test.ts),
 * with its input, copied here so the oracle test runs the same paths without the simulated
 * host; and the same entry as the oracle's plain specification input.
 */
import type { Lane } from '../../../src/host/lanes.js';
import type { WpInput } from '../../../src/machines/wp/types.js';
import { TEST_POLICY } from '../support/run-wp.js';
import type { SpecEntry } from './wp-spec.js';

export interface ModelEntry {
  lane: Lane;
  ownedInReview?: boolean;
}

export const ENTRIES: ModelEntry[] = [
  { lane: 'planned' },
  { lane: 'for_review' },
  { lane: 'in_review', ownedInReview: true },
  { lane: 'done' },
  { lane: 'approved' },
];

export function modelInput(entry: ModelEntry): WpInput {
  return {
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
  const { config } = input;
  return {
    lane: input.lane,
    ownedInReview: input.ownedInReview ?? false,
    config: {
      agents: config.agents,
      maxRetries: config.maxRetries,
      retryBackoffSeconds: config.retryBackoffSeconds,
      singleAgentMode: config.singleAgentMode,
      maxReviewCycles: config.maxReviewCycles,
    },
  };
}
