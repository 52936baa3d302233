/** The wpMachine's context updates called directly: what each event books into context. */
import { describe, expect, it } from 'vitest';
import {
  adoptedHostLane,
  agentCrashed,
  agentFailed,
  agentRan,
  beginReviewCycle,
  committed,
  dropWrittenNote,
  enqueueNote,
  fallBack,
  finish,
  heldHostError,
  hostFailed,
  laneMoved,
  localStepFailed,
  nextAttempt,
  prepared,
  producedNothing,
  restartImplementationPhase,
  reviewApproved,
  reviewRejected,
  scheduleRetry,
  seen,
  workspaceFrom,
} from '../../src/machines/wp/updates.js';
import { agentOutput, wpContext } from './fixtures/wp-context.js';

const WORKSPACE = {
  workspacePath: '/ws',
  promptPath: '/p',
  laneId: null,
  laneBranch: 'lane',
  laneBaseRef: 'main',
};

describe('seen', () => {
  it('the first instant sets both ends; later ones only move the last', () => {
    expect(seen(wpContext(), 50)).toEqual({ lastSeenAt: 50, firstSeenAt: 50 });
    expect(seen(wpContext({ firstSeenAt: 10, lastSeenAt: 40 }), 30)).toEqual({
      lastSeenAt: 40,
      firstSeenAt: 10,
    });
    expect(seen(wpContext({ firstSeenAt: 10, lastSeenAt: 40 }), 90)).toEqual({
      lastSeenAt: 90,
      firstSeenAt: 10,
    });
  });
});

describe('workspace and lane', () => {
  it('workspaceFrom maps the host fields, missing lane fields to null', () => {
    expect(workspaceFrom({ workspace_path: '/w', prompt_path: '/p' })).toEqual({
      workspacePath: '/w',
      promptPath: '/p',
      laneId: null,
      laneBranch: null,
      laneBaseRef: null,
    });
    expect(
      workspaceFrom({
        workspace_path: '/w',
        prompt_path: '/p',
        lane_id: 'l',
        lane_branch: 'b',
        lane_base_ref: 'r',
      }),
    ).toMatchObject({ laneId: 'l', laneBranch: 'b', laneBaseRef: 'r' });
  });

  it('laneMoved records the lane and the instant', () => {
    expect(laneMoved(wpContext(), 'claimed', 7)).toEqual({ lane: 'claimed', lastSeenAt: 7, firstSeenAt: 7 });
  });

  it('prepared keeps a known base head and moves the known workspace', () => {
    const output = {
      workspacePath: '/moved',
      promptText: 'do it',
      subtaskIds: ['T1'],
      baseHead: 'new',
      at: 9,
    };
    expect(prepared(wpContext({ workspace: WORKSPACE, baseHead: 'old' }), output)).toEqual({
      workspace: { ...WORKSPACE, workspacePath: '/moved' },
      promptText: 'do it',
      subtaskIds: ['T1'],
      baseHead: 'old',
      lastSeenAt: 9,
      firstSeenAt: 9,
    });
    expect(prepared(wpContext(), output)).toMatchObject({ workspace: null, baseHead: 'new' });
  });
});

