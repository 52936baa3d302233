/**
 * The wpMachine's routes, run with in-memory actors (fixtures/memory-wp.ts): which host calls each
 * route makes, in which order, with which notes, and how it ends. One case per branch of the
 * statechart: entry lanes, retries and fallbacks, review outcomes, local failures, host faults.
 */
import { describe, expect, it } from 'vitest';
import type { AgentResult } from '../../src/agents/types.js';
import { APPROVE, callWords, reject, runMemoryWp } from './fixtures/memory-wp.js';
import { UNIT_CONFIG } from './fixtures/wp-context.js';

const FAILED: Partial<AgentResult> = {
  success: false,
  exitCode: 1,
  errors: ['boom'],
  failureKind: 'general',
};
const AUTH: Partial<AgentResult> = {
  success: false,
  exitCode: 1,
  errors: ['not logged in'],
  failureKind: 'auth',
};

function hostError(code: string, message = `${code} happened`) {
  return Object.assign(new Error(message), { code });
}

describe('entry lanes', () => {
  it('planned: claim, implement, submit, review, done; no history note of its own', async () => {
    const run = await runMemoryWp({ implementation: [{}], review: [APPROVE] });
    expect(callWords(run)).toEqual([
      'startImplementation',
      'transition:for_review',
      'startReview',
      'transition:done',
    ]);
    expect(run.output).toMatchObject({ outcome: 'done', lane: 'done', reviewCycles: 1 });
    expect(run.output.agents).toEqual({ implementation: ['claude-code'], review: ['opencode'] });
    expect(run.agentRuns.map((r) => r.diffSummary)).toEqual([null, '1 file changed']);
  });

  it('for_review: resolve the workspace and review without implementing', async () => {
    const run = await runMemoryWp({ review: [APPROVE] }, { lane: 'for_review' });
    expect(callWords(run)).toEqual(['resolveWorkspace', 'startReview', 'transition:done']);
    expect(run.agentRuns.map((r) => r.role)).toEqual(['review']);
    expect(run.output.outcome).toBe('done');
  });

  it('in_review owned by us: recover to for_review by force, then review again', async () => {
    const run = await runMemoryWp({ review: [APPROVE] }, { lane: 'in_review', ownedInReview: true });
    expect(callWords(run)).toEqual([
      'transition:for_review',
      'resolveWorkspace',
      'startReview',
      'transition:done',
    ]);
    expect(run.calls[0]?.input.force).toBe(true);
    expect(run.output.outcome).toBe('done');
  });

  it('in_review owned by someone else: left alone, failed without a host call', async () => {
    const run = await runMemoryWp({}, { lane: 'in_review' });
    expect(run.calls.filter((call) => call.name !== 'appendHistory')).toEqual([]);
    expect(run.output).toMatchObject({
      outcome: 'failed',
      lane: 'in_review',
      errorCode: 'LANE_NOT_DRIVEN',
      reason: 'in review by another actor (not claimed by this orchestrator), left alone',
    });
  });

  it('a lane nobody drives (blocked by others, canceled): failed, saying which lane', async () => {
    const blocked = await runMemoryWp({}, { lane: 'blocked' });
    expect(blocked.output).toMatchObject({
      outcome: 'failed',
      reason: 'lane blocked is not driven by this orchestrator, left alone',
      lastError: { code: 'LANE_NOT_DRIVEN', message: 'lane blocked is not driven by this orchestrator' },
    });
  });

  it('done: ends done at once', async () => {
    const run = await runMemoryWp({}, { lane: 'done' });
    expect(run.calls).toEqual([]);
    expect(run.output).toMatchObject({ outcome: 'done', lane: 'done' });
  });

  it('claimed: claims like planned', async () => {
    const run = await runMemoryWp({ implementation: [{}], review: [APPROVE] }, { lane: 'claimed' });
    expect(callWords(run)[0]).toBe('startImplementation');
  });

  it('in_progress without a workspace: claims again', async () => {
    const run = await runMemoryWp({ implementation: [{}], review: [APPROVE] }, { lane: 'in_progress' });
    expect(callWords(run)[0]).toBe('startImplementation');
  });
});

