import { describe, expect, it } from 'vitest';
import type { ReviewResult, TransitionArgs } from '../../src/host/api.js';
import {
  acceptMissionArgv,
  appendHistoryArgv,
  contractVersionArgv,
  listReadyArgv,
  mergeMissionArgv,
  missionStateArgv,
  resolveWorkspaceArgv,
  startImplementationArgv,
  startReviewArgv,
  transitionArgv,
} from '../../src/host/argv.js';
import { HostArgumentError, isHostError } from '../../src/host/errors.js';
import type { Lane } from '../../src/host/lanes.js';
import { LANES, POLICY_LANES } from '../../src/host/lanes.js';

const POLICY = '{"orchestrator_id":"o"}';
const M = { mission: '001-demo' };
const W = { mission: '001-demo', wp: 'WP01' };
const approved: ReviewResult = { reviewer: 'rev', verdict: 'approved', reference: 'review/1' };

const rows: Array<{ name: string; argv: () => string[]; expected: string[] }> = [
  { name: 'contract-version', argv: () => contractVersionArgv(), expected: ['contract-version'] },
  {
    name: 'contract-version --provider-version',
    argv: () => contractVersionArgv({ providerVersion: '0.1.0' }),
    expected: ['contract-version', '--provider-version', '0.1.0'],
  },
  {
    name: 'mission-state',
    argv: () => missionStateArgv(M),
    expected: ['mission-state', '--mission', '001-demo'],
  },
  { name: 'list-ready', argv: () => listReadyArgv(M), expected: ['list-ready', '--mission', '001-demo'] },
  {
    name: 'resolve-workspace',
    argv: () => resolveWorkspaceArgv(W),
    expected: ['resolve-workspace', '--mission', '001-demo', '--wp', 'WP01'],
  },
  {
    name: 'start-implementation',
    argv: () => startImplementationArgv({ ...W, actor: 'orch', policy: POLICY }),
    expected: [
      'start-implementation',
      '--mission',
      '001-demo',
      '--wp',
      'WP01',
      '--actor',
      'orch',
      '--policy',
      POLICY,
    ],
  },
  {
    name: 'start-review',
    argv: () => startReviewArgv({ ...W, actor: 'orch', policy: POLICY }),
    expected: [
      'start-review',
      '--mission',
      '001-demo',
      '--wp',
      'WP01',
      '--actor',
      'orch',
      '--policy',
      POLICY,
    ],
  },
  {
    name: 'start-review --review-ref',
    argv: () => startReviewArgv({ ...W, actor: 'orch', policy: POLICY, reviewRef: 'r-1' }),
    expected: [
      'start-review',
      '--mission',
      '001-demo',
      '--wp',
      'WP01',
      '--actor',
      'orch',
      '--policy',
      POLICY,
      '--review-ref',
      'r-1',
    ],
  },
  {
    name: 'transition to planned needs no policy',
    argv: () => transitionArgv({ ...W, to: 'planned', actor: 'orch' }),
    expected: ['transition', '--mission', '001-demo', '--wp', 'WP01', '--to', 'planned', '--actor', 'orch'],
  },
  {
    name: 'transition with every flag',
    argv: () =>
      transitionArgv({
        ...W,
        to: 'for_review',
        actor: 'orch',
        note: '--looks like a flag',
        policy: POLICY,
        force: true,
        reviewRef: 'ref-9',
        reviewResult: { reference: 'review/1', verdict: 'changes_requested', reviewer: 'rev' },
        evidence: { review: approved, tests: 'passed' },
        subtasksComplete: true,
        implementationEvidencePresent: true,
      }),
    expected: [
      'transition',
      '--mission',
      '001-demo',
      '--wp',
      'WP01',
      '--to',
      'for_review',
      '--actor',
      'orch',
      '--note',
      '--looks like a flag',
      '--policy',
      POLICY,
      '--force',
      '--review-ref',
      'ref-9',
      '--review-result-json',
      '{"reviewer":"rev","verdict":"changes_requested","reference":"review/1"}',
      '--evidence-json',
      '{"review":{"reviewer":"rev","verdict":"approved","reference":"review/1"},"tests":"passed"}',
      '--subtasks-complete',
      '--implementation-evidence-present',
    ],
  },
  {
    // The real host (3.2.7) has no --no-subtasks-complete: false means "let the host derive it".
    name: 'transition with false hints sends no hint flags and force:false sends no --force',
    argv: () =>
      transitionArgv({
        ...W,
        to: 'for_review',
        actor: 'orch',
        policy: POLICY,
        force: false,
        subtasksComplete: false,
        implementationEvidencePresent: false,
      }),
    expected: [
      'transition',
      '--mission',
      '001-demo',
      '--wp',
      'WP01',
      '--to',
      'for_review',
      '--actor',
      'orch',
      '--policy',
      POLICY,
    ],
  },
  {
    name: 'transition to done with optional policy',
    argv: () => transitionArgv({ ...W, to: 'done', actor: 'orch', policy: POLICY, reviewResult: approved }),
    expected: [
      'transition',
      '--mission',
      '001-demo',
      '--wp',
      'WP01',
      '--to',
      'done',
      '--actor',
      'orch',
      '--policy',
      POLICY,
      '--review-result-json',
      '{"reviewer":"rev","verdict":"approved","reference":"review/1"}',
    ],
  },
  {
    name: 'append-history',
    argv: () => appendHistoryArgv({ ...W, actor: 'orch', note: 'agent claude finished' }),
    expected: [
      'append-history',
      '--mission',
      '001-demo',
      '--wp',
      'WP01',
      '--actor',
      'orch',
      '--note',
      'agent claude finished',
    ],
  },
  {
    name: 'accept-mission',
    argv: () => acceptMissionArgv({ ...M, actor: 'orch' }),
    expected: ['accept-mission', '--mission', '001-demo', '--actor', 'orch'],
  },
  {
    name: 'merge-mission',
    argv: () => mergeMissionArgv(M),
    expected: ['merge-mission', '--mission', '001-demo'],
  },
  {
    name: 'merge-mission with every flag',
    argv: () => mergeMissionArgv({ ...M, target: 'main', strategy: 'squash', push: true }),
    expected: [
      'merge-mission',
      '--mission',
      '001-demo',
      '--target',
      'main',
      '--strategy',
      'squash',
      '--push',
    ],
  },
];

