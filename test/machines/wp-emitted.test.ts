/** The wpMachine's domain event builders (src/machines/wp/emitted.ts), case by case. */
import { describe, expect, it } from 'vitest';
import {
  agentCrashed,
  agentFinished,
  agentStarted,
  fellBack,
  flowEnded,
  retryScheduled,
  reviewCycleStarted,
  verdictRead,
} from '../../src/machines/wp/emitted.js';
import { agentOutput, wpContext } from './fixtures/wp-context.js';

const failure = {
  role: 'implementation' as const,
  agent: 'codex' as const,
  attempt: 2,
  kind: 'timeout' as const,
  message: 'took too long',
  at: 5_000,
};

describe('wp domain events', () => {
  it('an agent start names the agent in charge, its attempt and the review cycle', () => {
    const context = wpContext({
      implementation: { agentIndex: 1, attempt: 2, agentsTried: [], runs: 0 },
      reviewCycle: 1,
    });
    expect(agentStarted(context, 'implementation')).toEqual({
      type: 'wp.agentStarted',
      wpId: 'WP07',
      role: 'implementation',
      agent: 'codex',
      attempt: 2,
      reviewCycle: 1,
    });
    expect(agentStarted(context, 'review')).toMatchObject({ agent: 'opencode', attempt: 1 });
  });

  it('a finished run reports what the machine judged: success, or the failure kind', () => {
    const context = wpContext();
    const ok = agentFinished(
      context,
      'implementation',
      agentOutput({ usage: { inputTokens: 3 } }, 1_000, 4_500),
    );
    expect(ok).toMatchObject({
      success: true,
      failureKind: null,
      exitCode: 0,
      durationMs: 3_500,
      error: null,
    });
    expect(ok.usage).toEqual({ inputTokens: 3 });
    const bad = agentFinished(
      context,
      'implementation',
      agentOutput({ success: false, exitCode: 7, errors: ['first', 'second'] }),
    );
    expect(bad).toMatchObject({ success: false, failureKind: 'general', exitCode: 7, error: 'first' });
    const timedOut = agentFinished(
      context,
      'implementation',
      agentOutput({ success: false, failureKind: 'timeout' }),
    );
    expect(timedOut.failureKind).toBe('timeout');
  });

  it('a reviewer that exits 0 without a verdict did not succeed (no_output); one with a verdict did', () => {
    const context = wpContext();
    const silent = agentFinished(context, 'review', agentOutput({ role: 'review', agent: 'opencode' }));
    expect(silent).toMatchObject({ success: false, failureKind: 'no_output', agent: 'opencode' });
    const judged = agentFinished(
      context,
      'review',
      agentOutput({ role: 'review', verdict: { verdict: 'approved', feedback: '', decidedBy: 'output' } }),
    );
    expect(judged).toMatchObject({ success: true, failureKind: null });
    // An implementer needs no verdict.
    expect(agentFinished(context, 'implementation', agentOutput()).success).toBe(true);
  });

  it('a crashed run is a failure of the agent in charge, with the error and no process facts', () => {
    const event = agentCrashed(wpContext(), 'review', new Error('spawn EACCES'));
    expect(event).toMatchObject({
      type: 'wp.agentFinished',
      agent: 'opencode',
      success: false,
      failureKind: 'crashed',
      error: 'spawn EACCES',
      exitCode: null,
      durationMs: null,
      usage: null,
      logPath: null,
    });
  });

  it('a retry names the failed attempt, the next one and the deadline; none without a failure', () => {
    expect(
      retryScheduled(wpContext({ lastFailure: failure, retryDeadline: 11_000 }), 'implementation'),
    ).toEqual({
      type: 'wp.retryScheduled',
      wpId: 'WP07',
      role: 'implementation',
      agent: 'codex',
      failedAttempt: 2,
      nextAttempt: 3,
      failureKind: 'timeout',
      message: 'took too long',
      retryAt: 11_000,
    });
    expect(retryScheduled(wpContext(), 'implementation')).toBeNull();
  });

  it('a fallback goes from the agent in charge to the next, null past the end of the list', () => {
    const context = wpContext({
      lastFailure: failure,
      implementation: { agentIndex: 1, attempt: 3, agentsTried: [], runs: 3 },
    });
    expect(fellBack(context, 'implementation')).toEqual({
      type: 'wp.fellBack',
      wpId: 'WP07',
      role: 'implementation',
      fromAgent: 'codex',
      toAgent: 'gemini',
      failureKind: 'timeout',
      message: 'took too long',
    });
    const last = wpContext({ review: { agentIndex: 1, attempt: 1, agentsTried: [], runs: 1 } });
    expect(fellBack(last, 'review')).toMatchObject({ fromAgent: 'qwen', toAgent: null, failureKind: null });
  });

  it('a review cycle names its number, reference and reviewer', () => {
    const context = wpContext({ reviewCycle: 2, reviewRef: 'ref-2' });
    expect(reviewCycleStarted(context)).toEqual({
      type: 'wp.reviewCycleStarted',
      wpId: 'WP07',
      reviewCycle: 2,
      reference: 'ref-2',
      reviewer: 'opencode',
    });
  });

  it('a verdict says how it was decided, and carries feedback only for a rejection', () => {
    const rejectedContext = wpContext({
      reviewCycle: 1,
      lastFeedback: 'add tests',
      lastReviewResult: { reviewer: 'qwen', verdict: 'changes_requested', reference: 'fb-1' },
    });
    const byExit = agentOutput({
      role: 'review',
      verdict: { verdict: 'changes_requested', feedback: 'add tests', decidedBy: 'exit_code' },
    });
    expect(verdictRead(rejectedContext, byExit)).toEqual({
      type: 'wp.verdictRead',
      wpId: 'WP07',
      reviewCycle: 1,
      reviewer: 'qwen',
      verdict: 'changes_requested',
      decidedBy: 'exit_code',
      reference: 'fb-1',
      feedback: 'add tests',
    });
    const approvedContext = wpContext({
      lastFeedback: 'old feedback',
      lastReviewResult: { reviewer: 'qwen', verdict: 'approved', reference: 'r-2' },
    });
    expect(verdictRead(approvedContext, byExit)?.feedback).toBeNull();
    expect(verdictRead(wpContext(), byExit)).toBeNull();
  });

  it('the flow end carries the output the mission folds in', () => {
    const context = wpContext({ outcome: 'blocked', outcomeReason: 'agents exhausted', lane: 'blocked' });
    const event = flowEnded(context);
    expect(event.type).toBe('wp.flowEnded');
    expect(event.output).toMatchObject({
      wpId: 'WP07',
      outcome: 'blocked',
      reason: 'agents exhausted',
      lane: 'blocked',
    });
  });
});
