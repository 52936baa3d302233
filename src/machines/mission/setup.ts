/** setup() of the missionMachine: types, named actors, guards and actions. */
import { assign, enqueueActions, raise, setup } from 'xstate';
import type { ContractInfo } from '../../host/api.js';
import { contractVersionProblem } from '../../host/contract.js';
import type { MissionState } from '../../host/schemas.js';
import { describeError } from '../shared/error-info.js';
import type { WpOutput } from '../wp/types.js';
import { missionActors } from './actors.js';
import {
  childCrashed,
  childFinished,
  childFlowEnded,
  childWpId,
  missionStateRead,
  summarize,
  wpInputFor,
} from './context.js';
import * as emitted from './emitted.js';
import { missionGuards } from './guards.js';
import { stalledWps, wpsToStart } from './scheduling.js';
import type { MissionContext, MissionEvent, MissionInput, MissionOutput, MissionStatus } from './types.js';

export const missionSetup = setup({
  types: {
    context: {} as MissionContext,
    input: {} as MissionInput,
    output: {} as MissionOutput,
    events: {} as MissionEvent,
    emitted: {} as emitted.MissionEmitted,
  },
  actors: missionActors,
  guards: missionGuards,
  actions: {
    recordContract: assign((_, p: { info: ContractInfo }) => ({ contractVersion: p.info.apiVersion })),
    refuseContract: assign((_, p: { info: ContractInfo }) => {
      const problem = contractVersionProblem(p.info.apiVersion);
      const message = problem
        ? [problem.message, problem.hint].filter(Boolean).join(' ')
        : `the host speaks orchestrator-api ${p.info.apiVersion}`;
      return { contractVersion: p.info.apiVersion, error: { code: 'CONTRACT_VERSION_MISMATCH', message } };
    }),
    recordMissionState: assign(({ context }, p: { state: MissionState; at: number }) =>
      missionStateRead(context, p.state, p.at),
    ),
    recordError: assign((_, p: { error: unknown }) => ({ error: describeError(p.error) })),
    recordPollError: assign(({ context }) => ({
      pollErrors: context.pollErrors + 1,
      // No clock in the error event: push the deadline one interval on from the last one.
      pollDeadline:
        (context.pollDeadline ?? context.lastSeenAt ?? 0) + context.config.pollIntervalSeconds * 1000,
    })),
    startWps: enqueueActions(({ context, enqueue }) => {
      const starting = wpsToStart(context);
      for (const wpId of starting) {
        enqueue.spawnChild('wp', { id: wpId, input: wpInputFor(context, wpId) });
      }
      enqueue.assign({ inFlight: [...context.inFlight, ...starting] });
    }),
    /** Folds a finished child's output into context, then stops it so the snapshot stays small. */
    foldChild: enqueueActions(({ context, event, enqueue }) => {
      const wpId = childWpId(context, event.type);
      if (wpId === null) return;
      if ('output' in event) enqueue.assign(childFinished(context, wpId, event.output as WpOutput));
      else if ('error' in event) {
        const update = childCrashed(context, wpId, event.error);
        enqueue.assign(update);
        const crashed = emitted.wpCrashed({ ...context, ...update }, wpId);
        if (crashed) enqueue.emit(crashed);
      }
      enqueue.stopChild(wpId);
    }),
    /** Frees the slot of a child that only has notes left to write; its result counts now. */
    recordFlowEnded: assign(({ context, event }) =>
      event.type === 'WP.FLOW_ENDED' ? childFlowEnded(context, event.output) : {},
    ),
    stopAllWps: enqueueActions(({ context, enqueue }) => {
      for (const wpId of context.inFlight) enqueue.stopChild(wpId);
    }),
    /** Wakes the scheduler region after the poller read mission-state. */
    announceRefresh: raise({ type: 'STATE_REFRESHED' as const }),
    recordStall: assign(({ context }) => ({ stalledWps: stalledWps(context) })),
    recordAccepted: assign((_, p: { accepted: boolean }) => ({ accepted: p.accepted })),
    settle: assign(({ context }, p: { status: MissionStatus }) => ({
      status: p.status,
      summary: summarize(context, p.status),
    })),
    /** After settle, in every final state: the run's result as a domain event (mission.ended). */
    emitMissionEnded: enqueueActions(({ context, enqueue }) => {
      enqueue.emit(emitted.missionEnded(context));
    }),
  },
});