describe('argv builders', () => {
  it.each(rows)('$name', ({ argv, expected }) => {
    expect(argv()).toEqual(expected);
  });

  it('never produces a shell string: every word is a separate element', () => {
    const words = appendHistoryArgv({ ...W, actor: 'orch', note: 'a note; rm -rf / && echo "x"' });
    expect(words.at(-1)).toBe('a note; rm -rf / && echo "x"');
  });
});

describe('policy rules of transition', () => {
  it.each(LANES.map((lane) => ({ lane, needsPolicy: POLICY_LANES.has(lane) })))(
    'to $lane: policy required = $needsPolicy',
    ({ lane, needsPolicy }) => {
      const build = () => transitionArgv({ ...W, to: lane, actor: 'orch' });
      if (needsPolicy) expect(build).toThrow(HostArgumentError);
      else expect(build()).not.toContain('--policy');
    },
  );

  it('requires a policy for start-implementation and start-review', () => {
    expect(() => startImplementationArgv({ ...W, actor: 'orch', policy: '' })).toThrow(/policy.*required/);
    expect(() => startReviewArgv({ ...W, actor: 'orch', policy: '' })).toThrow(/policy.*required/);
  });
});

type Invalid = { name: string; build: () => unknown; field: string };
const invalid: Invalid[] = [
  {
    name: 'unknown lane (the real host prints a traceback and no JSON)',
    build: () => transitionArgv({ ...W, to: 'review' as Lane, actor: 'orch' }),
    field: 'to',
  },
  { name: 'empty mission', build: () => missionStateArgv({ mission: '' }), field: 'mission' },
  { name: 'blank wp', build: () => resolveWorkspaceArgv({ mission: 'm', wp: '  ' }), field: 'wp' },
  { name: 'missing actor', build: () => acceptMissionArgv({ mission: 'm', actor: '' }), field: 'actor' },
  {
    name: 'empty history note',
    build: () => appendHistoryArgv({ ...W, actor: 'a', note: '' }),
    field: 'note',
  },
  {
    name: 'policy that is not JSON',
    build: () => startImplementationArgv({ ...W, actor: 'a', policy: 'full_auto' }),
    field: 'policy',
  },
  {
    name: 'policy that is a JSON array',
    build: () => startReviewArgv({ ...W, actor: 'a', policy: '[]' }),
    field: 'policy',
  },
  {
    name: 'review result with an unknown verdict',
    build: () =>
      transitionArgv({
        ...W,
        to: 'done',
        actor: 'a',
        reviewResult: { ...approved, verdict: 'lgtm' as ReviewResult['verdict'] },
      }),
    field: 'reviewResult.verdict',
  },
  {
    name: 'review result without a reviewer',
    build: () =>
      transitionArgv({
        ...W,
        to: 'in_progress',
        actor: 'a',
        policy: POLICY,
        reviewResult: { ...approved, reviewer: '' },
      }),
    field: 'reviewResult.reviewer',
  },
  {
    name: 'evidence without a review reference',
    build: () =>
      transitionArgv({
        ...W,
        to: 'done',
        actor: 'a',
        evidence: { review: { ...approved, reference: '' } },
      } as TransitionArgs),
    field: 'evidence.review.reference',
  },
  {
    name: 'unknown merge strategy',
    build: () => mergeMissionArgv({ ...M, strategy: 'octopus' as 'merge' }),
    field: 'strategy',
  },
  {
    name: 'empty provider version',
    build: () => contractVersionArgv({ providerVersion: '' }),
    field: 'providerVersion',
  },
];

describe('argument validation', () => {
  it.each(invalid)('refuses $name', ({ build, field }) => {
    let caught: unknown;
    try {
      build();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HostArgumentError);
    expect(isHostError(caught)).toBe(true);
    const error = caught as HostArgumentError;
    expect(error.code).toBe('HOST_INVALID_ARGUMENT');
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });
});