describe('implementation failures', () => {
  it('a general failure retries the same agent after the backoff, with a note saying so', async () => {
    const run = await runMemoryWp({ implementation: [FAILED, {}], review: [APPROVE] });
    expect(
      run.agentRuns.filter((r) => r.role === 'implementation').map((r) => `${r.agent}#${r.attempt}`),
    ).toEqual(['claude-code#1', 'claude-code#2']);
    expect(run.waits).toHaveLength(1);
    const notes = run.calls.filter((call) => call.name === 'appendHistory').map((call) => call.input.note);
    expect(notes).toEqual([
      'Starting implementation with claude-code (attempt 2 of 3). Retry after claude-code attempt 1 failed (general): boom',
    ]);
    expect(run.output).toMatchObject({ outcome: 'done', attempts: { implementation: 2, review: 1 } });
  });

  it('the backoff deadline doubles per failed attempt from the failure instant', async () => {
    const run = await runMemoryWp({ implementation: [FAILED, FAILED, {}], review: [APPROVE] });
    expect(run.waits).toHaveLength(2);
    const [first, second] = run.waits;
    // Deadlines are failure instant + base x 2^(attempt-1). The second failure comes right after
    // the first deadline (a few clock ticks), so the deadlines are 2 x base (+ ticks) apart.
    const base = UNIT_CONFIG.retryBackoffSeconds * 1000;
    expect(second! - first!).toBeGreaterThan(2 * base);
    expect(second! - first!).toBeLessThan(2 * base + 100);
  });

  it('an auth failure falls back to the next agent at once', async () => {
    const run = await runMemoryWp({ implementation: [AUTH, {}], review: [APPROVE] });
    expect(
      run.agentRuns.filter((r) => r.role === 'implementation').map((r) => `${r.agent}#${r.attempt}`),
    ).toEqual(['claude-code#1', 'codex#1']);
    expect(run.waits).toEqual([]);
    expect(run.output.agents.implementation).toEqual(['claude-code', 'codex']);
  });

  it('an agent that would not start counts as a failure and is retried', async () => {
    const run = await runMemoryWp({ implementation: ['throw', {}], review: [APPROVE] });
    expect(run.agentRuns.filter((r) => r.role === 'implementation')).toHaveLength(2);
    expect(run.output.outcome).toBe('done');
  });

  it('a run that committed nothing is retried', async () => {
    const run = await runMemoryWp({ implementation: [{}, {}], commits: [0, 2], review: [APPROVE] });
    expect(run.agentRuns.filter((r) => r.role === 'implementation')).toHaveLength(2);
    const submit = run.calls.find((call) => call.name === 'transition' && call.input.to === 'for_review');
    expect(submit?.input.note).toBe(
      'Implementation by claude-code (attempt 2 of 3) complete (2 commit(s) on lane)',
    );
  });

  it('every agent exhausted: blocked, saying why', async () => {
    const run = await runMemoryWp({ implementation: [AUTH, AUTH, AUTH] });
    expect(callWords(run).filter((word) => word !== 'appendHistory')).toEqual([
      'startImplementation',
      'transition:blocked',
    ]);
    expect(run.output).toMatchObject({
      outcome: 'blocked',
      lane: 'blocked',
      reason: 'All implementation agents exhausted; last: gemini attempt 1 failed (auth): not logged in',
    });
  });
});

describe('local step failures block the WP', () => {
  it.each([
    ['preparing', { failPrepare: true }, 'planned', 'preparing the workspace failed: no worktree'],
    ['committing', { failCommit: true }, 'planned', 'committing lane work failed: commit refused'],
    [
      'preparing the review',
      { failPrepare: true },
      'for_review',
      'preparing the review workspace failed: no worktree',
    ],
  ] as const)('%s', async (_name, fault, lane, reason) => {
    const run = await runMemoryWp({ implementation: [{}], ...fault }, { lane });
    expect(run.output).toMatchObject({ outcome: 'blocked', lane: 'blocked', reason });
    expect(callWords(run).at(-1)).toBe('transition:blocked');
  });
});

