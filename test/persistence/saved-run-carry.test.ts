/**
 * What `resume` takes from a saved run: per WP, the earlier WP actor's own bookkeeping and the
 * step it was at (carriedWpsFrom), and the reviews it owned (ownedInReviewFrom). Pure functions
 * of the persisted snapshot; anything of an unexpected shape is left out, never guessed.
 */
import { describe, expect, it } from 'vitest';
import { carriedWpsFrom, flowStep, ownedInReviewFrom } from '../../src/cli/runtime/saved-run.js';
import { sampleRunState } from './support/run-state-fixture.js';

const fresh = { agentIndex: 0, attempt: 1, agentsTried: [], runs: 0 };

function wpContext(overrides: Record<string, unknown> = {}) {
  return {
    wpId: 'WP01',
    lane: 'in_progress',
    workspace: {
      workspacePath: '/repo/.worktrees/m-lane-a',
      promptPath: '/repo/kitty-specs/m/tasks/WP01.md',
      laneId: 'lane-a',
      laneBranch: 'kitty/mission-m-lane-a',
      laneBaseRef: 'main',
    },
    baseHead: 'abc123',
    implementation: { agentIndex: 1, attempt: 2, agentsTried: ['claude-code', 'codex'], runs: 3 },
    review: fresh,
    reviewCycle: 1,
    reviewRef: 'review-WP01-cycle1',
    lastFeedback: 'Add a test',
    lastReviewResult: { reviewer: 'claude-code', verdict: 'changes_requested', reference: 'fb-1' },
    commits: 2,
    usage: { inputTokens: 10, outputTokens: 20, costUsd: 0.5 },
    logPaths: ['/repo/.kittify/logs/m/WP01-1.log'],
    pendingNotes: [],
    ...overrides,
  };
}

function child(value: unknown, context: Record<string, unknown>, status = 'active') {
  return { src: 'wp', syncSnapshot: false, snapshot: { status, value, context, children: {} } };
}

function savedWith(children: Record<string, unknown>, missionContext: Record<string, unknown> = {}) {
  const state = sampleRunState('/repo');
  return {
    ...state,
    snapshot: {
      status: 'active' as const,
      value: { running: { scheduler: 'supervising', poller: 'waiting' } },
      context: { results: {}, ownedInReview: [], carried: {}, ...missionContext },
      children,
    },
  };
}

describe('flowStep', () => {
  it('turns the flow region of a wp state value into a dotted step', () => {
    expect(flowStep({ flow: { inProgress: 'implementing' }, notes: 'idle' })).toBe('inProgress.implementing');
    expect(flowStep({ flow: 'submitting', notes: 'writing' })).toBe('submitting');
    expect(flowStep('done')).toBeUndefined();
    expect(flowStep(null)).toBeUndefined();
  });
});

describe('carriedWpsFrom', () => {
  it("carries each live WP actor's bookkeeping and step", () => {
    const saved = savedWith({
      WP01: child({ flow: { inProgress: 'implementing' }, notes: 'idle' }, wpContext()),
      WP02: child({ flow: 'submitting', notes: 'idle' }, wpContext({ wpId: 'WP02', reviewCycle: 0 })),
    });
    const carried = carriedWpsFrom(saved);
    expect(Object.keys(carried).sort()).toEqual(['WP01', 'WP02']);
    expect(carried.WP01).toMatchObject({
      step: 'inProgress.implementing',
      baseHead: 'abc123',
      implementation: { agentIndex: 1, attempt: 2, agentsTried: ['claude-code', 'codex'], runs: 3 },
      reviewCycle: 1,
      lastFeedback: 'Add a test',
      commits: 2,
      usage: { inputTokens: 10, outputTokens: 20, costUsd: 0.5 },
    });
    expect(carried.WP01?.workspace?.workspacePath).toBe('/repo/.worktrees/m-lane-a');
    expect(carried.WP02?.step).toBe('submitting');
    // Only the carried fields: no lane, no notes (the host lane and a fresh queue decide those).
    expect(carried.WP01).not.toHaveProperty('lane');
    expect(carried.WP01).not.toHaveProperty('pendingNotes');
  });

  it('a rework request in flight starts a new phase: its lane base is dropped', () => {
    const saved = savedWith({ WP01: child({ flow: 'requestingChanges', notes: 'idle' }, wpContext()) });
    expect(carriedWpsFrom(saved).WP01).toMatchObject({ step: 'requestingChanges', baseHead: null });
  });

  it('keeps what an earlier resume carried for WPs that have not run since, but not finished ones', () => {
    const earlier = { step: 'inProgress.implementing', ...wpContext({ wpId: 'WP03' }) };
    const saved = savedWith(
      {},
      {
        carried: { WP03: earlier, WP04: { ...earlier, wpId: 'WP04' } },
        results: { WP04: { outcome: 'done' } },
      },
    );
    const carried = carriedWpsFrom(saved);
    expect(Object.keys(carried)).toEqual(['WP03']);
    expect(carried.WP03?.step).toBe('inProgress.implementing');
  });

  it('skips children of an unexpected shape and children that are not active', () => {
    const saved = savedWith({
      WP01: child({ flow: 'submitting' }, { wpId: 'WP01', lane: 'in_progress' }),
      WP02: child({ flow: 'done' }, wpContext({ wpId: 'WP02' }), 'done'),
      WP03: { src: 'wp' },
    });
    expect(carriedWpsFrom(saved)).toEqual({});
  });
});

describe('ownedInReviewFrom', () => {
  it('counts reviews we had claimed, or were claiming, or were sending a result for', () => {
    const saved = savedWith(
      {
        WP01: child({ flow: { inReview: 'reviewing' } }, wpContext({ lane: 'in_review' })),
        WP02: child({ flow: { forReview: 'claimingReview' } }, wpContext({ lane: 'for_review' })),
        WP03: child({ flow: 'completing' }, wpContext({ lane: 'in_review' })),
        WP04: child({ flow: { inProgress: 'implementing' } }, wpContext()),
        WP05: child({ flow: 'requestingChanges' }, wpContext({ lane: 'in_review' })),
      },
      { ownedInReview: ['WP06', 'WP07'], results: { WP07: { outcome: 'done' } } },
    );
    expect(ownedInReviewFrom(saved)).toEqual(['WP01', 'WP02', 'WP03', 'WP05', 'WP06']);
  });
});
