/** The wpMachine's guards as plain predicates: each boundary the machine's routing depends on. */
import { describe, expect, it } from 'vitest';
import type { Lane } from '../../src/host/lanes.js';
import { MAX_RECONCILES, wpGuards } from '../../src/machines/wp/guards.js';
import type { AttemptFailure, WorkspaceInfo } from '../../src/machines/wp/types.js';
import { agentOutput, wpContext } from './fixtures/wp-context.js';

const WORKSPACE: WorkspaceInfo = {
  workspacePath: '/ws',
  promptPath: '/ws/prompt.md',
  laneId: null,
  laneBranch: null,
  laneBaseRef: null,
};

function failure(kind: AttemptFailure['kind'], attempt = 1): AttemptFailure {
  return { role: 'implementation', agent: 'claude-code', attempt, kind, message: 'x', at: 5 };
}

describe('entry guards', () => {
  it.each<[Lane, boolean]>([
    ['planned', true],
    ['claimed', true],
    ['in_progress', true],
    ['for_review', false],
    ['in_review', false],
    ['done', false],
  ])('foundBeforeReview from %s is %s', (entryLane, expected) => {
    expect(wpGuards.foundBeforeReview({ context: wpContext({ entryLane }) })).toBe(expected);
  });

  it('foundForReview, foundDone: only their own lane', () => {
    expect(wpGuards.foundForReview({ context: wpContext({ entryLane: 'for_review' }) })).toBe(true);
    expect(wpGuards.foundForReview({ context: wpContext({ entryLane: 'in_review' }) })).toBe(false);
    expect(wpGuards.foundDone({ context: wpContext({ entryLane: 'done' }) })).toBe(true);
    expect(wpGuards.foundDone({ context: wpContext({ entryLane: 'blocked' }) })).toBe(false);
  });

  it('foundOwnedInReview needs both the lane and ownership', () => {
    const guard = wpGuards.foundOwnedInReview;
    expect(guard({ context: wpContext({ entryLane: 'in_review', ownedInReview: true }) })).toBe(true);
    expect(guard({ context: wpContext({ entryLane: 'in_review', ownedInReview: false }) })).toBe(false);
    expect(guard({ context: wpContext({ entryLane: 'for_review', ownedInReview: true }) })).toBe(false);
  });

  it('foundBlocked needs the blocked lane and our own block reason', () => {
    const guard = wpGuards.foundBlocked;
    expect(guard({ context: wpContext({ entryLane: 'blocked', blockReason: 'why' }) })).toBe(true);
    expect(guard({ context: wpContext({ entryLane: 'blocked', blockReason: null }) })).toBe(false);
    expect(guard({ context: wpContext({ entryLane: 'done', blockReason: 'why' }) })).toBe(false);
  });

  it('resumeAt holds only for the step the restore left in resumeStep', () => {
    const guard = wpGuards.resumeAt;
    const context = wpContext({
      entryLane: 'in_progress' as Lane,
      resumeStep: 'submitting',
      workspace: WORKSPACE,
    });
    expect(guard({ context }, { step: 'submitting' })).toBe(true);
    expect(guard({ context }, { step: 'inProgress.implementing' })).toBe(false);
    expect(guard({ context: wpContext({ resumeStep: null }) }, { step: 'submitting' })).toBe(false);
  });

  it('resumeImplementing needs in_progress and a workspace', () => {
    const guard = wpGuards.resumeImplementing;
    expect(guard({ context: wpContext({ entryLane: 'in_progress', workspace: WORKSPACE }) })).toBe(true);
    expect(guard({ context: wpContext({ entryLane: 'in_progress', workspace: null }) })).toBe(false);
    expect(guard({ context: wpContext({ entryLane: 'claimed', workspace: WORKSPACE }) })).toBe(false);
  });
});

describe('laneMovedSinceCall', () => {
  it('holds while the lane differs and re-routings are left', () => {
    const context = wpContext({ lane: 'claimed', reconciles: MAX_RECONCILES - 1 });
    expect(wpGuards.laneMovedSinceCall({ context }, { lane: 'in_progress' })).toBe(true);
    expect(wpGuards.laneMovedSinceCall({ context }, { lane: 'claimed' })).toBe(false);
  });

  it('stops once the bound of re-routings is reached', () => {
    const context = wpContext({ lane: 'claimed', reconciles: MAX_RECONCILES });
    expect(wpGuards.laneMovedSinceCall({ context }, { lane: 'in_progress' })).toBe(false);
  });
});