describe('review', () => {
  it('a rejection sends the work back with the feedback; the rework is reviewed in a new cycle', async () => {
    const run = await runMemoryWp({
      implementation: [{}, {}],
      review: [reject('split the parser'), APPROVE],
    });
    expect(callWords(run)).toEqual([
      'startImplementation',
      'transition:for_review',
      'startReview',
      'transition:in_progress',
      'transition:for_review',
      'startReview',
      'transition:done',
    ]);
    expect(run.agentRuns.map((r) => `${r.role}:${String(r.feedback)}`)).toEqual([
      'implementation:null',
      'review:null',
      'implementation:split the parser',
      'review:null',
    ]);
    const [first, second] = run.calls.filter((call) => call.name === 'startReview');
    expect(first?.input.reviewRef).toMatch(/^review-WP07-cycle1-/);
    expect(second?.input.reviewRef).toMatch(/^review-WP07-cycle2-/);
    expect(run.output).toMatchObject({ outcome: 'done', reviewCycles: 2 });
  });

  it('the last allowed cycle rejected: blocked with the rejection as review result', async () => {
    const run = await runMemoryWp(
      { implementation: [{}], review: [reject('still wrong')] },
      { config: { ...UNIT_CONFIG, maxReviewCycles: 1 } },
    );
    const block = run.calls.at(-1);
    expect(block?.input).toMatchObject({
      to: 'blocked',
      note: 'Review cycle 1 rejected and max_review_cycles (1) reached. Feedback: still wrong',
      reviewResult: { reviewer: 'opencode', verdict: 'changes_requested' },
    });
    expect(run.output).toMatchObject({ outcome: 'blocked', reviewCycles: 1 });
  });

  it('a reviewer without a verdict is retried (maxRetries 2: three attempts); one that would not start too', async () => {
    const run = await runMemoryWp({ implementation: [{}], review: [{ role: 'review' }, 'throw', APPROVE] });
    expect(run.agentRuns.filter((r) => r.role === 'review').map((r) => `${r.agent}#${r.attempt}`)).toEqual([
      'opencode#1',
      'opencode#2',
      'opencode#3',
    ]);
    expect(run.waits).toHaveLength(2);
    expect(run.output.outcome).toBe('done');
  });

  it('every reviewer exhausted: blocked, leaving in_review with a rejection', async () => {
    const fail: Partial<AgentResult> = { ...AUTH, role: 'review' };
    const run = await runMemoryWp({ implementation: [{}], review: [fail, fail] });
    expect(run.calls.at(-1)?.input).toMatchObject({
      to: 'blocked',
      reviewResult: { reviewer: 'qwen', verdict: 'changes_requested' },
    });
    expect(run.output.reason).toBe(
      'All review agents exhausted; last: qwen attempt 1 failed (auth): not logged in',
    );
  });

  it('a diff that cannot be summarized does not stop the review', async () => {
    const run = await runMemoryWp({ implementation: [{}], review: [APPROVE], failDiff: true });
    expect(run.agentRuns.find((r) => r.role === 'review')?.diffSummary).toBeNull();
    expect(run.output.outcome).toBe('done');
  });
});

