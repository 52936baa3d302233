/** What the wpMachine hands its actors: host call arguments, agent run inputs and note texts. */
import { describe, expect, it } from 'vitest';
import {
  blockInput,
  commitInput,
  completeInput,
  diffSummaryInput,
  noteInput,
  prepareInput,
  recoverReviewInput,
  requestChangesInput,
  resolveWorkspaceInput,
  retryOrFallbackNote,
  runAgentInput,
  startImplementationInput,
  startReviewInput,
  submitInput,
  wpLaneInput,
} from '../../src/machines/wp/inputs.js';
import type { ReviewResult, WorkspaceInfo } from '../../src/machines/wp/types.js';
import { wpContext } from './fixtures/wp-context.js';

const WORKSPACE: WorkspaceInfo = {
  workspacePath: '/ws',
  promptPath: '/ws/prompt.md',
  laneId: 'lane-a',
  laneBranch: 'kitty/lane-a',
  laneBaseRef: 'main',
};
const REF = { mission: '042-unit', wp: 'WP07', actor: 'orchestrator' };
const POLICY = '{"policy":true}';
const APPROVAL: ReviewResult = {
  reviewer: 'opencode',
  verdict: 'approved',
  reference: 'review-WP07-cycle1-x',
};
const REJECTION: ReviewResult = {
  reviewer: 'qwen',
  verdict: 'changes_requested',
  reference: 'feedback-WP07-cycle1-y',
};

describe('host call inputs', () => {
  it('start-implementation, workspace and lane reads name the WP', () => {
    const context = wpContext();
    expect(startImplementationInput(context)).toEqual({ ...REF, policy: POLICY });
    expect(resolveWorkspaceInput(context)).toEqual({ mission: '042-unit', wp: 'WP07' });
    expect(wpLaneInput(context)).toEqual({ mission: '042-unit', wp: 'WP07' });
  });

  it('start-review carries the cycle reference when there is one', () => {
    expect(startReviewInput(wpContext({ reviewRef: 'r1' }))).toEqual({
      ...REF,
      policy: POLICY,
      reviewRef: 'r1',
    });
    expect(startReviewInput(wpContext()).reviewRef).toBeUndefined();
  });

  it('submit tells the first implementation with its attempt and commits', () => {
    const context = wpContext({
      commits: 2,
      implementation: { agentIndex: 1, attempt: 2, agentsTried: [], runs: 2 },
    });
    expect(submitInput(context)).toEqual({
      ...REF,
      to: 'for_review',
      policy: POLICY,
      note: 'Implementation by codex (attempt 2 of 3) complete (2 commit(s) on lane)',
    });
  });

  it('submit after a review tells the rework', () => {
    expect(submitInput(wpContext({ reviewCycle: 1, commits: 1 })).note).toBe(
      'Rework after review cycle 1 by claude-code (attempt 1 of 3) complete (1 commit(s) on lane)',
    );
  });

  it('recovery forces the WP back to for_review', () => {
    expect(recoverReviewInput(wpContext())).toEqual({
      ...REF,
      to: 'for_review',
      policy: POLICY,
      force: true,
      note: 'recovery: the reviewer of an earlier orchestrator run died; review starts again',
    });
  });

  it('done carries the approval as review result and evidence, without a policy', () => {
    expect(completeInput(wpContext({ reviewCycle: 1, lastReviewResult: APPROVAL }))).toEqual({
      ...REF,
      to: 'done',
      reviewRef: APPROVAL.reference,
      reviewResult: APPROVAL,
      evidence: { review: APPROVAL },
      note: 'Review approved by opencode in cycle 1',
    });
  });

  it('done and request-changes refuse to go without a review result', () => {
    expect(() => completeInput(wpContext())).toThrow('WP07: no review result recorded');
    expect(() => requestChangesInput(wpContext())).toThrow('WP07: no review result recorded');
  });

  it('request-changes sends the work back with a feedback excerpt', () => {
    const context = wpContext({
      reviewCycle: 2,
      lastReviewResult: REJECTION,
      lastFeedback: '  split\n\n the   function ',
    });
    expect(requestChangesInput(context)).toEqual({
      ...REF,
      to: 'in_progress',
      policy: POLICY,
      reviewRef: REJECTION.reference,
      reviewResult: REJECTION,
      note: 'Review cycle 2 rejected by qwen. Feedback: split the function',
    });
    expect(requestChangesInput(wpContext({ lastReviewResult: REJECTION })).note).toBe(
      'Review cycle 0 rejected by qwen. Feedback: (none given)',
    );
  });
});

describe('blockInput', () => {
  it('outside in_review: only the reason', () => {
    expect(blockInput(wpContext({ lane: 'in_progress', blockReason: 'agents exhausted' }))).toEqual({
      ...REF,
      to: 'blocked',
      note: 'agents exhausted',
    });
    expect(blockInput(wpContext({ lane: 'claimed' })).note).toBe('blocked by the orchestrator');
  });

  it('in_review with a rejection on record: that rejection leaves the review', () => {
    const input = blockInput(wpContext({ lane: 'in_review', lastReviewResult: REJECTION, reviewRef: 'r' }));
    expect(input).toMatchObject({ to: 'blocked', reviewRef: REJECTION.reference, reviewResult: REJECTION });
  });

  it('in_review without a rejection: a rejection in the name of the reviewer in charge', () => {
    const input = blockInput(
      wpContext({
        lane: 'in_review',
        lastReviewResult: APPROVAL,
        reviewRef: 'review-WP07-cycle2-z',
        reviewCycle: 2,
      }),
    );
    expect(input.reviewResult).toEqual({
      reviewer: 'opencode',
      verdict: 'changes_requested',
      reference: 'review-WP07-cycle2-z',
    });
    expect(input.reviewRef).toBe('review-WP07-cycle2-z');
    const unnamed = blockInput(wpContext({ lane: 'in_review', reviewCycle: 3 }));
    expect(unnamed.reviewRef).toBe('review-WP07-cycle3');
  });
});

