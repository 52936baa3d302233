import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor, fromPromise, toPromise } from 'xstate';
import { assertContractSupported } from '../../src/host/contract.js';
import type { HostAppendHistoryInput, HostAppendHistoryOutput } from '../../src/machines/wp/types.js';
import { failed, succeeded } from './support/agent-results.js';
import { missionInput, missionLogic, runMission } from './support/run-mission.js';
import type { wpLogic as wpLogicOf } from './support/run-wp.js';
import type { ScriptLog } from './support/scripted-local-actors.js';
import { createSimWorld, type SimWorld } from './support/sim-world.js';

let world: SimWorld | undefined;
afterEach(() => world?.cleanup());

const nothing = { result: succeeded('claude-code'), writes: false };

describe('missionMachine with wpMachine children and the simulated host', () => {
  it('starts a dependent WP the moment its dependency is done, without another mission-state read', async () => {
    const calls: string[] = [];
    world = await createSimWorld(
      [
        { id: 'WP01', title: 'First' },
        { id: 'WP02', title: 'Second', dependencies: ['WP01'] },
      ],
      calls,
    );
    const { output, log } = await runMission(world, {});
    expect(output).toMatchObject({ status: 'completed', accepted: true });
    expect(output.wps.WP01?.lane).toBe('done');
    expect(output.wps.WP02?.outcome).toBe('done');
    expect(log.agentRuns.map((r) => `${r.wpId}:${r.role}`)).toEqual([
      'WP01:implementation',
      'WP01:review',
      'WP02:implementation',
      'WP02:review',
    ]);
    // One read at start: readiness of WP02 came from WP01's output, not from polling the host.
    expect(calls.filter((c) => c === 'mission-state')).toHaveLength(1);
    expect(calls).not.toContain('list-ready');
    expect(calls.filter((c) => c === 'accept-mission')).toHaveLength(1);
  });

  it('respects maxConcurrent', async () => {
    world = await createSimWorld([
      { id: 'WP01', title: 'First' },
      { id: 'WP02', title: 'Second' },
    ]);
    const { output, log } = await runMission(world, {}, { maxConcurrent: 1 });
    expect(output.status).toBe('completed');
    expect(log.agentRuns.map((r) => `${r.wpId}:${r.role}`)).toEqual([
      'WP01:implementation',
      'WP01:review',
      'WP02:implementation',
      'WP02:review',
    ]);
  });

  it('frees a slot when a WP ends its lane flow, while its history notes are still being written', async () => {
    world = await createSimWorld([
      { id: 'WP01', title: 'First' },
      { id: 'WP02', title: 'Second', dependencies: ['WP01'] },
    ]);
    let wp02Started: () => void = () => undefined;
    const wp02Starts = new Promise<'started'>((resolve) => {
      wp02Started = () => resolve('started');
    });
    const log: ScriptLog = {
      agentRuns: [],
      waits: [],
      onAgentRun: (run) => {
        if (run.wpId === 'WP02' && run.role === 'implementation') wp02Started();
      },
    };
    // WP01's notes stay unwritten until the test lets them go (a host busy with lane mutations).
    // Its first implementation fails, so it has one: the retry's (every other note rides on a
    // lane change), and the test checks that it was held.
    let releaseNotes: () => void = () => undefined;
    const held: string[] = [];
    const notesHeld = new Promise<void>((resolve) => {
      releaseNotes = resolve;
    });
    const heldNotes = fromPromise<HostAppendHistoryOutput, HostAppendHistoryInput>(async ({ input }) => {
      if (input.wp === 'WP01') {
        held.push(input.note);
        await notesHeld;
      }
      return {
        data: { mission_slug: input.mission, wp_id: input.wp, history_entry_id: 'h1' },
        at: Date.now(),
      };
    });
    const logic = missionLogic(
      world,
      { implementation: [{ result: failed('claude-code', 'network') }] },
      log,
    );
    const wp = logic.implementations.actors.wp as ReturnType<typeof wpLogicOf>;
    const actor = createActor(
      logic.provide({ actors: { wp: wp.provide({ actors: { hostAppendHistory: heldNotes } }) } }),
      { input: missionInput(world, { maxConcurrent: 1, maxRetries: 1 }) },
    );
    actor.start();
    // With one slot, WP02 can only start because WP01's slot was freed at its done lane. Were it
    // held until the notes are written, nothing would happen: the bound only ends that wait.
    let bound: NodeJS.Timeout | undefined;
    const heldForever = new Promise<'still waiting'>((resolve) => {
      bound = setTimeout(() => resolve('still waiting'), 10_000);
    });
    const whileNotesHeld = await Promise.race([wp02Starts, heldForever]);
    clearTimeout(bound);
    releaseNotes();
    const output = await toPromise(actor);
    expect(whileNotesHeld).toBe('started');
    expect(held).toHaveLength(1);
    expect(held[0]).toMatch(/retry/i);
    expect(output).toMatchObject({ status: 'completed', accepted: true });
    expect(output.wps.WP01?.outcome).toBe('done');
    expect(output.wps.WP02?.outcome).toBe('done');
  });

  it('reports a stall naming every stuck WP, its lane and why', async () => {
    world = await createSimWorld([
      { id: 'WP01', title: 'First' },
      { id: 'WP02', title: 'Second', dependencies: ['WP01'] },
    ]);
    const { output } = await runMission(world, { implementation: [nothing] });
    expect(output.status).toBe('stalled');
    expect(output.wps.WP01).toMatchObject({ lane: 'blocked', outcome: 'blocked' });
    expect(output.stalledWps).toEqual([
      { wpId: 'WP02', lane: 'planned', reason: 'waiting for WP01 (blocked)' },
    ]);
  });

  it('ends finished_with_problems when every WP is terminal but not all are done', async () => {
    world = await createSimWorld([{ id: 'WP01', title: 'First' }]);
    const { output } = await runMission(world, { implementation: [nothing] });
    expect(output.status).toBe('finished_with_problems');
    expect(output.summary).toContain('WP01 blocked: All implementation agents exhausted');
    expect(output.accepted).toBeUndefined();
  });

  it('ABORT stops scheduling and every WP actor (agents killed), host lanes left as they are', async () => {
    world = await createSimWorld([
      { id: 'WP01', title: 'First' },
      { id: 'WP02', title: 'Second' },
    ]);
    const log: ScriptLog = { agentRuns: [], waits: [] };
    const actor = createActor(
      missionLogic(world, { implementation: [{ result: 'hang' }, { result: 'hang' }] }, log),
      {
        input: missionInput(world),
      },
    );
    actor.start();
    // The root does not emit when a child changes: poll the script log instead.
    await vi.waitFor(() => expect(log.agentRuns).toHaveLength(2), { timeout: 20_000 });
    actor.send({ type: 'ABORT' });
    const output = await toPromise(actor);
    expect(output.status).toBe('aborted');
    expect(log.aborted?.sort()).toEqual(['WP01:implementation', 'WP02:implementation']);
    expect(await world.lanesOf('WP01')).toEqual(['claimed', 'in_progress']);
  });

  // The CLI's gate (host/contract.ts) and the machine's guard are one rule: a pre-release of
  // 1.3.0 is older than 1.3.0, and a new major may change the shapes we rely on.
  it.each([
    ['1.2.0', 'needs >= 1.3.0'],
    ['1.3.0-rc.1', 'needs >= 1.3.0'],
    ['2.0.0', 'only speaks 1.x'],
    ['one-point-three', 'not a semantic version'],
  ])('refuses a host whose contract is %s, as the CLI gate does', async (apiVersion, why) => {
    world = await createSimWorld([{ id: 'WP01', title: 'First' }]);
    const log: ScriptLog = { agentRuns: [], waits: [] };
    const old = fromPromise(async () => ({
      data: { apiVersion, minSupportedProviderVersion: '0.1.0' },
      at: 1,
    }));
    const actor = createActor(missionLogic(world, {}, log, { hostContractVersion: old }), {
      input: missionInput(world),
    });
    actor.start();
    const output = await toPromise(actor);
    expect(output).toMatchObject({ status: 'failed', error: { code: 'CONTRACT_VERSION_MISMATCH' } });
    expect(output.error?.message).toContain(why);
    expect(() => assertContractSupported({ apiVersion, minSupportedProviderVersion: '0.1.0' })).toThrow(why);
    expect(log.agentRuns).toEqual([]);
  });
});
