/** Named guards of the wpMachine: pure predicates over context and (via params) actor outputs. */
import type { AgentRole } from '../../agents/types.js';
import { hasNextAgent } from './context.js';
import type { CommitLaneWorkOutput, RunAgentOutput, WpContext } from './types.js';

type Ctx = { context: WpContext };

export const wpGuards = {
  foundBeforeReview: ({ context }: Ctx) =>
    context.entryLane === 'planned' || context.entryLane === 'claimed' || context.entryLane === 'in_progress',
  foundForReview: ({ context }: Ctx) => context.entryLane === 'for_review',
  foundOwnedInReview: ({ context }: Ctx) => context.entryLane === 'in_review' && context.ownedInReview,
  foundDone: ({ context }: Ctx) => context.entryLane === 'done',
  agentSucceeded: (_: Ctx, params: { output: RunAgentOutput }) => params.output.result.success,
  /** A reviewer that crashed, timed out, or gave no verdict failed; it did not reject. */
  reviewerFailed: (_: Ctx, params: { output: RunAgentOutput }) =>
    !params.output.result.success || params.output.result.verdict === undefined,
  verdictApproved: (_: Ctx, params: { output: RunAgentOutput }) =>
    params.output.result.verdict?.verdict === 'approved',
  reviewCyclesExhausted: ({ context }: Ctx) => context.reviewCycle >= context.config.maxReviewCycles,
  producedCommits: (_: Ctx, params: { output: CommitLaneWorkOutput }) => params.output.commitCount > 0,
  /** Same agent again: retries left, and never for auth errors (retrying cannot log anyone in). */
  canRetry: ({ context }: Ctx, params: { role: AgentRole }) => {
    const failure = context.lastFailure;
    if (!failure || failure.kind === 'auth') return false;
    return context[params.role].attempt <= context.config.maxRetries;
  },
  canFallBack: ({ context }: Ctx, params: { role: AgentRole }) => hasNextAgent(context, params.role),
  hasPendingNotes: ({ context }: Ctx) => context.pendingNotes.length > 0,
  /** The notes region may end once the flow is final and every note is written. */
  flowFinishedAndNotesWritten: ({ context }: Ctx) =>
    context.outcome !== null && context.pendingNotes.length === 0,
};