describe('local actor inputs', () => {
  it('need a workspace', () => {
    expect(() => prepareInput(wpContext())).toThrow('WP07: no workspace known yet (host gave none)');
  });

  it('prepare names the workspace and lane', () => {
    expect(prepareInput(wpContext({ workspace: WORKSPACE }))).toEqual({
      repoRoot: '/repo',
      mission: '042-unit',
      wpId: 'WP07',
      workspacePath: '/ws',
      promptPath: '/ws/prompt.md',
      laneBranch: 'kitty/lane-a',
      laneBaseRef: 'main',
    });
  });

  it('an implementer gets subtasks and feedback, no diff', () => {
    const context = wpContext({
      workspace: WORKSPACE,
      promptText: 'the prompt',
      subtaskIds: ['T1'],
      lastFeedback: 'fix',
      diffSummary: 'diff',
      reviewCycle: 1,
      implementation: { agentIndex: 0, attempt: 2, agentsTried: [], runs: 1 },
    });
    expect(runAgentInput(context, 'implementation')).toEqual({
      agent: 'claude-code',
      role: 'implementation',
      mission: '042-unit',
      wpId: 'WP07',
      workspacePath: '/ws',
      promptPath: '/ws/prompt.md',
      timeoutSeconds: 60,
      attempt: 2,
      prompt: {
        wpPromptText: 'the prompt',
        subtaskIds: ['T1'],
        feedback: 'fix',
        diffSummary: null,
        reviewCycle: 1,
      },
      log: { mission: '042-unit', wpId: 'WP07', role: 'implementation', attempt: 2, reviewCycle: 1 },
    });
  });

  it('a reviewer gets the diff, no subtasks or feedback', () => {
    const context = wpContext({
      workspace: WORKSPACE,
      subtaskIds: ['T1'],
      lastFeedback: 'fix',
      diffSummary: 'diff',
    });
    const input = runAgentInput(context, 'review');
    expect(input.agent).toBe('opencode');
    expect(input.prompt).toEqual({
      wpPromptText: '',
      subtaskIds: [],
      feedback: null,
      diffSummary: 'diff',
      reviewCycle: 0,
    });
  });

  it('commit names the kind of work', () => {
    const context = wpContext({ workspace: WORKSPACE, baseHead: 'abc' });
    expect(commitInput(context)).toEqual({
      workspacePath: '/ws',
      laneBranch: 'kitty/lane-a',
      baseHead: 'abc',
      wpId: 'WP07',
      agent: 'claude-code',
      kind: 'implementation',
    });
    expect(commitInput(wpContext({ workspace: WORKSPACE, reviewCycle: 1 })).kind).toBe('rework');
  });

  it('diff summary names the lane', () => {
    expect(diffSummaryInput(wpContext({ workspace: WORKSPACE }))).toEqual({
      workspacePath: '/ws',
      laneBranch: 'kitty/lane-a',
      laneBaseRef: 'main',
    });
  });

  it('a note input carries the oldest pending note', () => {
    expect(noteInput(wpContext({ pendingNotes: ['first', 'second'] }))).toEqual({ ...REF, note: 'first' });
    expect(noteInput(wpContext()).note).toBe('');
  });
});

describe('retryOrFallbackNote', () => {
  const failure = {
    agent: 'claude-code' as const,
    attempt: 1,
    kind: 'timeout' as const,
    message: 'slow',
    at: 1,
  };

  it('none without a failure of the same role', () => {
    expect(retryOrFallbackNote(wpContext(), 'implementation')).toBeNull();
    expect(
      retryOrFallbackNote(wpContext({ lastFailure: { ...failure, role: 'review' } }), 'implementation'),
    ).toBeNull();
  });

  it('a retry of the same implementer', () => {
    const context = wpContext({
      lastFailure: { ...failure, role: 'implementation' },
      implementation: { agentIndex: 0, attempt: 2, agentsTried: [], runs: 1 },
    });
    expect(retryOrFallbackNote(context, 'implementation')).toBe(
      'Starting implementation with claude-code (attempt 2 of 3). Retry after claude-code attempt 1 failed (timeout): slow',
    );
  });

  it('a fallback during rework', () => {
    const context = wpContext({
      reviewCycle: 1,
      lastFailure: { ...failure, role: 'implementation', kind: 'auth' },
      implementation: { agentIndex: 1, attempt: 1, agentsTried: [], runs: 1 },
    });
    expect(retryOrFallbackNote(context, 'implementation')).toBe(
      'Starting rework after review cycle 1 with codex (attempt 1 of 3). Fallback after claude-code attempt 1 failed (auth): slow',
    );
  });

  it('a reviewer fallback names the cycle', () => {
    const context = wpContext({
      reviewCycle: 2,
      lastFailure: { ...failure, role: 'review', agent: 'opencode' },
      review: { agentIndex: 1, attempt: 1, agentsTried: [], runs: 1 },
    });
    expect(retryOrFallbackNote(context, 'review')).toBe(
      'Starting review cycle 2 with qwen (attempt 1 of 3). Fallback after opencode attempt 1 failed (timeout): slow',
    );
  });
});
