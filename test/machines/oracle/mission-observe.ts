/**
 * Runs the live missionMachine in-process along a model path (host calls, timers and WP actors
 * all answered as the path says) and reads its trace off what it started: the WP actors it
 * spawned and from which lane, its confirming mission-state reads, its accept-mission call, and
 * its output.
 */

import { createActor } from 'xstate';
import type { Lane } from '../../../src/host/lanes.js';
import { missionActors } from '../../../src/machines/mission/actors.js';
import { missionMachine } from '../../../src/machines/mission/machine.js';
import type { MissionEvent, MissionInput, MissionOutput } from '../../../src/machines/mission/types.js';
import type { ModelPath } from '../support/model/paths.js';
import type { ModelEvent } from '../support/model/wp-model.js';
import type { MissionTrace } from './mission-trace.js';
import { flush, RecordingActors } from './recording-actors.js';

/** Every actor the machine invokes by name: all of them are replaced here. */
const ACTOR_NAMES = Object.keys(missionActors) as (keyof typeof missionActors)[];

export async function observeMissionTrace(path: ModelPath, input: MissionInput): Promise<MissionTrace> {
  const recorder = new RecordingActors();
  const actor = createActor(missionMachine.provide({ actors: recorder.provide(ACTOR_NAMES) }), { input });
  // The result is read from the machine's own domain event (what --json and the summary report).
  const ended: MissionOutput[] = [];
  actor.on('mission.ended', (event) => ended.push(event.output));
  actor.start();
  try {
    for (const step of path.steps) {
      const event = step.event as ModelEvent;
      if (event.type === 'ABORT' || event.type === 'WP.FLOW_ENDED') {
        recorder.answersGiven += 1;
        actor.send(event as MissionEvent);
        await flush();
      } else {
        const id = event.type.replace(/^xstate\.(done|error)\.actor\./, '');
        const failed = event.type.startsWith('xstate.error.');
        await recorder.answer(
          id,
          failed ? { ok: false, error: event.error } : { ok: true, output: event.output },
        );
      }
    }
    const snapshot = actor.getSnapshot();
    const output = ended[0];
    const finalOutput = snapshot.status === 'done' ? snapshot.output : undefined;
    if (ended.length > 1 || JSON.stringify(output) !== JSON.stringify(finalOutput)) {
      throw new Error(`mission.ended (${ended.length} emitted) does not tell the machine's output`);
    }
    return {
      starts: recorder.started
        .filter((call) => call.src === 'wp')
        .map((call) => ({
          wp: call.id,
          lane: (call.input as { lane: Lane }).lane,
          afterAnswers: call.afterAnswers,
        })),
      confirmReads: recorder.started.filter((call) => call.id === 'confirmState').length,
      acceptCalled: recorder.started.some((call) => call.src === 'hostAcceptMission'),
      outcome: output?.status ?? 'running',
      stalled: output?.stalledWps?.map((wp) => wp.wpId) ?? [],
      lanes: output ? Object.fromEntries(Object.values(output.wps).map((wp) => [wp.wpId, wp.lane])) : {},
    };
  } finally {
    actor.stop();
  }
}