describe('agent outcome guards', () => {
  const context = wpContext();

  it('agentSucceeded follows the result', () => {
    expect(wpGuards.agentSucceeded({ context }, { output: agentOutput({ success: true }) })).toBe(true);
    expect(wpGuards.agentSucceeded({ context }, { output: agentOutput({ success: false }) })).toBe(false);
  });

  it('reviewerFailed: a failed run, or a successful run without a verdict', () => {
    const verdict = { verdict: 'approved' as const, feedback: '', decidedBy: 'output' as const };
    expect(wpGuards.reviewerFailed({ context }, { output: agentOutput({ success: true, verdict }) })).toBe(
      false,
    );
    expect(wpGuards.reviewerFailed({ context }, { output: agentOutput({ success: true }) })).toBe(true);
    expect(wpGuards.reviewerFailed({ context }, { output: agentOutput({ success: false, verdict }) })).toBe(
      true,
    );
  });

  it('verdictApproved only for an approval', () => {
    const approved = { verdict: 'approved' as const, feedback: '', decidedBy: 'output' as const };
    const rejected = { ...approved, verdict: 'changes_requested' as const };
    expect(wpGuards.verdictApproved({ context }, { output: agentOutput({ verdict: approved }) })).toBe(true);
    expect(wpGuards.verdictApproved({ context }, { output: agentOutput({ verdict: rejected }) })).toBe(false);
    expect(wpGuards.verdictApproved({ context }, { output: agentOutput({}) })).toBe(false);
  });

  it('producedCommits: at least one commit', () => {
    const output = (commitCount: number) => ({ output: { commitCount, head: null, at: 1 } });
    expect(wpGuards.producedCommits({ context }, output(1))).toBe(true);
    expect(wpGuards.producedCommits({ context }, output(0))).toBe(false);
  });
});

describe('reviewCyclesExhausted', () => {
  it('is reached at the configured number of cycles, not before', () => {
    const max = wpContext().config.maxReviewCycles;
    expect(wpGuards.reviewCyclesExhausted({ context: wpContext({ reviewCycle: max - 1 }) })).toBe(false);
    expect(wpGuards.reviewCyclesExhausted({ context: wpContext({ reviewCycle: max }) })).toBe(true);
  });
});

describe('canRetry', () => {
  const role = { role: 'implementation' as const };

  it('never without a failure, nor after auth or setup failures', () => {
    expect(wpGuards.canRetry({ context: wpContext() }, role)).toBe(false);
    expect(wpGuards.canRetry({ context: wpContext({ lastFailure: failure('auth') }) }, role)).toBe(false);
    expect(wpGuards.canRetry({ context: wpContext({ lastFailure: failure('setup') }) }, role)).toBe(false);
  });

  it('while the attempt is within maxRetries, counting the first run as attempt 1', () => {
    const maxRetries = wpContext().config.maxRetries;
    const at = (attempt: number) =>
      wpContext({
        lastFailure: failure('general', attempt),
        implementation: { agentIndex: 0, attempt, agentsTried: [], runs: attempt },
      });
    expect(wpGuards.canRetry({ context: at(maxRetries) }, role)).toBe(true);
    expect(wpGuards.canRetry({ context: at(maxRetries + 1) }, role)).toBe(false);
  });

  it('reads the attempt of the role asked about', () => {
    const context = wpContext({
      lastFailure: failure('timeout'),
      review: { agentIndex: 0, attempt: 9, agentsTried: [], runs: 9 },
    });
    expect(wpGuards.canRetry({ context }, { role: 'review' })).toBe(false);
    expect(wpGuards.canRetry({ context }, role)).toBe(true);
  });
});

describe('notes guards', () => {
  it('hasPendingNotes', () => {
    expect(wpGuards.hasPendingNotes({ context: wpContext({ pendingNotes: ['n'] }) })).toBe(true);
    expect(wpGuards.hasPendingNotes({ context: wpContext() })).toBe(false);
  });

  it('flowFinishedAndNotesWritten needs an outcome and no pending note', () => {
    const guard = wpGuards.flowFinishedAndNotesWritten;
    expect(guard({ context: wpContext({ outcome: 'done' }) })).toBe(true);
    expect(guard({ context: wpContext({ outcome: 'done', pendingNotes: ['n'] }) })).toBe(false);
    expect(guard({ context: wpContext({ outcome: null }) })).toBe(false);
  });

  it('canFallBack while another agent of the role is configured', () => {
    const at = (agentIndex: number) =>
      wpContext({ implementation: { agentIndex, attempt: 1, agentsTried: [], runs: 0 } });
    expect(wpGuards.canFallBack({ context: at(1) }, { role: 'implementation' })).toBe(true);
    expect(wpGuards.canFallBack({ context: at(2) }, { role: 'implementation' })).toBe(false);
  });
});
