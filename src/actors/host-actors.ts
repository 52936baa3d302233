/**
 * Binds the machines' host actors to a HostApi (the real client or the simulated host). This is
 * glue, not a side effect of its own: every call goes through the injected HostApi, with the
 * actor's abort signal, and the answer is stamped with the instant it arrived (`at`), which is
 * how the machines learn the time without reading a clock.
 */

import { fromPromise } from 'xstate';
import type { CallOptions, HostApi } from '../host/api.js';
import { isHostError } from '../host/error-base.js';
import type {
  HostAcceptMissionInput,
  HostAcceptMissionOutput,
  HostContractVersionInput,
  HostContractVersionOutput,
  HostMissionStateInput,
  HostMissionStateOutput,
} from '../machines/mission/types.js';
import type { Timed } from '../machines/shared/time.js';
import type {
  HostAppendHistoryInput,
  HostAppendHistoryOutput,
  HostResolveWorkspaceInput,
  HostResolveWorkspaceOutput,
  HostStartImplementationInput,
  HostStartImplementationOutput,
  HostStartReviewInput,
  HostStartReviewOutput,
  HostTransitionInput,
  HostTransitionOutput,
  HostWpLaneInput,
  HostWpLaneOutput,
} from '../machines/wp/types.js';
import type { RunHold } from './process/run-hold.js';

export type Clock = () => number;

/** mission-state did not list the WP we asked about (someone edited the mission under us). */
export class WpNotListedError extends Error {
  readonly code = 'WP_NOT_FOUND';
  constructor(mission: string, wp: string) {
    super(`mission-state of ${mission} does not list ${wp}`);
    this.name = 'WpNotListedError';
  }
}

function timed<TInput, TData>(now: Clock, call: (input: TInput, options: CallOptions) => Promise<TData>) {
  return fromPromise<Timed<TData>, TInput>(async ({ input, signal }) => {
    const data = await call(input, { signal });
    return { data, at: now() };
  });
}

/**
 * Persists the run's intent before a lane mutation is sent (write-ahead): resolves once the run
 * state naming the step that sends it is on disk. Resume trusts that file for what the host
 * cannot tell (whose review an in_review WP is, which step a lane change left from), so a kill
 * at any instant after the call starts must find the step that sent it already saved.
 */
export type WriteAhead = () => Promise<void>;

/**
 * A lane mutation: the intent is saved first, and a run stopped meanwhile sends nothing (the
 * saved step then names a mutation that never left, which the resumed WP checks on the host).
 */
function writtenAhead<TInput, TData>(
  writeAhead: WriteAhead | undefined,
  hold: RunHold | undefined,
  call: (input: TInput, options: CallOptions) => Promise<TData>,
): (input: TInput, options: CallOptions) => Promise<TData> {
  return async (input, options) => {
    if (hold?.held) await hold.gate();
    if (writeAhead) await writeAhead();
    options.signal?.throwIfAborted();
    // Interrupted during the write: the saved step names a change that never left.
    if (hold?.held) await hold.gate();
    return call(input, options);
  };
}

/** A history note: not started once the session is held (an interrupted run sends nothing new). */
function heldBack<TInput, TData>(
  hold: RunHold | undefined,
  call: (input: TInput, options: CallOptions) => Promise<TData>,
): (input: TInput, options: CallOptions) => Promise<TData> {
  return async (input, options) => {
    if (hold?.held) await hold.gate();
    return call(input, options);
  };
}

export interface WpHostActorOptions {
  /**
   * Resume of our own run: an in_progress WP whose worktree holds a killed agent's partial edits
   * makes the host refuse start-implementation (LANE_ALLOCATION_FAILED, measured on 3.2.7) before
   * it looks at the claim. Then the WP is taken as ours, in its existing workspace, so the re-run
   * agent keeps and commits those edits.
   */
  adoptDirtyInProgress?: boolean;
  /** Called before every lane mutation is sent; the call waits for it (see WriteAhead). */
  writeAhead?: WriteAhead;
  /** An interrupted session's hold: no lane change or note is sent once it begins. */
  hold?: RunHold;
}

async function startOrAdopt(
  host: HostApi,
  input: HostStartImplementationInput,
  options: CallOptions,
  adopt: boolean,
): Promise<HostStartImplementationOutput['data']> {
  try {
    return await host.startImplementation(input, options);
  } catch (error) {
    if (!adopt || !isHostError(error) || error.code !== 'LANE_ALLOCATION_FAILED') throw error;
    const state = await host.missionState({ mission: input.mission }, options);
    const lane = state.work_packages.find((wp) => wp.wp_id === input.wp)?.lane;
    if (lane !== 'in_progress') throw error;
    const workspace = await host.resolveWorkspace({ mission: input.mission, wp: input.wp }, options);
    return {
      ...workspace,
      from_lane: 'in_progress',
      to_lane: 'in_progress',
      policy_metadata_recorded: false,
      no_op: true,
    };
  }
}

/** The host actors of wpMachine, by the names the machine invokes. */
export function createWpHostActors(
  host: HostApi,
  now: Clock = Date.now,
  actorOptions: WpHostActorOptions = {},
) {
  const { writeAhead, hold } = actorOptions;
  return {
    hostStartImplementation: timed<HostStartImplementationInput, HostStartImplementationOutput['data']>(
      now,
      writtenAhead(writeAhead, hold, (i, o) =>
        startOrAdopt(host, i, o, actorOptions.adoptDirtyInProgress === true),
      ),
    ),
    hostResolveWorkspace: timed<HostResolveWorkspaceInput, HostResolveWorkspaceOutput['data']>(now, (i, o) =>
      host.resolveWorkspace(i, o),
    ),
    hostTransition: timed<HostTransitionInput, HostTransitionOutput['data']>(
      now,
      writtenAhead(writeAhead, hold, (i, o) => host.transition(i, o)),
    ),
    hostStartReview: timed<HostStartReviewInput, HostStartReviewOutput['data']>(
      now,
      writtenAhead(writeAhead, hold, (i, o) => host.startReview(i, o)),
    ),
    /** A read (retried by the client on transport failures), used to check a failed lane change. */
    hostWpLane: timed<HostWpLaneInput, HostWpLaneOutput['data']>(now, async (i, o) => {
      const state = await host.missionState({ mission: i.mission }, o);
      const wp = state.work_packages.find((candidate) => candidate.wp_id === i.wp);
      if (!wp) throw new WpNotListedError(i.mission, i.wp);
      return { lane: wp.lane };
    }),
    hostAppendHistory: timed<HostAppendHistoryInput, HostAppendHistoryOutput['data']>(
      now,
      heldBack(hold, (i: HostAppendHistoryInput, o) => host.appendHistory(i, o)),
    ),
  };
}

/** The host actors of missionMachine, by the names the machine invokes. */
export function createMissionHostActors(
  host: HostApi,
  now: Clock = Date.now,
  actorOptions: Pick<WpHostActorOptions, 'writeAhead' | 'hold'> = {},
) {
  return {
    hostContractVersion: timed<HostContractVersionInput, HostContractVersionOutput['data']>(now, (_i, o) =>
      host.contractVersion(o),
    ),
    hostMissionState: timed<HostMissionStateInput, HostMissionStateOutput['data']>(now, (i, o) =>
      host.missionState(i, o),
    ),
    hostAcceptMission: timed<HostAcceptMissionInput, HostAcceptMissionOutput['data']>(
      now,
      writtenAhead(actorOptions.writeAhead, actorOptions.hold, (i, o) => host.acceptMission(i, o)),
    ),
  };
}
