/**
 * setup() of the wpMachine: types, named actors, guards and actions. Action bodies are the pure
 * updates in updates.ts; here they are only wrapped in `assign` with typed params.
 */
import { assign, enqueueActions, setup } from 'xstate';
import type { AgentRole } from '../../agents/types.js';
import type { Lane } from '../../host/lanes.js';
import { wpActors } from './actors.js';
import * as emitted from './emitted.js';
import { wpGuards } from './guards.js';
import { retryOrFallbackNote } from './inputs.js';
import { exhaustedReason, feedbackExcerpt } from './notes.js';
import type {
  CommitLaneWorkOutput,
  LaneDiffSummaryOutput,
  PrepareWorkspaceOutput,
  RunAgentOutput,
  WpContext,
  WpInput,
  WpOutcome,
  WpOutput,
} from './types.js';
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
  restoredHostLane,
  reviewApproved,
  reviewRejected,
  scheduleRetry,
  seen,
  workspaceFrom,
} from './updates.js';

type WorkspaceData = Parameters<typeof workspaceFrom>[0];
type Role = { role: AgentRole };

export const wpSetup = setup({
  types: {
    context: {} as WpContext,
    input: {} as WpInput,
    output: {} as WpOutput,
    emitted: {} as emitted.WpEmitted,
  },
  actors: wpActors,
  guards: wpGuards,
  actions: {
    recordLane: assign(({ context }, p: { lane: Lane; at: number }) => laneMoved(context, p.lane, p.at)),
    recordWorkspace: assign(({ context }, p: { data: WorkspaceData; lane: Lane | null; at: number }) => ({
      workspace: workspaceFrom(p.data),
      ...(p.lane === null ? seen(context, p.at) : laneMoved(context, p.lane, p.at)),
    })),
    recordPrepared: assign(({ context }, p: PrepareWorkspaceOutput) => prepared(context, p)),
    recordAgentRun: assign(({ context }, p: Role & { output: RunAgentOutput }) =>
      agentRan(context, p.role, p.output),
    ),
    recordAgentFailure: assign(({ context }, p: Role & { output: RunAgentOutput }) =>
      agentFailed(context, p.role, p.output),
    ),
    recordAgentCrash: assign(({ context }, p: Role & { error: unknown }) =>
      agentCrashed(context, p.role, p.error),
    ),
    recordCommit: assign(({ context }, p: CommitLaneWorkOutput) => committed(context, p)),
    recordNoOutput: assign(({ context }, p: CommitLaneWorkOutput) => producedNothing(context, p)),
    scheduleRetry: assign(({ context }) => scheduleRetry(context)),
    startNextAttempt: assign(({ context }, p: Role & { at: number | null }) =>
      nextAttempt(context, p.role, p.at),
    ),
    fallBackToNextAgent: assign(({ context }, p: Role) => fallBack(context, p.role)),
    restartImplementation: assign(({ context }) => restartImplementationPhase(context)),
    beginReviewCycle: assign(({ context }) => beginReviewCycle(context)),
    recordDiffSummary: assign(({ context }, p: LaneDiffSummaryOutput) => ({
      diffSummary: p.summary,
      ...seen(context, p.at),
    })),
    recordApproval: assign(({ context }, p: RunAgentOutput) => reviewApproved(context, p)),
    recordRejection: assign(({ context }, p: RunAgentOutput) => reviewRejected(context, p)),
    blockAfterLastRejection: assign(({ context }) => ({
      blockReason:
        `Review cycle ${context.reviewCycle} rejected and max_review_cycles (${context.config.maxReviewCycles}) ` +
        `reached. Feedback: ${feedbackExcerpt(context.lastFeedback ?? '') || '(none given)'}`,
    })),
    blockAgentsExhausted: assign(({ context }, p: Role) => ({
      blockReason: exhaustedReason(p.role, context.lastFailure),
    })),
    recordLocalFailure: assign((_, p: { step: string; error: unknown }) => localStepFailed(p.step, p.error)),
    /** Keeps the error, and notes it in the WP history (best effort). */
    recordHostFailure: assign(({ context }, p: { error: unknown }) => {
      const update = hostFailed(p.error);
      return { ...update, ...enqueueNote(context, `FAILED: ${update.outcomeReason ?? 'host call refused'}`) };
    }),
    holdHostError: assign((_, p: { error: unknown }) => heldHostError(p.error)),
    /** The held error stands: the lane did not move, so the call really was refused. */
    failWithHeldError: assign(({ context }) => {
      const update = hostFailed(context.lastError ?? { code: 'UNKNOWN', message: 'host call failed' });
      return { ...update, ...enqueueNote(context, `FAILED: ${update.outcomeReason ?? 'host call refused'}`) };
    }),
    adoptHostLane: assign(({ context }, p: { lane: Lane; at: number }) =>
      adoptedHostLane(context, p.lane, p.at),
    ),
    adoptRestoredLane: assign(({ context }, p: { lane: Lane; at: number }) =>
      restoredHostLane(context, p.lane, p.at),
    ),
    refuseLane: assign(({ context }) => ({
      lastError: {
        code: 'LANE_NOT_DRIVEN',
        message: `lane ${context.entryLane} is not driven by this orchestrator`,
      },
      outcomeReason:
        context.entryLane === 'in_review'
          ? 'in review by another actor (not claimed by this orchestrator), left alone'
          : `lane ${context.entryLane} is not driven by this orchestrator, left alone`,
    })),
    finish: assign(({ context }, p: { outcome: WpOutcome }) => finish(context, p.outcome)),
    /**
     * Tells the mission the lane flow is over while history notes may still be queued: the WP
     * stops counting against max_concurrent_wps and its dependents may start, instead of waiting
     * for notes that yield to every lane mutation. A WP actor run alone (tests) has no parent,
     * and its input says so (sendParent without one throws). Emitted either way (wp.flowEnded).
     */
    announceFlowEnded: enqueueActions(({ context, enqueue }) => {
      const event = emitted.flowEnded(context);
      enqueue.emit(event);
      if (context.announceFlowEnd) enqueue.sendParent({ type: 'WP.FLOW_ENDED', output: event.output });
    }),
    // The domain events (emitted.ts). Each runs where its fact is decided, in the order the
    // builders expect: a finished run before it is booked, a fallback before it is applied, a
    // retry, a review cycle and a verdict after they are recorded.
    emitAgentStarted: enqueueActions(({ context, enqueue }, p: Role) => {
      enqueue.emit(emitted.agentStarted(context, p.role));
    }),
    emitAgentFinished: enqueueActions(({ context, enqueue }, p: Role & { output: RunAgentOutput }) => {
      enqueue.emit(emitted.agentFinished(context, p.role, p.output));
    }),
    emitAgentCrashed: enqueueActions(({ context, enqueue }, p: Role & { error: unknown }) => {
      enqueue.emit(emitted.agentCrashed(context, p.role, p.error));
    }),
    emitRetryScheduled: enqueueActions(({ context, enqueue }, p: Role) => {
      const event = emitted.retryScheduled(context, p.role);
      if (event) enqueue.emit(event);
    }),
    emitFellBack: enqueueActions(({ context, enqueue }, p: Role) => {
      enqueue.emit(emitted.fellBack(context, p.role));
    }),
    emitReviewCycleStarted: enqueueActions(({ context, enqueue }) => {
      enqueue.emit(emitted.reviewCycleStarted(context));
    }),
    emitVerdictRead: enqueueActions(({ context, enqueue }, p: { output: RunAgentOutput }) => {
      const event = emitted.verdictRead(context, p.output);
      if (event) enqueue.emit(event);
    }),
    /** Only a retry or a fallback is noted on its own: every other run's note rides on a lane change. */
    noteRetryOrFallback: assign(({ context }, p: Role) => {
      const note = retryOrFallbackNote(context, p.role);
      // A restored actor enters the same attempt again: its note was already queued then.
      if (note === null || note === context.lastStartNote) return {};
      return { ...enqueueNote(context, note), lastStartNote: note };
    }),
    dropWrittenNote: assign(({ context }, p: { failed: boolean }) => dropWrittenNote(context, p.failed)),
  },
});
