/** The in_progress lane of wpMachine: prepare, implement (with retries and fallback), commit. */
import * as inputs from './inputs.js';
import { wpSetup } from './setup.js';
import { IMPL } from './shared-transitions.js';

export const inProgressState = wpSetup.createStateConfig({
  description:
    'Lane in_progress: the implementation agent works in the lane worktree, then its work is committed.',
  meta: { role: 'implementation' },
  initial: 'preparing',
  states: {
    preparing: {
      description: 'Ensures the worktree, reads the WP prompt and its subtasks, remembers the lane head.',
      invoke: {
        id: 'prepare',
        src: 'prepareWorkspace',
        input: ({ context }) => inputs.prepareInput(context),
        onDone: {
          target: 'implementing',
          actions: { type: 'recordPrepared', params: ({ event }) => event.output },
        },
        onError: {
          target: '#wp.flow.blocking',
          actions: {
            type: 'recordLocalFailure',
            params: ({ event }) => ({ step: 'preparing the workspace', error: event.error }),
          },
        },
      },
    },
    implementing: {
      description: 'The implementation agent in charge runs (with review feedback when reworking).',
      entry: [
        { type: 'noteRetryOrFallback', params: IMPL },
        { type: 'emitAgentStarted', params: IMPL },
      ],
      invoke: {
        id: 'agent',
        src: 'runAgent',
        input: ({ context }) => inputs.runAgentInput(context, 'implementation'),
        onDone: [
          {
            guard: { type: 'agentSucceeded', params: ({ event }) => ({ output: event.output }) },
            target: 'committing',
            actions: [
              { type: 'emitAgentFinished', params: ({ event }) => ({ ...IMPL, output: event.output }) },
              { type: 'recordAgentRun', params: ({ event }) => ({ ...IMPL, output: event.output }) },
            ],
          },
          {
            target: 'attemptFailed',
            actions: [
              { type: 'emitAgentFinished', params: ({ event }) => ({ ...IMPL, output: event.output }) },
              { type: 'recordAgentFailure', params: ({ event }) => ({ ...IMPL, output: event.output }) },
            ],
          },
        ],
        onError: {
          target: 'attemptFailed',
          actions: [
            { type: 'emitAgentCrashed', params: ({ event }) => ({ ...IMPL, error: event.error }) },
            { type: 'recordAgentCrash', params: ({ event }) => ({ ...IMPL, error: event.error }) },
          ],
        },
      },
    },
    committing: {
      description:
        'Commits the agent edits on the lane branch; no new commit means the run failed (no_output).',
      invoke: {
        id: 'commit',
        src: 'commitLaneWork',
        input: ({ context }) => inputs.commitInput(context),
        onDone: [
          {
            guard: { type: 'producedCommits', params: ({ event }) => ({ output: event.output }) },
            target: '#wp.flow.submitting',
            actions: { type: 'recordCommit', params: ({ event }) => event.output },
          },
          {
            target: 'attemptFailed',
            actions: { type: 'recordNoOutput', params: ({ event }) => event.output },
          },
        ],
        onError: {
          target: '#wp.flow.blocking',
          actions: {
            type: 'recordLocalFailure',
            params: ({ event }) => ({ step: 'committing lane work', error: event.error }),
          },
        },
      },
    },
    attemptFailed: {
      description: 'Decides after a failed run: retry the same agent, fall back to the next, or block.',
      always: [
        {
          guard: { type: 'canRetry', params: IMPL },
          target: 'retryWait',
          actions: ['scheduleRetry', { type: 'emitRetryScheduled', params: IMPL }],
        },
        {
          guard: { type: 'canFallBack', params: IMPL },
          target: 'implementing',
          actions: [
            { type: 'emitFellBack', params: IMPL },
            { type: 'fallBackToNextAgent', params: IMPL },
          ],
        },
        { target: '#wp.flow.blocking', actions: { type: 'blockAgentsExhausted', params: IMPL } },
      ],
    },
    retryWait: {
      description: 'Exponential backoff until the deadline kept in context (survives a restore).',
      invoke: {
        id: 'backoff',
        src: 'waitUntil',
        input: ({ context }) => ({ deadline: context.retryDeadline ?? 0 }),
        onDone: {
          target: 'implementing',
          actions: { type: 'startNextAttempt', params: ({ event }) => ({ ...IMPL, at: event.output.at }) },
        },
        onError: {
          target: 'implementing',
          actions: { type: 'startNextAttempt', params: { ...IMPL, at: null } },
        },
      },
    },
  },
});
