/**
 * The hold of an interrupted session: once it begins, no lane change and no history note leaves
 * (even one whose write-ahead was under way), and an agent run never settles (its end must not
 * read as a failure to retry); before it, everything goes through untouched.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createWpHostActors } from '../../src/actors/host-actors.js';
import { createRunHold } from '../../src/actors/process/run-hold.js';
import type { HostApi } from '../../src/host/api.js';

const args = { mission: 'm', wp: 'WP01', actor: 'a', policy: '{}', to: 'for_review' as const };

const tick = () => new Promise((resolve) => setImmediate(resolve));

function recordingHost(sent: string[]): HostApi {
  return {
    transition: () => {
      sent.push('transition');
      return Promise.resolve({ from_lane: 'in_progress', to_lane: 'for_review' });
    },
    appendHistory: () => {
      sent.push('append-history');
      return Promise.resolve({ history_entry_id: 'h' });
    },
  } as unknown as HostApi;
}

describe('the run hold', () => {
  it('lets calls through until it begins', async () => {
    const sent: string[] = [];
    const hold = createRunHold();
    const actors = createWpHostActors(recordingHost(sent), () => 1, { hold });
    createActor(actors.hostTransition, { input: args }).start();
    createActor(actors.hostAppendHistory, { input: { ...args, note: 'n' } }).start();
    await tick();
    expect(sent).toEqual(['transition', 'append-history']);
    expect(hold.held).toBe(false);
    expect(hold.agentSignal.aborted).toBe(false);
  });

  it('once begun, sends no lane change or note, not even one whose write-ahead was under way', async () => {
    const sent: string[] = [];
    const hold = createRunHold();
    let release: () => void = () => {};
    const actors = createWpHostActors(recordingHost(sent), () => 1, {
      hold,
      writeAhead: () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    });
    const writing = createActor(actors.hostTransition, { input: args }).start();
    hold.begin();
    release();
    const later = createActor(actors.hostTransition, { input: args }).start();
    const note = createActor(actors.hostAppendHistory, { input: { ...args, note: 'n' } }).start();
    for (let i = 0; i < 5; i += 1) await tick();
    expect(sent).toEqual([]);
    for (const actor of [writing, later, note]) expect(actor.getSnapshot().status).toBe('active');
    expect(hold.agentSignal.aborted).toBe(true);
  });
});
