/**
 * The end-to-end scenarios, defined once and run against every host: the mission (work packages
 * and dependencies), what each fake agent does per WP and attempt, the orchestrator config, and
 * what must come out (mission status, WP outputs, the host's lane event sequence per WP).
 */
import type { Lane } from '../../../src/host/lanes.js';
import type { MissionSpecInput } from '../../../src/host/simulated/index.js';
import type { MissionConfig, MissionStatus } from '../../../src/machines/mission/types.js';
import type { WpOutcome } from '../../../src/machines/wp/types.js';
import type { E2eAgentId, FakeAgentScenario } from './fake-agents.js';

export const E2E_ACTOR = 'sko-e2e';

/**
 * pollIntervalSeconds is far beyond any run: a dependent WP can only start because the finished
 * child re-schedules at once, never because the safety-net poll came round.
 */
export const E2E_CONFIG: MissionConfig = {
  maxConcurrent: 3,
  agents: { implementation: ['claude-code', 'codex'], review: ['claude-code'] },
  maxRetries: 1,
  retryBackoffSeconds: 0.05,
  timeoutSeconds: 60,
  singleAgentMode: false,
  maxReviewCycles: 2,
  acceptOnCompletion: true,
  pollIntervalSeconds: 600,
};

export interface ExpectedWp {
  outcome: WpOutcome;
  lane: Lane;
  attempts: { implementation: number; review: number };
  agents: { implementation: E2eAgentId[]; review: E2eAgentId[] };
  reviewCycles: number;
  /** The agent whose work is the last version of fake-agent-output/<wp>.txt on the lane (none: no file). */
  finalAuthor: { fakeAgent: 'claude' | 'codex'; attempt: number } | null;
  /** Commits on the lane that touch fake-agent-output/<wp>.txt. */
  outputCommits: number;
  /** Every agent run for the WP, in order, as `role:fakeAgent:action` (the fake agent's own log). */
  runs: string[];
}

export interface E2eScenario {
  name: string;
  mission: MissionSpecInput;
  agents: FakeAgentScenario;
  config: MissionConfig;
  expected: {
    status: MissionStatus;
    accepted?: boolean;
    wps: Record<string, ExpectedWp>;
    /** The host's lane moves per WP, `from>to`, bootstrap (genesis>planned) left out. */
    laneSequences: Record<string, string[]>;
    /**
     * mission-state calls of the whole run: the first read, plus one confirming read when the run
     * ends with WPs not done. More would mean the safety-net poll had to wake the scheduler.
     */
    missionStateReads: number;
  };
}

const CLAIM = ['planned>claimed', 'claimed>in_progress'];
const REVIEW_ROUND = ['in_progress>for_review', 'for_review>in_review'];
const APPROVED_PATH = [...CLAIM, ...REVIEW_ROUND, 'in_review>done'];

export const WP02_FEEDBACK = 'WP02 needs a regression test for the empty-input edge case (e2e-feedback-7f3a)';

function wp(id: string, title: string, subtask: string, dependencies: string[] = []) {
  return {
    id,
    title,
    dependencies,
    subtasks: [subtask],
    prompt: `# ${id} ${title}\n\nImplement ${title.toLowerCase()} in fake-agent-output/${id}.txt.\n`,
  };
}

const IMPLEMENT = 'implementation:claude:implement';
const APPROVE = 'review:claude:approve';

const done = (overrides: Partial<ExpectedWp>): ExpectedWp => ({
  outcome: 'done',
  lane: 'done',
  attempts: { implementation: 1, review: 1 },
  agents: { implementation: ['claude-code'], review: ['claude-code'] },
  reviewCycles: 1,
  finalAuthor: { fakeAgent: 'claude', attempt: 1 },
  outputCommits: 1,
  runs: [IMPLEMENT, APPROVE],
  ...overrides,
});

/**
 * Dependencies, rework, retry, fallback and a blocked WP in one mission:
 * WP01 approved first time (the agent commits its own work); WP02 (after WP01) rejected once,
 * reworked with the feedback, approved; WP03 fails once and the same agent's retry succeeds;
 * WP04 hits an auth error (never retried) and codex takes over; WP05 fails with every agent.
 */