describe('agent runs', () => {
  it('agentRan adds usage, the log and the agent once, and widens the role timing', () => {
    const context = wpContext({
      usage: { inputTokens: 1, outputTokens: 2, costUsd: 0.5 },
      logPaths: ['/logs/run.log'],
      implementation: { agentIndex: 0, attempt: 1, agentsTried: ['claude-code'], runs: 1 },
      timings: { implementation: { startedAt: 500, finishedAt: 900 } },
    });
    const output = agentOutput({ usage: { inputTokens: 10, outputTokens: 20, costUsd: 0.25 } }, 1_000, 2_000);
    expect(agentRan(context, 'implementation', output)).toEqual({
      implementation: { agentIndex: 0, attempt: 1, agentsTried: ['claude-code'], runs: 2 },
      usage: { inputTokens: 11, outputTokens: 22, costUsd: 0.75 },
      logPaths: ['/logs/run.log'],
      timings: { implementation: { startedAt: 500, finishedAt: 2_000 } },
      lastSeenAt: 2_000,
      firstSeenAt: 2_000,
    });
  });

  it('agentRan of a new agent without usage appends agent and log and adds nothing', () => {
    const context = wpContext({ usage: { inputTokens: 1, outputTokens: 2, costUsd: 0.5 } });
    const update = agentRan(context, 'review', agentOutput({ agent: 'opencode', logPath: '/l2' }, 3, 4));
    expect(update.review?.agentsTried).toEqual(['opencode']);
    expect(update.usage).toEqual({ inputTokens: 1, outputTokens: 2, costUsd: 0.5 });
    expect(update.logPaths).toEqual(['/l2']);
    expect(update.timings).toEqual({ review: { startedAt: 3, finishedAt: 4 } });
  });

  it('agentFailed books the run and records the first error and the failure kind', () => {
    const update = agentFailed(
      wpContext(),
      'implementation',
      agentOutput({ success: false, errors: ['first', 'second'], failureKind: 'rate_limit', exitCode: 1 }),
    );
    expect(update.implementation?.runs).toBe(1);
    expect(update.lastFailure).toEqual({
      role: 'implementation',
      agent: 'claude-code',
      attempt: 1,
      kind: 'rate_limit',
      message: 'first',
      at: 2_000,
    });
  });

  it('agentFailed without errors names the exit code, and defaults the kind to general', () => {
    const withCode = agentFailed(wpContext(), 'implementation', agentOutput({ success: false, exitCode: 3 }));
    expect(withCode.lastFailure).toMatchObject({ kind: 'general', message: 'exit code 3' });
    const noCode = agentFailed(
      wpContext(),
      'implementation',
      agentOutput({ success: false, exitCode: null }),
    );
    expect(noCode.lastFailure?.message).toBe('exit code none');
  });

  it('a successful reviewer without a verdict failed with no_output', () => {
    const update = agentFailed(wpContext(), 'review', agentOutput({ agent: 'opencode', role: 'review' }));
    expect(update.lastFailure).toMatchObject({
      role: 'review',
      agent: 'opencode',
      kind: 'no_output',
      message: 'review agent reported no verdict',
    });
  });

  it('agentCrashed counts a run of the agent in charge as a general failure with no instant', () => {
    const context = wpContext({
      implementation: { agentIndex: 1, attempt: 2, agentsTried: ['claude-code'], runs: 1 },
    });
    const update = agentCrashed(context, 'implementation', new Error('spawn failed'));
    expect(update.implementation).toEqual({
      agentIndex: 1,
      attempt: 2,
      agentsTried: ['claude-code', 'codex'],
      runs: 2,
    });
    expect(update.lastFailure).toEqual({
      role: 'implementation',
      agent: 'codex',
      attempt: 2,
      kind: 'general',
      message: 'spawn failed',
      at: null,
    });
    const again = agentCrashed(wpContext({ ...context, ...update }), 'implementation', 'x');
    expect(again.implementation?.agentsTried).toEqual(['claude-code', 'codex']);
  });
});

describe('commits', () => {
  it('committed adds commits and clears the failure', () => {
    const context = wpContext({
      commits: 2,
      lastFailure: {
        role: 'implementation',
        agent: 'codex',
        attempt: 1,
        kind: 'general',
        message: 'm',
        at: 1,
      },
    });
    expect(committed(context, { commitCount: 3, head: 'h', at: 8 })).toEqual({
      commits: 5,
      lastFailure: null,
      lastSeenAt: 8,
      firstSeenAt: 8,
    });
  });

  it('producedNothing is a no_output failure of the implementer', () => {
    expect(producedNothing(wpContext(), { commitCount: 0, head: null, at: 8 }).lastFailure).toEqual({
      role: 'implementation',
      agent: 'claude-code',
      attempt: 1,
      kind: 'no_output',
      message: 'agent exited successfully but left no changes to commit',
      at: 8,
    });
  });
});

describe('retries and fallbacks', () => {
  const failure = {
    role: 'implementation' as const,
    agent: 'claude-code' as const,
    kind: 'general' as const,
    message: 'm',
  };

  it('scheduleRetry waits the backoff of the failed attempt from the failure instant', () => {
    const context = wpContext({ lastFailure: { ...failure, attempt: 2, at: 10_000 } });
    expect(scheduleRetry(context)).toEqual({ retryDeadline: 16_000 });
  });

  it('scheduleRetry without a failure instant counts from the last seen instant, else from 0', () => {
    expect(
      scheduleRetry(wpContext({ lastFailure: { ...failure, attempt: 1, at: null }, lastSeenAt: 500 })),
    ).toEqual({
      retryDeadline: 3_500,
    });
    expect(scheduleRetry(wpContext())).toEqual({ retryDeadline: 3_000 });
  });

  it('nextAttempt bumps the attempt, clears the deadline, and books the instant when given', () => {
    const context = wpContext({ retryDeadline: 99 });
    expect(nextAttempt(context, 'review', 5)).toEqual({
      review: { agentIndex: 0, attempt: 2, agentsTried: [], runs: 0 },
      retryDeadline: null,
      lastSeenAt: 5,
      firstSeenAt: 5,
    });
    expect(nextAttempt(context, 'review', null)).not.toHaveProperty('lastSeenAt');
  });

  it('fallBack moves to the next agent at attempt 1', () => {
    const context = wpContext({ implementation: { agentIndex: 0, attempt: 3, agentsTried: [], runs: 3 } });
    expect(fallBack(context, 'implementation')).toEqual({
      implementation: { agentIndex: 1, attempt: 1, agentsTried: [], runs: 3 },
    });
  });

  it('restartImplementationPhase resets the attempt and forgets the base head', () => {
    const context = wpContext({
      baseHead: 'abc',
      implementation: { agentIndex: 1, attempt: 3, agentsTried: [], runs: 3 },
    });
    expect(restartImplementationPhase(context)).toEqual({
      implementation: { agentIndex: 1, attempt: 1, agentsTried: [], runs: 3 },
      baseHead: null,
    });
  });
});

