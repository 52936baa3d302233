/**
 * Hand-written worlds for the wp oracle, deeper than the generated paths go: the generator takes
 * the shortest path to each edge, so it never retries before a rework, never retries twice (the
 * model allows one retry) and reaches the last review cycle by lost answers. Each world is fed
 * to the oracle and to the live machine, and the two traces must match.
 */
import { describe, expect, it } from 'vitest';
import type { WpInput } from '../../src/machines/wp/types.js';
import { scripted, world as w } from './oracle/scenario-world.js';
import { modelInput, specEntry } from './oracle/wp-entries.js';
import { observeWpTrace } from './oracle/wp-observe.js';
import { expectedWpTrace } from './oracle/wp-spec.js';
import { worldAnswers } from './oracle/wp-world.js';
import { approved, failed, rejected, succeeded } from './support/agent-results.js';
import type { ModelEvent } from './support/model/wp-model.js';

const planned = modelInput({ lane: 'planned' });
const forReview = modelInput({ lane: 'for_review' });
const twoRetries: WpInput = {
  ...planned,
  config: { ...planned.config, maxRetries: 2, retryBackoffSeconds: 3 },
};

const singleAgent: WpInput = { ...planned, config: { ...planned.config, singleAgentMode: true } };

/** The implementation is submitted, reviewed in cycle 1 and rejected. */
const submittedAndRejected = [
  w.moved('submit', 'for_review'),
  w.reviewStarted(),
  w.summarized(),
  w.ran('reviewer', rejected('claude-code', 'add tests')),
];

/** A review of the for_review WP begins (cycle 1). */
const reviewBegins = [w.resolved(), w.prepared('prepareReview'), w.reviewStarted(), w.summarized()];

interface Scenario {
  name: string;
  input: WpInput;
  events: ModelEvent[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'after a lost changes-requested answer, the rework starts again at attempt 1',
    input: planned,
    events: [
      w.claimed(),
      w.prepared('prepare'),
      w.ran('agent', failed('claude-code', 'general')),
      w.waited('backoff'),
      w.ran('agent', succeeded('claude-code')),
      w.committed(1),
      ...submittedAndRejected,
      w.lost('requestChanges', 'in_progress'),
      w.laneRead('in_progress'),
      w.prepared('prepare', 'head-after-review'),
    ],
  },
  {
    name: "after a lost changes-requested answer, the rework's commits count from the lane head found for it",
    input: planned,
    events: [
      w.claimed(),
      w.prepared('prepare'),
      w.ran('agent', succeeded('claude-code')),
      w.committed(1),
      ...submittedAndRejected,
      w.lost('requestChanges', 'in_progress'),
      w.laneRead('in_progress'),
      w.prepared('prepare', 'head-after-review'),
      w.ran('agent', succeeded('claude-code')),
    ],
  },
  {
    name: 'the backoff doubles with each retry',
    input: twoRetries,
    events: [
      w.claimed(),
      w.prepared('prepare'),
      w.ran('agent', failed('claude-code', 'timeout')),
      w.waited('backoff'),
      w.ran('agent', failed('claude-code', 'rate_limit')),
      w.waited('backoff'),
      w.ran('agent', failed('claude-code', 'network')),
      w.ran('agent', succeeded('codex')),
      w.committed(0),
      w.waited('backoff'),
      w.ran('agent', succeeded('codex')),
      w.committed(2),
      w.moved('submit', 'for_review'),
    ],
  },
  {
    name: 'auth and setup failures are never retried; with no agent left the WP is blocked',
    input: planned,
    events: [
      w.claimed(),
      w.prepared('prepare'),
      w.ran('agent', failed('claude-code', 'auth')),
      w.ran('agent', failed('codex', 'setup')),
      w.moved('block', 'blocked'),
    ],
  },
  {
    name: 'every reviewer failing blocks the WP out of in_review',
    input: forReview,
    events: [
      ...reviewBegins,
      w.ran('reviewer', failed('claude-code', 'general', 'review')),
      w.waited('reviewBackoff'),
      w.ran('reviewer', failed('claude-code', 'timeout', 'review')),
      w.ran('reviewer', failed('codex', 'general', 'review')),
      w.waited('reviewBackoff'),
      w.ran('reviewer', failed('codex', 'general', 'review')),
      w.moved('block', 'blocked'),
    ],
  },
  {
    name: 'a reviewer without a verdict is retried, not read as a rejection',
    input: forReview,
    events: [
      ...reviewBegins,
      w.ran('reviewer', succeeded('claude-code', 'review')),
      w.waited('reviewBackoff'),
      w.ran('reviewer', approved('claude-code')),
      w.moved('complete', 'done'),
    ],
  },
  {
    name: 'a rejection in the last review cycle blocks; the rework before it gets the feedback',
    input: forReview,
    events: [
      ...reviewBegins,
      w.ran('reviewer', rejected('claude-code', 'add tests')),
      w.moved('requestChanges', 'in_progress'),
      w.prepared('prepare', 'head-after-review'),
      w.ran('agent', succeeded('claude-code')),
      w.committed(1),
      w.moved('submit', 'for_review'),
      w.reviewStarted(),
      w.summarized(),
      w.ran('reviewer', rejected('claude-code', 'still no tests')),
      w.moved('block', 'blocked'),
    ],
  },
  {
    name: 'in single-agent mode the implementer in charge reviews first, then its fallbacks',
    input: singleAgent,
    events: [
      w.claimed(),
      w.prepared('prepare'),
      w.ran('agent', failed('claude-code', 'auth')),
      w.ran('agent', succeeded('codex')),
      w.committed(1),
      w.moved('submit', 'for_review'),
      w.reviewStarted(),
      w.summarized(),
      w.ran('reviewer', failed('codex', 'auth', 'review')),
      w.ran('reviewer', approved('claude-code')),
      w.moved('complete', 'done'),
    ],
  },
  {
    name: 'the reviewer that took over stays in charge for the next cycle',
    input: forReview,
    events: [
      ...reviewBegins,
      w.ran('reviewer', failed('claude-code', 'auth', 'review')),
      w.ran('reviewer', rejected('codex', 'rename it')),
      w.moved('requestChanges', 'in_progress'),
      w.prepared('prepare'),
      w.ran('agent', succeeded('claude-code')),
      w.committed(1),
      w.moved('submit', 'for_review'),
      w.reviewStarted(),
      w.summarized(),
      w.ran('reviewer', approved('codex')),
      w.moved('complete', 'done'),
    ],
  },
];

describe('wpMachine against the oracle, in hand-written worlds', () => {
  const traces = async (scenario: Scenario) => {
    const path = scripted(scenario.events);
    const expected = expectedWpTrace(specEntry(scenario.input), worldAnswers(path));
    return { expected, observed: await observeWpTrace(path, scenario.input) };
  };
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const { expected, observed } = await traces(scenario);
    expect(observed).toEqual(expected);
  });
});