export const PROBLEMS_SCENARIO: E2eScenario = {
  name: 'dependencies, rework, retry, fallback, blocked',
  mission: {
    slug: '001-e2e-problems',
    title: 'E2E problems',
    workPackages: [
      wp('WP01', 'Parser core', 'T001'),
      wp('WP02', 'Parser errors', 'T002', ['WP01']),
      wp('WP03', 'Flaky formatter', 'T003'),
      wp('WP04', 'Auth fallback', 'T004'),
      wp('WP05', 'Impossible feature', 'T005'),
    ],
  },
  agents: {
    WP01: { implementation: { action: 'implement', commit: true } },
    WP02: { review: [{ action: 'request_changes', feedback: WP02_FEEDBACK }, { action: 'approve' }] },
    WP03: {
      implementation: [
        { action: 'fail', exitCode: 3, message: 'WP03 flaky build failure' },
        { action: 'implement' },
      ],
    },
    'WP04@claude': { implementation: { action: 'auth_error' } },
    WP05: { implementation: { action: 'fail', message: 'WP05 cannot be built by anyone' } },
  },
  config: E2E_CONFIG,
  expected: {
    status: 'finished_with_problems',
    wps: {
      WP01: done({}),
      WP02: done({
        attempts: { implementation: 2, review: 2 },
        reviewCycles: 2,
        finalAuthor: { fakeAgent: 'claude', attempt: 2 },
        outputCommits: 2,
        runs: [IMPLEMENT, 'review:claude:request_changes', IMPLEMENT, APPROVE],
      }),
      WP03: done({
        attempts: { implementation: 2, review: 1 },
        finalAuthor: { fakeAgent: 'claude', attempt: 2 },
        runs: ['implementation:claude:fail', IMPLEMENT, APPROVE],
      }),
      WP04: done({
        attempts: { implementation: 2, review: 1 },
        agents: { implementation: ['claude-code', 'codex'], review: ['claude-code'] },
        finalAuthor: { fakeAgent: 'codex', attempt: 2 },
        // The auth error is never retried with the same agent.
        runs: ['implementation:claude:auth_error', 'implementation:codex:implement', APPROVE],
      }),
      WP05: {
        outcome: 'blocked',
        lane: 'blocked',
        attempts: { implementation: 4, review: 0 },
        agents: { implementation: ['claude-code', 'codex'], review: [] },
        reviewCycles: 0,
        finalAuthor: null,
        outputCommits: 0,
        runs: [
          'implementation:claude:fail',
          'implementation:claude:fail',
          'implementation:codex:fail',
          'implementation:codex:fail',
        ],
      },
    },
    laneSequences: {
      WP01: APPROVED_PATH,
      WP02: [...CLAIM, ...REVIEW_ROUND, 'in_review>in_progress', ...REVIEW_ROUND, 'in_review>done'],
      WP03: APPROVED_PATH,
      WP04: APPROVED_PATH,
      WP05: [...CLAIM, 'in_progress>blocked'],
    },
    missionStateReads: 2,
  },
};

/** Everything succeeds: the mission completes and is accepted. */
export const ACCEPT_SCENARIO: E2eScenario = {
  name: 'all WPs approved, mission accepted',
  mission: {
    slug: '002-e2e-accept',
    title: 'E2E accept',
    workPackages: [wp('WP01', 'Storage', 'T001'), wp('WP02', 'Storage API', 'T002', ['WP01'])],
  },
  agents: {},
  config: { ...E2E_CONFIG, maxConcurrent: 2 },
  expected: {
    status: 'completed',
    accepted: true,
    wps: { WP01: done({}), WP02: done({}) },
    laneSequences: { WP01: APPROVED_PATH, WP02: APPROVED_PATH },
    missionStateReads: 1,
  },
};

/** WP01's agent hangs until the run is aborted; WP02 waits for WP01 and is never started. */
export const ABORT_SCENARIO = {
  mission: {
    slug: '003-e2e-abort',
    title: 'E2E abort',
    workPackages: [wp('WP01', 'Endless task', 'T001'), wp('WP02', 'Never reached', 'T002', ['WP01'])],
  },
  agents: { WP01: { implementation: { action: 'hang' } } },
  config: E2E_CONFIG,
  /** WP02 has no move at all: it stays planned. */
  expectedLaneSequences: { WP01: CLAIM },
} satisfies {
  mission: MissionSpecInput;
  agents: FakeAgentScenario;
  config: MissionConfig;
  expectedLaneSequences: Record<string, string[]>;
};
