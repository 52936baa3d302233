/** Named guards of the missionMachine. */
import type { ContractInfo } from '../../host/api.js';
import { contractVersionProblem } from '../../host/contract.js';
import { childWpId, flowEndedWpId } from './context.js';
import { allWpsDone, someWpNotTerminal, wpsToStart } from './scheduling.js';
import type { MissionContext, MissionEvent } from './types.js';

type Args = { context: MissionContext; event: MissionEvent };

/** Consecutive failed safety-net polls tolerated while WP actors keep working. */
export const MAX_POLL_ERRORS = 3;

export const missionGuards = {
  /** The same gate as the CLI's start-up check (host/contract.ts). */
  contractSupported: (_: Args, params: { info: ContractInfo }) =>
    contractVersionProblem(params.info.apiVersion) === null,
  isWpChild: ({ context, event }: Args) => childWpId(context, event.type) !== null,
  isFlowEndOfLiveWp: ({ context, event }: Args) =>
    event.type === 'WP.FLOW_ENDED' && flowEndedWpId(context, event.output) !== null,
  hasWpsToStart: ({ context }: Args) => wpsToStart(context).length > 0,
  hasWpsInFlight: ({ context }: Args) => context.inFlight.length > 0,
  readyToAccept: ({ context }: Args) => allWpsDone(context) && context.config.acceptOnCompletion,
  allWpsDone: ({ context }: Args) => allWpsDone(context),
  /** Before declaring a stall, read mission-state once more: someone may have moved a WP. */
  needsFreshState: ({ context }: Args) => !context.stateFresh,
  someWpNotTerminal: ({ context }: Args) => someWpNotTerminal(context),
  tooManyPollErrors: ({ context }: Args) => context.pollErrors + 1 >= MAX_POLL_ERRORS,
};