describe('host errors and lane adoption', () => {
  it('heldHostError and hostFailed keep the error as data', () => {
    const error = Object.assign(new Error('nope'), { code: 'WP_LOCKED' });
    expect(heldHostError(error)).toEqual({ lastError: { code: 'WP_LOCKED', message: 'nope' } });
    expect(hostFailed(error)).toEqual({
      lastError: { code: 'WP_LOCKED', message: 'nope' },
      outcomeReason: 'host refused: WP_LOCKED: nope',
    });
  });

  it('localStepFailed names the step in the block reason', () => {
    expect(localStepFailed('prepare', new Error('disk full'))).toEqual({
      lastError: { code: 'UNKNOWN', message: 'disk full' },
      blockReason: 'prepare failed: disk full',
    });
  });

  it('adoptedHostLane starts again from the host lane and counts the re-routing', () => {
    const context = wpContext({ reconciles: 1, resumeStep: 'x', lastError: { code: 'C', message: 'm' } });
    expect(adoptedHostLane(context, 'for_review', 4)).toEqual({
      entryLane: 'for_review',
      lane: 'for_review',
      reconciles: 2,
      resumeStep: null,
      lastError: null,
      ownedInReview: false,
      lastSeenAt: 4,
      firstSeenAt: 4,
    });
  });

  it('adoptedHostLane owns in_review only after our own review started', () => {
    expect(adoptedHostLane(wpContext({ reviewCycle: 1 }), 'in_review', 4).ownedInReview).toBe(true);
    expect(adoptedHostLane(wpContext({ reviewCycle: 0 }), 'in_review', 4).ownedInReview).toBe(false);
    expect(adoptedHostLane(wpContext({ reviewCycle: 1 }), 'for_review', 4).ownedInReview).toBe(false);
    expect(adoptedHostLane(wpContext({ ownedInReview: true }), 'for_review', 4).ownedInReview).toBe(true);
  });
});

describe('review cycles', () => {
  it('beginReviewCycle counts the cycle, names its reference and resets the review attempt', () => {
    const context = wpContext({
      reviewCycle: 1,
      diffSummary: 'old',
      review: { agentIndex: 1, attempt: 3, agentsTried: [], runs: 4 },
    });
    const update = beginReviewCycle(context);
    expect(update.reviewCycle).toBe(2);
    expect(update.reviewRef).toMatch(/^review-WP07-cycle2-[0-9a-f]{8}$/);
    expect(update.diffSummary).toBeNull();
    expect(update.review).toEqual({ agentIndex: 1, attempt: 1, agentsTried: [], runs: 4 });
  });

  it('reviewApproved records the approval under the cycle reference', () => {
    const context = wpContext({ reviewRef: 'review-WP07-cycle1-x' });
    const update = reviewApproved(context, agentOutput({ agent: 'opencode', role: 'review' }));
    expect(update.lastReviewResult).toEqual({
      reviewer: 'opencode',
      verdict: 'approved',
      reference: 'review-WP07-cycle1-x',
    });
    expect(update.review?.runs).toBe(1);
    expect(reviewApproved(wpContext(), agentOutput({ role: 'review' })).lastReviewResult?.reference).toBe('');
  });

  it('reviewRejected keeps the feedback and refers to the feedback of the cycle', () => {
    const verdict = {
      verdict: 'changes_requested' as const,
      feedback: 'split it',
      decidedBy: 'output' as const,
    };
    const update = reviewRejected(
      wpContext({ reviewCycle: 2 }),
      agentOutput({ agent: 'qwen', role: 'review', verdict }),
    );
    expect(update.lastFeedback).toBe('split it');
    expect(update.lastReviewResult?.verdict).toBe('changes_requested');
    expect(update.lastReviewResult?.reviewer).toBe('qwen');
    expect(update.lastReviewResult?.reference).toMatch(/^feedback-WP07-cycle2-[0-9a-f]{8}$/);
    expect(reviewRejected(wpContext(), agentOutput({ role: 'review' })).lastFeedback).toBe('');
  });
});

describe('finish and notes', () => {
  it('finish gives the block reason when blocked, the outcome reason when failed, none when done', () => {
    const context = wpContext({ blockReason: 'b', outcomeReason: 'f' });
    expect(finish(context, 'blocked')).toEqual({ outcome: 'blocked', outcomeReason: 'b' });
    expect(finish(context, 'failed')).toEqual({ outcome: 'failed', outcomeReason: 'f' });
    expect(finish(context, 'done')).toEqual({ outcome: 'done', outcomeReason: null });
  });

  it('notes queue in order and a failed write is counted', () => {
    const queued = enqueueNote(wpContext({ pendingNotes: ['a'] }), 'b');
    expect(queued.pendingNotes).toEqual(['a', 'b']);
    const context = wpContext({ pendingNotes: ['a', 'b'], noteFailures: 1 });
    expect(dropWrittenNote(context, true)).toEqual({ pendingNotes: ['b'], noteFailures: 2 });
    expect(dropWrittenNote(context, false)).toEqual({ pendingNotes: ['b'], noteFailures: 1 });
  });
});
