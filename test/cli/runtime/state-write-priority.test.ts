import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, type InspectionEvent, setup, toPromise } from 'xstate';
import { writePriorityOf } from '../../../src/cli/runtime/state-write-priority.js';

/** Invokes actors under the wp machine's names, in the order a WP does. */
const flow = setup({
  actors: {
    prepareWorkspace: fromPromise(async () => 'ready'),
    hostTransition: fromPromise(async () => 'for_review'),
    runAgent: fromPromise(async () => 'ok'),
    hostWpLane: fromPromise<string>(async () => {
      throw new Error('read failed');
    }),
  },
}).createMachine({
  initial: 'preparing',
  states: {
    preparing: { invoke: { src: 'prepareWorkspace', onDone: 'moving' } },
    moving: { invoke: { src: 'hostTransition', onDone: 'reading' } },
    reading: { invoke: { src: 'hostWpLane', onError: 'working' } },
    working: { invoke: { src: 'runAgent', onDone: 'done' } },
    done: { type: 'final' },
  },
});

function srcOf(event: InspectionEvent): string {
  const src = (event.actorRef as { src?: unknown }).src;
  return typeof src === 'string' ? src : '(root)';
}

describe('writePriorityOf', () => {
  it('is prompt when a lane mutation or an agent starts and when a lane mutation ends, else lazy', async () => {
    const seen: string[] = [];
    const actor = createActor(flow, {
      inspect: (event) => {
        const priority = writePriorityOf(event);
        if (priority) seen.push(`${priority} ${event.type.slice('@xstate.'.length)} ${srcOf(event)}`);
      },
    });
    actor.start();
    await toPromise(actor);
    expect(seen.filter((line) => line.startsWith('prompt'))).toEqual([
      'prompt actor hostTransition',
      'prompt snapshot hostTransition',
      'prompt actor runAgent',
    ]);
    // Reads, local steps and the machine's own steps are saved lazily; events never schedule.
    expect(seen).toContain('lazy snapshot prepareWorkspace');
    expect(seen).toContain('lazy snapshot hostWpLane');
    expect(seen).toContain('lazy snapshot runAgent');
    expect(seen).toContain('lazy snapshot (root)');
    expect(seen.some((line) => line.includes(' event '))).toBe(false);
  });
});
