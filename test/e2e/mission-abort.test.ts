/**
 * ABORT in the middle of a mission, on every host: an implementation agent hangs, the run is
 * aborted, and the mission must end `aborted` with the agent's whole process group gone, the
 * dependent WP never started, and the host lanes left exactly where they were (in_progress).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import {
  assertSimulatedHostBuilt,
  createHostTarget,
  type HostKind,
  type HostTarget,
} from './support/hosts.js';
import { hostLanes, laneSequences, survivors } from './support/inspect.js';
import { type AgentStart, prepareMission } from './support/run-mission.js';
import { ABORT_SCENARIO } from './support/scenarios.js';

const HOSTS: HostKind[] = ['simulated', 'simulated-exec', 'real'];
const REAL_HOST_TIMEOUT_MS = 300_000;

const sequencesByHost = new Map<HostKind, Record<string, string[]>>();

/** Waits for a condition the test cannot be told about (a file another process writes). */
async function eventually(what: string, check: () => boolean, boundMs = 60_000): Promise<void> {
  const giveUpAt = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what}`);
    await sleep(50);
  }
}

describe.each(HOSTS)('ABORT mid-run on the %s host', (kind) => {
  let target: HostTarget;

  beforeAll(() => {
    if (kind !== 'real') assertSimulatedHostBuilt();
    target = createHostTarget(kind);
  });

  afterAll(() => target?.cleanup());

  it(
    'kills the hanging agent group, ends aborted, and leaves the host lanes as they were',
    async () => {
      let agentStarted: (start: AgentStart) => void = () => {};
      const firstAgent = new Promise<AgentStart>((resolve) => {
        agentStarted = resolve;
      });
      const world = await prepareMission({
        target,
        mission: ABORT_SCENARIO.mission,
        agents: ABORT_SCENARIO.agents,
        onAgentStart: (start) => agentStarted(start),
      });
      try {
        const actor = world.actor(ABORT_SCENARIO.config);
        actor.start();
        const finished = toPromise(actor);

        const agent = await firstAgent;
        expect(agent).toMatchObject({ wpId: 'WP01', role: 'implementation', agent: 'claude-code' });
        // Abort only once the fake agent itself runs and hangs (not while its launcher starts).
        await eventually('the WP01 agent to hang', () =>
          world.agents.invocations().some((run) => run.wp === 'WP01' && run.action === 'hang'),
        );
        actor.send({ type: 'ABORT', reason: 'e2e: operator pressed Ctrl-C' });
        const output = await finished;

        expect(output.status, JSON.stringify(output, null, 2)).toBe('aborted');
        expect(output.summary).toMatch(/^aborted/);
        // No WP actor finished: WP01 was stopped mid-way, WP02 never started.
        expect(output.wps.WP01?.outcome).toBeUndefined();
        expect(output.wps.WP02?.outcome).toBeUndefined();

        // The agent's whole group is gone (the supervisor's SIGTERM/SIGKILL sweep).
        expect(await survivors([agent.pid, ...world.agents.pids()])).toEqual([]);
        expect(world.agentStarts).toHaveLength(1);
        expect(world.agents.invocations().map((run) => `${run.wp}:${run.role}:${run.action}`)).toEqual([
          'WP01:implementation:hang',
        ]);

        // The host was not told anything after the abort: WP01 stays claimed by us, in progress.
        expect(await hostLanes(world.host, world.slug)).toEqual({ WP01: 'in_progress', WP02: 'planned' });
        const sequences = laneSequences(target.readLaneEvents(world.repo.root, world.slug));
        expect(sequences).toEqual(ABORT_SCENARIO.expectedLaneSequences);
        sequencesByHost.set(kind, sequences);
      } finally {
        world.cleanup();
      }
    },
    REAL_HOST_TIMEOUT_MS,
  );
});

describe('ABORT leaves the same lanes on the simulated and the real host', () => {
  it('records the same lane moves', () => {
    const real = sequencesByHost.get('real');
    if (!real) throw new Error('the real-host abort run must have passed first');
    expect(sequencesByHost.get('simulated')).toEqual(real);
    expect(sequencesByHost.get('simulated-exec')).toEqual(real);
  });
});
