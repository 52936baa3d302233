/**
 * missionMachine: checks the host contract, reads the mission, then runs one wpMachine child per
 * schedulable WP (up to maxConcurrent), re-scheduling the moment a child finishes, with a slow
 * deadline-based poll of mission-state as a safety net for changes made outside.
 */
import { buildMissionOutput, initialMissionContext } from './context.js';
import { missionSetup } from './setup.js';

export const missionMachine = missionSetup.createMachine({
  id: 'mission',
  description: 'One orchestration run of a spec-kitty mission.',
  context: ({ input }) => initialMissionContext(input),
  output: ({ context }) => buildMissionOutput(context),
  initial: 'checkingContract',
  on: {
    ABORT: { target: '.aborted', actions: 'stopAllWps' },
  },
  states: {
    checkingContract: {
      description: 'contract-version: the host must speak orchestrator-api >= 1.3.0.',
      invoke: {
        id: 'contract',
        src: 'hostContractVersion',
        input: () => ({}),
        onDone: [
          {
            guard: { type: 'contractSupported', params: ({ event }) => ({ info: event.output.data }) },
            target: 'recovering',
            actions: { type: 'recordContract', params: ({ event }) => ({ info: event.output.data }) },
          },
          {
            target: 'failed',
            actions: { type: 'refuseContract', params: ({ event }) => ({ info: event.output.data }) },
          },
        ],
        onError: {
          target: 'failed',
          actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) },
        },
      },
    },
    recovering: {
      description:
        'Reads mission-state; WPs left mid-way by an earlier run (and in_review WPs we own) are adopted by their WP actors.',
      invoke: {
        id: 'initialState',
        src: 'hostMissionState',
        input: ({ context }) => ({ mission: context.mission }),
        onDone: {
          target: 'running',
          actions: {
            type: 'recordMissionState',
            params: ({ event }) => ({ state: event.output.data, at: event.output.at }),
          },
        },
        onError: {
          target: 'failed',
          actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) },
        },
      },
    },
    running: {
      description: 'WP actors at work; the scheduler and the safety-net poller run side by side.',
      type: 'parallel',
      states: {
        scheduler: {
          description: 'Starts schedulable WPs and decides what a finished child means.',
          initial: 'deciding',
          on: {
            'xstate.done.actor.*': { guard: 'isWpChild', target: '.deciding', actions: 'foldChild' },
            'xstate.error.actor.*': { guard: 'isWpChild', target: '.deciding', actions: 'foldChild' },
            'WP.FLOW_ENDED': { guard: 'isFlowEndOfLiveWp', target: '.deciding', actions: 'recordFlowEnded' },
            STATE_REFRESHED: { target: '.deciding' },
          },
          states: {
            deciding: {
              description: 'Starts every WP that can run now; ends the run when nothing can move.',
              always: [
                { guard: 'hasWpsToStart', target: 'supervising', actions: 'startWps' },
                { guard: 'hasWpsInFlight', target: 'supervising' },
                { guard: 'readyToAccept', target: '#mission.accepting' },
                { guard: 'allWpsDone', target: '#mission.completed' },
                { guard: 'needsFreshState', target: 'confirming' },
                { guard: 'someWpNotTerminal', target: '#mission.stalled', actions: 'recordStall' },
                { target: '#mission.finishedWithProblems' },
              ],
            },
            supervising: {
              description:
                'WP actors run; a child that ends its lane flow or finishes re-schedules at once (no host round trip).',
            },
            confirming: {
              description: 'Nothing can move: reads mission-state once more before declaring the run over.',
              invoke: {
                id: 'confirmState',
                src: 'hostMissionState',
                input: ({ context }) => ({ mission: context.mission }),
                onDone: {
                  target: 'deciding',
                  actions: {
                    type: 'recordMissionState',
                    params: ({ event }) => ({ state: event.output.data, at: event.output.at }),
                  },
                },
                onError: {
                  target: '#mission.failed',
                  actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) },
                },
              },
            },
          },
        },
        poller: {
          description: 'Safety net: re-reads mission-state every poll interval to notice outside changes.',
          initial: 'waiting',
          states: {
            waiting: {
              description: 'Until the poll deadline kept in context (survives a restore).',
              invoke: {
                id: 'pollTimer',
                src: 'waitUntil',
                input: ({ context }) => ({ deadline: context.pollDeadline ?? 0 }),
                onDone: { target: 'polling' },
              },
            },
            polling: {
              description: 'mission-state; a fresh answer wakes the scheduler.',
              invoke: {
                id: 'poll',
                src: 'hostMissionState',
                input: ({ context }) => ({ mission: context.mission }),
                onDone: {
                  target: 'waiting',
                  actions: [
                    {
                      type: 'recordMissionState',
                      params: ({ event }) => ({ state: event.output.data, at: event.output.at }),
                    },
                    'announceRefresh',
                  ],
                },
                onError: [
                  {
                    guard: 'tooManyPollErrors',
                    target: '#mission.failed',
                    actions: [
                      { type: 'recordError', params: ({ event }) => ({ error: event.error }) },
                      'stopAllWps',
                    ],
                  },
                  { target: 'waiting', actions: 'recordPollError' },
                ],
              },
            },
          },
        },
      },
    },
    accepting: {
      description: 'accept-mission: every WP is done.',
      invoke: {
        id: 'accept',
        src: 'hostAcceptMission',
        input: ({ context }) => ({ mission: context.mission, actor: context.actor }),
        onDone: {
          target: 'completed',
          actions: {
            type: 'recordAccepted',
            params: ({ event }) => ({ accepted: event.output.data.accepted }),
          },
        },
        onError: {
          target: 'failed',
          actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) },
        },
      },
    },
    completed: {
      type: 'final',
      description: 'Every WP is done (and the mission accepted, when asked).',
      entry: [{ type: 'settle', params: { status: 'completed' } }, 'emitMissionEnded'],
    },
    finishedWithProblems: {
      type: 'final',
      description: 'Every WP is terminal, but some ended blocked, failed or canceled.',
      entry: [{ type: 'settle', params: { status: 'finished_with_problems' } }, 'emitMissionEnded'],
    },
    stalled: {
      type: 'final',
      description:
        'No WP can move and none is in flight, yet some are not terminal (each named with its reason).',
      entry: [{ type: 'settle', params: { status: 'stalled' } }, 'emitMissionEnded'],
    },
    failed: {
      type: 'final',
      description: 'The host refused or broke on a mission-level call (error kept).',
      entry: [{ type: 'settle', params: { status: 'failed' } }, 'emitMissionEnded'],
    },
    aborted: {
      type: 'final',
      description:
        'ABORT: scheduling stopped, every WP actor stopped (agents killed), host lanes left as they are.',
      entry: [{ type: 'settle', params: { status: 'aborted' } }, 'emitMissionEnded'],
    },
  },
});

export type MissionMachine = typeof missionMachine;
