/** The for_review and in_review lanes of wpMachine: claim the review, run the reviewer, judge. */
import * as inputs from './inputs.js';
import { wpSetup } from './setup.js';
import { hostRefused, REVIEW, verifyAfterFailure } from './shared-transitions.js';

export const forReviewState = wpSetup.createStateConfig({
  description: 'Lane for_review: waiting for (and claiming) the review.',
  initial: 'claimingReview',
  states: {
    resolvingWorkspace: {
      description: 'Found in for_review: resolve-workspace (read-only) to review without re-implementing.',
      invoke: {
        id: 'resolve',
        src: 'hostResolveWorkspace',
        input: ({ context }) => inputs.resolveWorkspaceInput(context),
        onDone: {
          target: 'preparingReview',
          actions: {
            type: 'recordWorkspace',
            params: ({ event }) => ({ data: event.output.data, lane: null, at: event.output.at }),
          },
        },
        onError: hostRefused,
      },
    },
    preparingReview: {
      description: 'Ensures the worktree exists and reads the WP prompt for the reviewer.',
      meta: { role: 'review' },
      invoke: {
        id: 'prepareReview',
        src: 'prepareWorkspace',
        input: ({ context }) => inputs.prepareInput(context),
        onDone: {
          target: 'claimingReview',
          actions: { type: 'recordPrepared', params: ({ event }) => event.output },
        },
        onError: {
          target: '#wp.flow.blocking',
          actions: {
            type: 'recordLocalFailure',
            params: ({ event }) => ({ step: 'preparing the review workspace', error: event.error }),
          },
        },
      },
    },
    claimingReview: {
      description: 'start-review with a new review reference: for_review -> in_review (cycle n).',
      entry: ['beginReviewCycle', 'emitReviewCycleStarted'],
      invoke: {
        id: 'startReview',
        src: 'hostStartReview',
        input: ({ context }) => inputs.startReviewInput(context),
        onDone: {
          target: '#wp.flow.inReview',
          actions: {
            type: 'recordLane',
            params: ({ event }) => ({ lane: event.output.data.to_lane, at: event.output.at }),
          },
        },
        onError: verifyAfterFailure,
      },
    },
  },
});

export const inReviewState = wpSetup.createStateConfig({
  description: 'Lane in_review: the review agent judges the lane work.',
  meta: { role: 'review' },
  initial: 'summarizing',
  states: {
    summarizing: {
      description: 'Summarizes the lane diff for the review prompt (best effort).',
      invoke: {
        id: 'diffSummary',
        src: 'laneDiffSummary',
        input: ({ context }) => inputs.diffSummaryInput(context),
        onDone: {
          target: 'reviewing',
          actions: { type: 'recordDiffSummary', params: ({ event }) => event.output },
        },
        onError: { target: 'reviewing' },
      },
    },
    reviewing: {
      description: 'The review agent runs; a crash is a failure (retried), a verdict is a decision.',
      entry: [
        { type: 'noteRetryOrFallback', params: REVIEW },
        { type: 'emitAgentStarted', params: REVIEW },
      ],
      invoke: {
        id: 'reviewer',
        src: 'runAgent',
        input: ({ context }) => inputs.runAgentInput(context, 'review'),
        onDone: [
          {
            guard: { type: 'reviewerFailed', params: ({ event }) => ({ output: event.output }) },
            target: 'reviewAttemptFailed',
            actions: [
              { type: 'emitAgentFinished', params: ({ event }) => ({ ...REVIEW, output: event.output }) },
              { type: 'recordAgentFailure', params: ({ event }) => ({ ...REVIEW, output: event.output }) },
            ],
          },
          {
            guard: { type: 'verdictApproved', params: ({ event }) => ({ output: event.output }) },
            target: '#wp.flow.completing',
            actions: [
              { type: 'emitAgentFinished', params: ({ event }) => ({ ...REVIEW, output: event.output }) },
              { type: 'recordApproval', params: ({ event }) => event.output },
              { type: 'emitVerdictRead', params: ({ event }) => ({ output: event.output }) },
            ],
          },
          {
            guard: 'reviewCyclesExhausted',
            target: '#wp.flow.blocking',
            actions: [
              { type: 'emitAgentFinished', params: ({ event }) => ({ ...REVIEW, output: event.output }) },
              { type: 'recordRejection', params: ({ event }) => event.output },
              { type: 'emitVerdictRead', params: ({ event }) => ({ output: event.output }) },
              'blockAfterLastRejection',
            ],
          },
          {
            target: '#wp.flow.requestingChanges',
            actions: [
              { type: 'emitAgentFinished', params: ({ event }) => ({ ...REVIEW, output: event.output }) },
              { type: 'recordRejection', params: ({ event }) => event.output },
              { type: 'emitVerdictRead', params: ({ event }) => ({ output: event.output }) },
            ],
          },
        ],
        onError: {
          target: 'reviewAttemptFailed',
          actions: [
            { type: 'emitAgentCrashed', params: ({ event }) => ({ ...REVIEW, error: event.error }) },
            { type: 'recordAgentCrash', params: ({ event }) => ({ ...REVIEW, error: event.error }) },
          ],
        },
      },
    },
    reviewAttemptFailed: {
      description: 'Decides after a failed review run: retry, fall back to the next reviewer, or block.',
      always: [
        {
          guard: { type: 'canRetry', params: REVIEW },
          target: 'reviewRetryWait',
          actions: ['scheduleRetry', { type: 'emitRetryScheduled', params: REVIEW }],
        },
        {
          guard: { type: 'canFallBack', params: REVIEW },
          target: 'reviewing',
          actions: [
            { type: 'emitFellBack', params: REVIEW },
            { type: 'fallBackToNextAgent', params: REVIEW },
          ],
        },
        { target: '#wp.flow.blocking', actions: { type: 'blockAgentsExhausted', params: REVIEW } },
      ],
    },
    reviewRetryWait: {
      description: 'Backoff before the same reviewer tries again (deadline in context).',
      invoke: {
        id: 'reviewBackoff',
        src: 'waitUntil',
        input: ({ context }) => ({ deadline: context.retryDeadline ?? 0 }),
        onDone: {
          target: 'reviewing',
          actions: { type: 'startNextAttempt', params: ({ event }) => ({ ...REVIEW, at: event.output.at }) },
        },
        onError: {
          target: 'reviewing',
          actions: { type: 'startNextAttempt', params: { ...REVIEW, at: null } },
        },
      },
    },
  },
});
