/** Named guards of the wpMachine: pure predicates over context and (via params) actor outputs. */
import type { AgentRole } from '../../agents/types.js';
import type { Lane } from '../../host/lanes.js';
import { hasNextAgent } from './context.js';
import type { ResumeTarget } from './restore-steps.js';
import type { CommitLaneWorkOutput, RunAgentOutput, WpContext } from './types.js';

type Ctx = { context: WpContext };

/**
 * Re-routings after failed lane changes one actor may make. Each needs the lane to have moved,
 * so a loop needs someone else moving the WP back and forth; the bound stops even that.
 */
export const MAX_RECONCILES = 3;

export const wpGuards = {
  foundBeforeReview: ({ context }: Ctx) =>
    context.entryLane === 'planned' || context.entryLane === 'claimed' || context.entryLane === 'in_progress',
  foundForReview: ({ context }: Ctx) => context.entryLane === 'for_review',
  foundOwnedInReview: ({ context }: Ctx) => context.entryLane === 'in_review' && context.ownedInReview,
  foundDone: ({ context }: Ctx) => context.entryLane === 'done',
  /** Only after a failed lane change: our blocking call had reached the host after all. */
  foundBlocked: ({ context }: Ctx) => context.entryLane === 'blocked' && context.blockReason !== null,
  /** Restored: the host lane shows the saved step had not taken effect, so it is done again. */
  resumeAt: ({ context }: Ctx, params: { step: ResumeTarget }) => context.resumeStep === params.step,
  /**
   * Our own in_progress WP whose workspace we know (an earlier run, or a lane change that took
   * effect after all): implement again in the same worktree. start-implementation would refuse
   * it, measured: LANE_ALLOCATION_FAILED when the agent left uncommitted edits.
   */
  resumeImplementing: ({ context }: Ctx) => context.entryLane === 'in_progress' && context.workspace !== null,
  /** A failed lane change: the host lane moved since our last successful call, so re-route from it. */
  laneMovedSinceCall: ({ context }: Ctx, params: { lane: Lane }) =>
    params.lane !== context.lane && context.reconciles < MAX_RECONCILES,
  agentSucceeded: (_: Ctx, params: { output: RunAgentOutput }) => params.output.result.success,
  /** A reviewer that crashed, timed out, or gave no verdict failed; it did not reject. */
  reviewerFailed: (_: Ctx, params: { output: RunAgentOutput }) =>
    !params.output.result.success || params.output.result.verdict === undefined,
  verdictApproved: (_: Ctx, params: { output: RunAgentOutput }) =>
    params.output.result.verdict?.verdict === 'approved',
  reviewCyclesExhausted: ({ context }: Ctx) => context.reviewCycle >= context.config.maxReviewCycles,
  producedCommits: (_: Ctx, params: { output: CommitLaneWorkOutput }) => params.output.commitCount > 0,
  /**
   * Same agent again: retries left, and never for auth or setup errors (retrying cannot log
   * anyone in, nor trust a folder).
   */
  canRetry: ({ context }: Ctx, params: { role: AgentRole }) => {
    const failure = context.lastFailure;
    if (!failure || failure.kind === 'auth' || failure.kind === 'setup') return false;
    return context[params.role].attempt <= context.config.maxRetries;
  },
  canFallBack: ({ context }: Ctx, params: { role: AgentRole }) => hasNextAgent(context, params.role),
  hasPendingNotes: ({ context }: Ctx) => context.pendingNotes.length > 0,
  /** The notes region may end once the flow is final and every note is written. */
  flowFinishedAndNotesWritten: ({ context }: Ctx) =>
    context.outcome !== null && context.pendingNotes.length === 0,
};
