/**
 * Persistence of a running wpMachine: snapshot mid-run, JSON round trip, restore into a new actor
 * (as `resume` does after a crash), and the run goes on to the same end. The retry backoff is a
 * deadline in context, so it is honoured after the restore; an agent run in flight re-runs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, type SnapshotFrom, toPromise, waitFor } from 'xstate';
import { createWpHostActors } from '../../src/actors/host-actors.js';
import { waitUntilLogic } from '../../src/machines/shared/wait-until.js';
import { wpMachine } from '../../src/machines/wp/machine.js';
import { failed } from './support/agent-results.js';
import { TEST_CONFIG, wpInput } from './support/run-wp.js';
import {
  type AgentStep,
  type ScriptLog,
  scriptedLocalActors,
  TestClock,
} from './support/scripted-local-actors.js';
import { createSimWorld, type SimWorld } from './support/sim-world.js';

let world: SimWorld;
beforeEach(async () => {
  world = await createSimWorld([{ id: 'WP01', title: 'First' }]);
});
afterEach(() => world.cleanup());

/** Real time here: the restored actor must wait for the real deadline. */
function logic(script: { implementation?: AgentStep[] }, log: ScriptLog) {
  const clock = new TestClock(0, true);
  return wpMachine.provide({
    actors: {
      ...createWpHostActors(world.host),
      ...scriptedLocalActors(script, log, clock),
      waitUntil: waitUntilLogic,
    },
  });
}

function roundTrip(snapshot: unknown): SnapshotFrom<typeof wpMachine> {
  const text = JSON.stringify(snapshot);
  expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(JSON.parse(text))));
  return JSON.parse(text) as SnapshotFrom<typeof wpMachine>;
}

describe('wpMachine persistence', () => {
  it('restored during retryWait, it keeps the original deadline and finishes like an uninterrupted run', async () => {
    const config = { ...TEST_CONFIG, retryBackoffSeconds: 1 };
    const firstLog: ScriptLog = { agentRuns: [], waits: [] };
    const first = createActor(
      logic({ implementation: [{ result: failed('claude-code', 'network') }] }, firstLog),
      {
        input: wpInput(world, 'WP01', { config }),
      },
    );
    first.start();
    await waitFor(first, (s) => s.matches({ flow: { inProgress: 'retryWait' } }));
    const persisted = roundTrip(first.getPersistedSnapshot());
    first.stop(); // the crash: the timer dies with the process
    const deadline = persisted.context.retryDeadline;
    expect(deadline).toBeTypeOf('number');
    expect(persisted.children.backoff).toMatchObject({ src: 'waitUntil' });

    const secondLog: ScriptLog = { agentRuns: [], waits: [] };
    const second = createActor(logic({}, secondLog), { snapshot: persisted, input: wpInput(world, 'WP01') });
    second.start();
    const output = await toPromise(second);
    expect(output).toMatchObject({ outcome: 'done', lane: 'done' });
    const retry = secondLog.agentRuns[0];
    expect(retry).toMatchObject({ role: 'implementation', agent: 'claude-code', attempt: 2 });
    // The retry did not start before the deadline recorded before the crash.
    expect(output.attempts.implementation).toBe(2);
    expect(await world.lanesOf('WP01')).toEqual([
      'claimed',
      'in_progress',
      'for_review',
      'in_review',
      'done',
    ]);
    expect(Date.now()).toBeGreaterThanOrEqual(deadline ?? Number.POSITIVE_INFINITY);
  });

  it('restored during an agent run, the in-flight agent runs again from its persisted input', async () => {
    const firstLog: ScriptLog = { agentRuns: [], waits: [] };
    const first = createActor(logic({ implementation: [{ result: 'hang' }] }, firstLog), {
      input: wpInput(world, 'WP01'),
    });
    first.start();
    await waitFor(first, (s) => s.matches({ flow: { inProgress: 'implementing' } }));
    const persisted = roundTrip(first.getPersistedSnapshot());
    first.stop();
    expect(firstLog.aborted).toEqual(['WP01:implementation']);
    expect(persisted.children.agent).toMatchObject({ src: 'runAgent', snapshot: { status: 'active' } });

    const secondLog: ScriptLog = { agentRuns: [], waits: [] };
    const second = createActor(logic({}, secondLog), { snapshot: persisted, input: wpInput(world, 'WP01') });
    second.start();
    const output = await toPromise(second);
    expect(output.outcome).toBe('done');
    expect(secondLog.agentRuns.map((r) => `${r.role}:${r.agent}#${r.attempt}`)).toEqual([
      'implementation:claude-code#1',
      'review:claude-code#1',
    ]);
    expect(await world.lanesOf('WP01')).toEqual([
      'claimed',
      'in_progress',
      'for_review',
      'in_review',
      'done',
    ]);
  });
});
