/**
 * A lane change is never blindly retried. When one fails (or seems to: the host process timed out
 * after doing its work), the WP actor reads mission-state: if the lane moved, it carries on from
 * there; if not, the WP fails with the original error. Real simulated host, real git.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { createWpHostActors } from '../../src/actors/host-actors.js';
import type { HostApi, TransitionArgs } from '../../src/host/api.js';
import { HostTimeoutError } from '../../src/host/transport-errors.js';
import { wpMachine } from '../../src/machines/wp/machine.js';
import { TEST_CONFIG, wpInput } from './support/run-wp.js';
import { type ScriptLog, scriptedLocalActors, TestClock } from './support/scripted-local-actors.js';
import { createSimWorld, type SimWorld } from './support/sim-world.js';

let world: SimWorld;
let calls: string[];
beforeEach(async () => {
  calls = [];
  world = await createSimWorld([{ id: 'WP01', title: 'First' }], calls);
});
afterEach(() => world.cleanup());

type Fault = (args: TransitionArgs, real: () => Promise<unknown>) => Promise<unknown>;

/** The world's host, with `transition` to `lane` answered by `fault` the first time. */
function faultyHost(lane: string, fault: Fault): HostApi {
  let faulted = false;
  return new Proxy(world.host, {
    get(target, property, receiver) {
      if (property === 'transition') {
        return (args: TransitionArgs, options?: { signal?: AbortSignal }) => {
          const real = () => target.transition(args, options);
          if (args.to !== lane || faulted) return real();
          faulted = true;
          return fault(args, real);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function run(host: HostApi) {
  const log: ScriptLog = { agentRuns: [], waits: [] };
  const clock = new TestClock();
  const logic = wpMachine.provide({
    actors: { ...createWpHostActors(host, clock.now), ...scriptedLocalActors({}, log, clock) },
  });
  const actor = createActor(logic, { input: wpInput(world, 'WP01', { config: TEST_CONFIG }) });
  actor.start();
  return toPromise(actor);
}

describe('wpMachine: failed lane changes', () => {
  it('a transition that took effect but whose answer was lost is recognized, not repeated', async () => {
    const host = faultyHost('for_review', async (_args, real) => {
      await real();
      throw new HostTimeoutError('transition', 1_000);
    });
    const output = await run(host);
    expect(output).toMatchObject({ outcome: 'done', lane: 'done' });
    expect(output.lastError).toBeUndefined();
    // One submit reached the host, and the lane history has no repeat.
    expect(await world.lanesOf('WP01')).toEqual([
      'claimed',
      'in_progress',
      'for_review',
      'in_review',
      'done',
    ]);
    // The check was a read of mission-state right after the failed call.
    const submitAt = calls.indexOf('transition');
    expect(calls[submitAt + 1]).toBe('mission-state');
  });

  it('a transition that did not take effect fails the WP with its own error, after one check', async () => {
    const host = faultyHost('for_review', async () => {
      throw new HostTimeoutError('transition', 1_000);
    });
    const output = await run(host);
    expect(output).toMatchObject({ outcome: 'failed', lane: 'in_progress', errorCode: 'HOST_TIMEOUT' });
    expect(output.reason).toContain('HOST_TIMEOUT');
    expect(calls.filter((call) => call === 'mission-state')).toHaveLength(1);
    expect(await world.lanesOf('WP01')).toEqual(['claimed', 'in_progress']);
  });

  it('a review result that reached the host before the failure ends the WP done', async () => {
    const host = faultyHost('done', async (_args, real) => {
      await real();
      throw new HostTimeoutError('transition', 1_000);
    });
    const output = await run(host);
    expect(output).toMatchObject({ outcome: 'done', lane: 'done' });
    expect(await world.lanesOf('WP01')).toEqual([
      'claimed',
      'in_progress',
      'for_review',
      'in_review',
      'done',
    ]);
  });
});
