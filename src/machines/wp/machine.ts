/**
 * wpMachine: drives one work package through the host lanes. Two parallel regions:
 * `flow` (the lanes, with orchestration steps as substates) and `notes` (history notes written
 * one at a time beside the flow, so they never sit on the critical path and never fail the WP).
 */
import { buildOutput, initialContext } from './context.js';
import { inProgressState } from './implementation-states.js';
import * as inputs from './inputs.js';
import { RESUME_TARGETS } from './restore-steps.js';
import { forReviewState, inReviewState } from './review-states.js';
import { wpSetup } from './setup.js';
import { hostRefused, verifyAfterFailure } from './shared-transitions.js';

export const wpMachine = wpSetup.createMachine({
  id: 'wp',
  type: 'parallel',
  description: 'One work package, driven from the lane it was found in to done, blocked or failed.',
  context: ({ input }) => initialContext(input),
  output: ({ context }) => buildOutput(context),
  states: {
    flow: {
      description: 'The WP lifecycle: host lanes with orchestration steps as substates.',
      initial: 'routing',
      states: {
        routing: {
          description:
            'Chooses where to start from the host lane (found, or re-read after a failed lane change) and what we already know.',
          always: [
            // Restored (see restore-steps.ts): back to the saved step when it had not taken effect.
            ...RESUME_TARGETS.map((step) => ({
              guard: { type: 'resumeAt' as const, params: { step } },
              target: step,
            })),
            { guard: 'resumeImplementing', target: 'inProgress' },
            { guard: 'foundBeforeReview', target: 'claiming' },
            { guard: 'foundForReview', target: 'forReview.resolvingWorkspace' },
            { guard: 'foundOwnedInReview', target: 'recoveringReview' },
            { guard: 'foundDone', target: 'done' },
            { guard: 'foundBlocked', target: 'blocked' },
            { target: 'failed', actions: 'refuseLane' },
          ],
        },
        claiming: {
          description: 'start-implementation: planned/claimed -> in_progress (a no_op for our own claim).',
          invoke: {
            id: 'claim',
            src: 'hostStartImplementation',
            input: ({ context }) => inputs.startImplementationInput(context),
            onDone: {
              target: 'inProgress',
              actions: [
                {
                  type: 'recordWorkspace',
                  params: ({ event }) => ({
                    data: event.output.data,
                    lane: event.output.data.to_lane,
                    at: event.output.at,
                  }),
                },
                'restartImplementation',
              ],
            },
            onError: verifyAfterFailure,
          },
        },
        inProgress: inProgressState,
        submitting: {
          description: 'transition --to for_review (the host checks the lane commit and subtasks).',
          invoke: {
            id: 'submit',
            src: 'hostTransition',
            input: ({ context }) => inputs.submitInput(context),
            onDone: {
              target: 'forReview',
              actions: {
                type: 'recordLane',
                params: ({ event }) => ({ lane: event.output.data.to_lane, at: event.output.at }),
              },
            },
            onError: verifyAfterFailure,
          },
        },
        recoveringReview: {
          description:
            'Our reviewer died with an earlier run: transition --to for_review --force (recovery).',
          invoke: {
            id: 'recoverReview',
            src: 'hostTransition',
            input: ({ context }) => inputs.recoverReviewInput(context),
            onDone: {
              target: 'forReview.resolvingWorkspace',
              actions: {
                type: 'recordLane',
                params: ({ event }) => ({ lane: event.output.data.to_lane, at: event.output.at }),
              },
            },
            onError: verifyAfterFailure,
          },
        },
        forReview: forReviewState,
        inReview: inReviewState,
        requestingChanges: {
          description:
            'transition --to in_progress with the changes_requested result and feedback reference.',
          invoke: {
            id: 'requestChanges',
            src: 'hostTransition',
            input: ({ context }) => inputs.requestChangesInput(context),
            onDone: {
              target: 'inProgress',
              actions: [
                {
                  type: 'recordLane',
                  params: ({ event }) => ({ lane: event.output.data.to_lane, at: event.output.at }),
                },
                'restartImplementation',
              ],
            },
            onError: verifyAfterFailure,
          },
        },
        completing: {
          description: 'transition --to done with the approved review result and evidence.',
          invoke: {
            id: 'complete',
            src: 'hostTransition',
            input: ({ context }) => inputs.completeInput(context),
            onDone: {
              target: 'done',
              actions: {
                type: 'recordLane',
                params: ({ event }) => ({ lane: event.output.data.to_lane, at: event.output.at }),
              },
            },
            onError: verifyAfterFailure,
          },
        },
        blocking: {
          description:
            'transition --to blocked with a note giving the reason (a review result when leaving in_review).',
          invoke: {
            id: 'block',
            src: 'hostTransition',
            input: ({ context }) => inputs.blockInput(context),
            onDone: {
              target: 'blocked',
              actions: {
                type: 'recordLane',
                params: ({ event }) => ({ lane: event.output.data.to_lane, at: event.output.at }),
              },
            },
            onError: verifyAfterFailure,
          },
        },
        reconciling: {
          description:
            'A lane change failed or seemed to: mission-state says whether it took effect. Moved: re-route from the host lane; unchanged: the WP fails with the error.',
          invoke: {
            id: 'verifyLane',
            src: 'hostWpLane',
            input: ({ context }) => inputs.wpLaneInput(context),
            onDone: [
              {
                guard: {
                  type: 'laneMovedSinceCall',
                  params: ({ event }) => ({ lane: event.output.data.lane }),
                },
                target: 'routing',
                actions: {
                  type: 'adoptHostLane',
                  params: ({ event }) => ({ lane: event.output.data.lane, at: event.output.at }),
                },
              },
              { target: 'failed', actions: 'failWithHeldError' },
            ],
            onError: { target: 'failed', actions: 'failWithHeldError' },
          },
        },
        restoring: {
          description:
            'Restored from a saved run in a step that sends a lane change or runs an agent: mission-state says whether it took effect before the step is done again.',
          invoke: {
            id: 'restoreLane',
            src: 'hostWpLane',
            input: ({ context }) => inputs.wpLaneInput(context),
            onDone: {
              target: 'routing',
              actions: {
                type: 'adoptRestoredLane',
                params: ({ event }) => ({ lane: event.output.data.lane, at: event.output.at }),
              },
            },
            onError: hostRefused,
          },
        },
        done: {
          type: 'final',
          description: 'Lane done: reviewed and approved.',
          entry: [{ type: 'finish', params: { outcome: 'done' } }, 'announceFlowEnded'],
        },
        blocked: {
          type: 'final',
          description: 'Lane blocked: agents exhausted, review cycles exhausted, or a local step failed.',
          entry: [{ type: 'finish', params: { outcome: 'blocked' } }, 'announceFlowEnded'],
        },
        failed: {
          type: 'final',
          description: 'A host call was refused (error kept); the host lane is left as it was.',
          entry: [{ type: 'finish', params: { outcome: 'failed' } }, 'announceFlowEnded'],
        },
      },
    },
    notes: {
      description:
        'Writes queued history notes one at a time, beside the flow; a failed note is only counted.',
      initial: 'idle',
      states: {
        idle: {
          description: 'Nothing being written; starts the next queued note, or ends once the flow has ended.',
          always: [
            { guard: 'flowFinishedAndNotesWritten', target: 'written' },
            { guard: 'hasPendingNotes', target: 'writing' },
          ],
        },
        writing: {
          description: 'append-history with the oldest queued note.',
          invoke: {
            id: 'note',
            src: 'hostAppendHistory',
            input: ({ context }) => inputs.noteInput(context),
            onDone: { target: 'idle', actions: { type: 'dropWrittenNote', params: { failed: false } } },
            onError: { target: 'idle', actions: { type: 'dropWrittenNote', params: { failed: true } } },
          },
        },
        written: { type: 'final', description: 'Every note written (or given up on).' },
      },
    },
  },
});

export type WpMachine = typeof wpMachine;
