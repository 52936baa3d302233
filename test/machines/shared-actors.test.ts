/**
 * The two actor logics the machines own: the not-provided placeholder and the deadline timer.
 * The timer runs under vitest's fake clock, so no test waits for real time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { notProvided } from '../../src/machines/shared/not-provided.js';
import { waitUntilLogic } from '../../src/machines/shared/wait-until.js';

describe('notProvided', () => {
  it('fails naming the actor and how to provide it', async () => {
    const actor = createActor(notProvided<string, void>('hostThing'));
    const settled = toPromise(actor);
    actor.start();
    await expect(settled).rejects.toMatchObject({
      code: 'ACTOR_NOT_PROVIDED',
      message:
        'not provided: hostThing (give its implementation with machine.provide({ actors: { hostThing } }))',
    });
  });
});

describe('waitUntilLogic', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves at the deadline, not before, with the instant it ended', async () => {
    const actor = createActor(waitUntilLogic, { input: { deadline: 1_005_000 } });
    const done = vi.fn();
    toPromise(actor).then(done);
    actor.start();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(done).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toHaveBeenCalledWith({ at: 1_005_000 });
  });

  it('a deadline already past resolves at once', async () => {
    const actor = createActor(waitUntilLogic, { input: { deadline: 10 } });
    const done = vi.fn();
    toPromise(actor).then(done);
    actor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toHaveBeenCalledWith({ at: 1_000_000 });
  });

  it('stopping the actor clears its timer', async () => {
    const actor = createActor(waitUntilLogic, { input: { deadline: 2_000_000 } });
    actor.start();
    expect(vi.getTimerCount()).toBe(1);
    actor.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