describe('host faults', () => {
  it('a refused read fails the WP, keeps the error and notes it', async () => {
    const run = await runMemoryWp(
      {
        review: [APPROVE],
        hostFault: (call) =>
          call.name === 'resolveWorkspace' ? { error: hostError('WP_NOT_FOUND') } : undefined,
      },
      { lane: 'for_review' },
    );
    expect(run.output).toMatchObject({
      outcome: 'failed',
      lane: 'for_review',
      errorCode: 'WP_NOT_FOUND',
      reason: 'host refused: WP_NOT_FOUND: WP_NOT_FOUND happened',
    });
    expect(run.calls.at(-1)).toMatchObject({
      name: 'appendHistory',
      input: { note: 'FAILED: host refused: WP_NOT_FOUND: WP_NOT_FOUND happened' },
    });
  });

  it.each([
    ['claim', 'startImplementation'],
    ['submit', 'transition'],
    ['review claim', 'startReview'],
  ] as const)('a failed %s whose effect landed is recognized and the run goes on', async (_name, failing) => {
    let failed = false;
    const run = await runMemoryWp({
      implementation: [{}],
      review: [APPROVE],
      hostFault: (call) => {
        if (failed || call.name !== failing) return undefined;
        failed = true;
        return { error: hostError('HOST_TIMEOUT'), moved: true };
      },
    });
    expect(callWords(run)).toContain('wpLane');
    expect(run.output).toMatchObject({ outcome: 'done', lane: 'done' });
    expect(run.output.lastError).toBeUndefined();
  });

  it('a failed lane change that did not land fails the WP with its own error after one read', async () => {
    const run = await runMemoryWp({
      implementation: [{}],
      hostFault: (call) => (call.name === 'transition' ? { error: hostError('HOST_TIMEOUT') } : undefined),
    });
    expect(run.calls.filter((call) => call.name === 'wpLane')).toHaveLength(1);
    expect(run.output).toMatchObject({ outcome: 'failed', lane: 'in_progress', errorCode: 'HOST_TIMEOUT' });
  });

  it('a failed review claim that did not land fails the WP: the lane after submit is known', async () => {
    const run = await runMemoryWp({
      implementation: [{}],
      hostFault: (call) => (call.name === 'startReview' ? { error: hostError('HOST_TIMEOUT') } : undefined),
    });
    expect(run.calls.filter((call) => call.name === 'startReview')).toHaveLength(1);
    expect(run.output).toMatchObject({ outcome: 'failed', lane: 'for_review', errorCode: 'HOST_TIMEOUT' });
  });

  it('after recovering our review, a refused read reports the recovered lane', async () => {
    const run = await runMemoryWp(
      {
        hostFault: (call) =>
          call.name === 'resolveWorkspace' ? { error: hostError('WP_NOT_FOUND') } : undefined,
      },
      { lane: 'in_review', ownedInReview: true },
    );
    expect(run.output).toMatchObject({ outcome: 'failed', lane: 'for_review', errorCode: 'WP_NOT_FOUND' });
  });

  it('a failed lane change whose lane cannot be read fails the WP with the held error', async () => {
    const run = await runMemoryWp({
      implementation: [{}],
      failLaneRead: true,
      hostFault: (call) => (call.name === 'transition' ? { error: hostError('HOST_TIMEOUT') } : undefined),
    });
    expect(run.output).toMatchObject({ outcome: 'failed', errorCode: 'HOST_TIMEOUT' });
  });

  it('failed done and block transitions are checked the same way', async () => {
    const done = await runMemoryWp({
      implementation: [{}],
      review: [APPROVE],
      hostFault: (call) => (call.input.to === 'done' ? { error: hostError('HOST_TIMEOUT') } : undefined),
    });
    expect(done.output).toMatchObject({ outcome: 'failed', lane: 'in_review', errorCode: 'HOST_TIMEOUT' });
    const blocked = await runMemoryWp({
      implementation: [{}],
      failCommit: true,
      hostFault: (call) =>
        call.input.to === 'blocked' ? { error: hostError('HOST_TIMEOUT'), moved: true } : undefined,
    });
    expect(blocked.output).toMatchObject({ outcome: 'blocked', lane: 'blocked' });
  });

  it('a failed request-changes is checked too', async () => {
    const run = await runMemoryWp({
      implementation: [{}],
      review: [reject('x')],
      hostFault: (call) =>
        call.input.to === 'in_progress' ? { error: hostError('HOST_TIMEOUT') } : undefined,
    });
    expect(run.output).toMatchObject({ outcome: 'failed', lane: 'in_review', errorCode: 'HOST_TIMEOUT' });
  });

  it('a recovery of our own review that fails is checked too', async () => {
    const run = await runMemoryWp(
      {
        hostFault: (call) => (call.name === 'transition' ? { error: hostError('HOST_TIMEOUT') } : undefined),
      },
      { lane: 'in_review', ownedInReview: true },
    );
    expect(run.output).toMatchObject({ outcome: 'failed', lane: 'in_review', errorCode: 'HOST_TIMEOUT' });
  });

  it('a history note that fails is only counted: the WP still ends done', async () => {
    const run = await runMemoryWp({
      implementation: [FAILED, {}],
      review: [APPROVE],
      hostFault: (call) => (call.name === 'appendHistory' ? { error: hostError('LOCKED') } : undefined),
    });
    expect(run.calls.filter((call) => call.name === 'appendHistory')).toHaveLength(1);
    expect(run.output.outcome).toBe('done');
  });
});
