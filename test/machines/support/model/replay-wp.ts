/**
 * Replays one wpMachine model path against the live actor: host actors really call the simulated
 * host (through HostClient) when the path says they succeed, and throw the path's error when it
 * says they fail; agents, commits and timers answer as the path says, with real edits and real
 * git commits in the lane worktree so the host's own guards see real work.
 */

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createActor, type Snapshot } from 'xstate';
import type { HostApi } from '../../../../src/host/api.js';
import { makeWpRestoreSafe } from '../../../../src/machines/restore/make-restore-safe.js';
import { flowStep, type PersistedWp } from '../../../../src/machines/restore/persisted-run.js';
import { wpActors } from '../../../../src/machines/wp/actors.js';
import { wpMachine } from '../../../../src/machines/wp/machine.js';
import type { WpInput } from '../../../../src/machines/wp/types.js';
import { GIT_TEST_ENV } from '../../../support/temp-repo.js';
import { CallController, type PendingCall, settle } from './controlled-actors.js';
import type { CoverageRecorder } from './coverage.js';
import type { ModelPath } from './paths.js';
import { serializeWith } from './paths.js';
import { type ModelEvent, TOOK_EFFECT, wpProjection } from './wp-model.js';

/** Every actor the machine invokes by name: all of them are replaced here. */
const ACTOR_NAMES = Object.keys(wpActors) as (keyof typeof wpActors)[];

function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_TEST_ENV },
  }).trim();
}

let edits = 0;
/** The instant a restored actor's host-lane read answers (the model's own clock is fixed too). */
const RESTORED_AT = 1_700_000_000_000;

async function realHostCall(host: HostApi, call: PendingCall): Promise<unknown> {
  const input = call.input as never;
  switch (call.src) {
    case 'hostStartImplementation':
      return host.startImplementation(input);
    case 'hostResolveWorkspace':
      return host.resolveWorkspace(input);
    case 'hostTransition':
      return host.transition(input);
    case 'hostStartReview':
      return host.startReview(input);
    case 'hostAppendHistory':
      return host.appendHistory(input);
    case 'hostWpLane': {
      const { mission, wp } = call.input as { mission: string; wp: string };
      const state = await host.missionState({ mission });
      return { lane: state.work_packages.find((candidate) => candidate.wp_id === wp)?.lane };
    }
    default:
      throw new Error(`not a host actor: ${call.src}`);
  }
}

async function answer(host: HostApi, call: PendingCall, event: ModelEvent): Promise<void> {
  if (event.type.startsWith('xstate.error.actor.')) {
    // A lost answer: the call happened on the host, only its reply never arrived.
    if ((event.error as { code?: string }).code === TOOK_EFFECT) await realHostCall(host, call);
    call.reject(event.error);
    return;
  }
  const output = event.output as Record<string, unknown>;
  const input = call.input as Record<string, unknown>;
  if (call.src.startsWith('host')) {
    call.resolve({ data: await realHostCall(host, call), at: output.at });
    return;
  }
  const workspace = String(input.workspacePath ?? '');
  if (call.src === 'runAgent') {
    const result = output.result as { success: boolean };
    if (input.role === 'implementation' && result.success) {
      edits += 1;
      writeFileSync(path.join(workspace, `model-edit-${edits}.txt`), `edit ${edits}\n`);
    }
  }
  if (call.src === 'commitLaneWork' && Number(output.commitCount) > 0) {
    gitIn(workspace, 'add', '-A');
    if (gitIn(workspace, 'diff', '--cached', '--name-only') === '') {
      edits += 1;
      writeFileSync(path.join(workspace, `model-edit-${edits}.txt`), `edit ${edits}\n`);
      gitIn(workspace, 'add', '-A');
    }
    gitIn(workspace, 'commit', '-q', '-m', 'model replay commit');
  }
  if (call.src === 'prepareWorkspace') {
    call.resolve({ ...output, workspacePath: workspace });
    return;
  }
  call.resolve(output);
}

export interface ReplayOptions {
  /** Start from this persisted (and made-safe) snapshot instead of the input. */
  restore?: PersistedWp;
  /**
   * After every step (and before the first): persist the snapshot, stop the actor as a kill
   * would, make the snapshot safe, restore a new actor from it, answer its host-lane read from
   * the host, and require it to be back in the very state it was saved in.
   */
  restoreEveryStep?: boolean;
}

export interface ReplayResult {
  events: ModelEvent[];
  /** Steps at which the actor was killed and restored (restoreEveryStep). */
  restores: number;
  /** Steps at which it could have been (the actor was still active). */
  restorable: number;
}

export async function replayWpPath(
  modelPath: ModelPath,
  input: WpInput,
  host: HostApi,
  coverage: CoverageRecorder,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const controller = new CallController();
  const actors = Object.fromEntries(ACTOR_NAMES.map((name) => [name, controller.logic(name)]));
  const serialize = serializeWith(wpProjection);
  let root: ReturnType<typeof createActor> | undefined;
  const logic = wpMachine.provide({ actors });
  const inspect = coverage.observer(() => root);
  // The entry's own restore leaves its host-lane read to the path; a kill's restore answers it here.
  const start = async (snapshot: PersistedWp | undefined, answerRead = true) => {
    const actor = snapshot
      ? createActor(logic, { input, snapshot: snapshot as unknown as Snapshot<unknown>, inspect })
      : createActor(logic, { input, inspect });
    root = actor;
    actor.start();
    if (snapshot) coverage.recordRestored(actor.getSnapshot());
    else coverage.recordInitial(wpMachine, actor.getSnapshot());
    if (snapshot && answerRead && flowStep(snapshot.value) === 'restoring') {
      const read = await controller.take('restoreLane');
      read.resolve({ data: await realHostCall(host, read), at: RESTORED_AT });
      await settle();
    }
    return actor;
  };
  let actor = await start(options.restore, false);
  const events: ModelEvent[] = [];
  let restores = 0;
  let restorable = 0;
  const killAndRestore = async (where: string) => {
    const before = actor.getSnapshot();
    if (before.status !== 'active') return;
    restorable += 1;
    const saved = JSON.parse(JSON.stringify(actor.getPersistedSnapshot())) as PersistedWp;
    actor.stop();
    const safe = makeWpRestoreSafe('WP01', saved);
    if (!safe.ok) throw new Error(`${where}: cannot restore: ${safe.problem}`);
    actor = await start(safe.wp);
    const live = serialize(actor.getSnapshot());
    if (live !== serialize(before)) {
      throw new Error(`${where}: saved in ${serialize(before)}, restored to ${live}`);
    }
    restores += 1;
  };
  try {
    if (options.restoreEveryStep) await killAndRestore('before step 1');
    for (const [index, step] of modelPath.steps.entries()) {
      const event = step.event as ModelEvent;
      const id = event.type.replace(/^xstate\.(done|error)\.actor\./, '');
      const call = await controller.take(id);
      await answer(host, call, event);
      events.push(event);
      await settle();
      const live = serialize(actor.getSnapshot());
      if (live !== step.state) {
        throw new Error(`step ${index + 1} (${event.type}): expected ${step.state}, live actor is ${live}`);
      }
      if (options.restoreEveryStep) await killAndRestore(`after step ${index + 1} (${event.type})`);
    }
  } finally {
    actor.stop();
  }
  return { events, restores, restorable };
}
