import { describe, expect, it, vi } from 'vitest';
import type { HostTransport, RawHostResult } from '../../src/host/api.js';
import { type HostCallRecord, HostClient } from '../../src/host/client.js';
import {
  HostArgumentError,
  HostCanceledError,
  HostNoOutputError,
  HostNotJsonError,
  MissionNotFoundError,
} from '../../src/host/errors.js';

const POLICY = '{"orchestrator_id":"o"}';
const MISSION = '001-demo';

function envelope(command: string, data: Record<string, unknown>, errorCode: string | null = null): string {
  return JSON.stringify({
    contract_version: '1.5.0',
    command: `orchestrator-api.${command}`,
    timestamp: '2026-11-25T00:00:00+00:00',
    correlation_id: 'corr-x',
    success: errorCode === null,
    error_code: errorCode,
    data,
  });
}

/** A plausible success answer for any argv (the fake host always agrees). */
function answerFor(args: readonly string[]): string {
  const command = args[0]!;
  const wp = args[args.indexOf('--wp') + 1] ?? 'WP01';
  const to = args.includes('--to') ? args[args.indexOf('--to') + 1] : 'in_progress';
  const byCommand: Record<string, Record<string, unknown>> = {
    'contract-version': { api_version: '1.5.0', min_supported_provider_version: '0.1.0' },
    'mission-state': { mission_slug: MISSION, summary: {}, work_packages: [] },
    'list-ready': { mission_slug: MISSION, ready_work_packages: [] },
    'resolve-workspace': { mission_slug: MISSION, wp_id: wp, workspace_path: '/w', prompt_path: '/p' },
    'start-implementation': {
      mission_slug: MISSION,
      wp_id: wp,
      from_lane: 'planned',
      to_lane: 'in_progress',
      workspace_path: '/w',
      prompt_path: '/p',
      policy_metadata_recorded: true,
      no_op: false,
    },
    transition: {
      mission_slug: MISSION,
      wp_id: wp,
      from_lane: 'in_progress',
      to_lane: to,
      policy_metadata_recorded: true,
    },
    'append-history': { mission_slug: MISSION, wp_id: wp, history_entry_id: 'h-1' },
    'merge-mission': {
      mission_slug: MISSION,
      merged: true,
      target_branch: 'main',
      strategy: 'merge',
      merged_wps: [],
      worktree_removed: false,
    },
  };
  return envelope(command, byCommand[command] ?? {});
}

interface PendingCall {
  args: readonly string[];
  finish(stdout?: string): void;
}

/**
 * An in-memory host whose calls stay in flight until the test finishes them, so overlap is
 * observed directly (who is running at the same time), never inferred from timing.
 */
class ManualTransport implements HostTransport {
  readonly pending: PendingCall[] = [];
  readonly started: string[][] = [];
  running = 0;
  maxRunning = 0;
  readonly runningByWp = new Map<string, number>();
  maxRunningSameWp = 0;

  run(args: readonly string[]): Promise<RawHostResult> {
    this.started.push([...args]);
    const wp = args.includes('--wp') ? args[args.indexOf('--wp') + 1]! : '';
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    this.runningByWp.set(wp, (this.runningByWp.get(wp) ?? 0) + 1);
    if (wp) this.maxRunningSameWp = Math.max(this.maxRunningSameWp, this.runningByWp.get(wp)!);
    return new Promise((resolve) => {
      const call: PendingCall = {
        args,
        finish: (stdout = answerFor(args)) => {
          this.pending.splice(this.pending.indexOf(call), 1);
          this.running -= 1;
          this.runningByWp.set(wp, this.runningByWp.get(wp)! - 1);
          resolve({ stdout, stderr: '', exitCode: 0, durationMs: 1 });
        },
      };
      this.pending.push(call);
    });
  }

  /** Finishes the oldest in-flight call for which `match` holds. */
  finish(match: (args: readonly string[]) => boolean = () => true): void {
    const call = this.pending.find((c) => match(c.args));
    if (!call)
      throw new Error(`no pending call matches; pending: ${JSON.stringify(this.pending.map((c) => c.args))}`);
    call.finish();
  }
}

/** Lets queued promise callbacks and lock hand-offs run (event-loop turns, not wall time). */
async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

const wpIs = (wp: string) => (args: readonly string[]) => args[args.indexOf('--wp') + 1] === wp;

describe('HostClient concurrency', () => {
  it('runs reads concurrently', async () => {
    const transport = new ManualTransport();
    const client = new HostClient(transport);
    const reads = [
      client.missionState({ mission: MISSION }),
      client.listReady({ mission: MISSION }),
      client.resolveWorkspace({ mission: MISSION, wp: 'WP01' }),
    ];
    await settle();
    expect(transport.pending).toHaveLength(3);
    while (transport.pending.length) transport.finish();
    const [state, ready, workspace] = await Promise.all(reads);
    expect(state).toMatchObject({ mission_slug: MISSION });
    expect(ready).toMatchObject({ ready_work_packages: [] });
    expect(workspace).toMatchObject({ wp_id: 'WP01' });
    expect(transport.maxRunning).toBe(3);
  });

  it('never overlaps two mutations on the same WP, and keeps their order', async () => {
    const transport = new ManualTransport();
    const client = new HostClient(transport, { maxConcurrentMutations: 4 });
    const wp = { mission: MISSION, wp: 'WP01', actor: 'orch', policy: POLICY };
    const calls = [
      client.startImplementation(wp),
      client.transition({ ...wp, to: 'for_review' }),
      client.appendHistory({ ...wp, note: 'done' }),
    ];
    for (let step = 0; step < 3; step += 1) {
      await settle();
      expect(transport.pending).toHaveLength(1);
      transport.finish();
    }
    await Promise.all(calls);
    expect(transport.maxRunningSameWp).toBe(1);
    expect(transport.started.map((args) => args[0])).toEqual([
      'start-implementation',
      'transition',
      'append-history',
    ]);
  });

  it('overlaps mutations on different WPs up to maxConcurrentMutations', async () => {
    const transport = new ManualTransport();
    const client = new HostClient(transport, { maxConcurrentMutations: 2 });
    const calls = ['WP01', 'WP02', 'WP03', 'WP04'].map((wp) =>
      client.transition({ mission: MISSION, wp, actor: 'orch', policy: POLICY, to: 'for_review' }),
    );
    await settle();
    expect(transport.pending.map((c) => c.args[4])).toEqual(['WP01', 'WP02']);
    transport.finish(wpIs('WP02'));
    await settle();
    expect(transport.pending.map((c) => c.args[4])).toEqual(['WP01', 'WP03']);
    transport.finish();
    transport.finish();
    await settle();
    transport.finish();
    const results = await Promise.all(calls);
    expect(results.map((r) => r.wp_id)).toEqual(['WP01', 'WP02', 'WP03', 'WP04']);
    expect(transport.maxRunning).toBe(2);
  });

  it('does not let mutations wait on reads, nor reads on mutations', async () => {
    const transport = new ManualTransport();
    const client = new HostClient(transport, { maxConcurrentMutations: 1 });
    const mutation = client.startImplementation({
      mission: MISSION,
      wp: 'WP01',
      actor: 'orch',
      policy: POLICY,
    });
    const read = client.missionState({ mission: MISSION });
    await settle();
    expect(transport.pending).toHaveLength(2);
    transport.finish();
    transport.finish();
    await Promise.all([mutation, read]);
  });

  it("runs a mission's first start-implementation alone (it creates the mission branch), later ones overlap", async () => {
    const transport = new ManualTransport();
    const client = new HostClient(transport, { maxConcurrentMutations: 4 });
    const claim = (wp: string) =>
      client.startImplementation({ mission: MISSION, wp, actor: 'orch', policy: POLICY });
    const first = [claim('WP01'), claim('WP02')];
    await settle();
    expect(transport.pending.map((c) => c.args[4])).toEqual(['WP01']);
    transport.finish();
    await settle();
    expect(transport.pending.map((c) => c.args[4])).toEqual(['WP02']);
    transport.finish();
    await Promise.all(first);
    const later = [claim('WP03'), claim('WP04')];
    await settle();
    expect(transport.pending.map((c) => c.args[4])).toEqual(['WP03', 'WP04']);
    transport.finish();
    transport.finish();
    await Promise.all(later);
  });

  it('runs a mission-level mutation alone, in arrival order', async () => {
    const transport = new ManualTransport();
    const client = new HostClient(transport, { maxConcurrentMutations: 4 });
    const first = client.transition({ mission: MISSION, wp: 'WP01', actor: 'orch', to: 'done' });
    await settle();
    const merge = client.mergeMission({ mission: MISSION, verb: 'merge-mission' });
    const later = client.transition({ mission: MISSION, wp: 'WP02', actor: 'orch', to: 'done' });
    await settle();
    // The merge waits for WP01; WP02 (which arrived after the merge) waits for the merge.
    expect(transport.pending.map((c) => c.args[0])).toEqual(['transition']);
    transport.finish();
    await settle();
    expect(transport.pending.map((c) => c.args[0])).toEqual(['merge-mission']);
    transport.finish();
    await settle();
    expect(transport.pending.map((c) => c.args[4])).toEqual(['WP02']);
    transport.finish();
    await Promise.all([first, merge, later]);
    expect(transport.maxRunning).toBe(1);
  });

  it('mutations of different missions do not wait for each other', async () => {
    const transport = new ManualTransport();
    const client = new HostClient(transport, { maxConcurrentMutations: 4 });
    const merge = client.mergeMission({ mission: 'mission-a', verb: 'merge-mission' });
    const other = client.transition({ mission: 'mission-b', wp: 'WP01', actor: 'orch', to: 'done' });
    await settle();
    expect(transport.pending).toHaveLength(2);
    transport.finish();
    transport.finish();
    await Promise.all([merge, other]);
  });
});

/** A transport that answers from a script, one entry per call. */
function scripted(answers: Array<string | RawHostResult>): HostTransport & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async run(args) {
      calls.push([...args]);
      const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
      return typeof answer === 'string' ? { stdout: answer, stderr: '', exitCode: 0, durationMs: 1 } : answer;
    },
  };
}

const silent: RawHostResult = { stdout: '', stderr: 'Traceback: boom', exitCode: 1, durationMs: 1 };

describe('HostClient retries', () => {
  it('retries a read that failed in transport, then succeeds', async () => {
    const records: HostCallRecord[] = [];
    const transport = scripted([silent, 'not json', answerFor(['mission-state'])]);
    const client = new HostClient(transport, { retryBaseDelayMs: 1, onCall: (call) => records.push(call) });
    const state = await client.missionState({ mission: MISSION });
    expect(state.mission_slug).toBe(MISSION);
    expect(transport.calls).toHaveLength(3);
    expect(records.map((r) => [r.attempt, r.ok, r.errorCode])).toEqual([
      [1, false, 'HOST_NO_OUTPUT'],
      [2, false, 'HOST_NOT_JSON'],
      [3, true, undefined],
    ]);
  });

  it('gives up after readRetries extra attempts with the last error', async () => {
    const transport = scripted(['garbage']);
    const client = new HostClient(transport, { retryBaseDelayMs: 1, readRetries: 2 });
    await expect(client.listReady({ mission: MISSION })).rejects.toBeInstanceOf(HostNotJsonError);
    expect(transport.calls).toHaveLength(3);
  });

  it('never retries a read the host refused', async () => {
    const transport = scripted([envelope('mission-state', { message: 'nope' }, 'MISSION_NOT_FOUND')]);
    const client = new HostClient(transport, { retryBaseDelayMs: 1 });
    await expect(client.missionState({ mission: MISSION })).rejects.toBeInstanceOf(MissionNotFoundError);
    expect(transport.calls).toHaveLength(1);
  });

  it.each([
    [
      'start-implementation',
      (c: HostClient) => c.startImplementation({ mission: MISSION, wp: 'WP01', actor: 'a', policy: POLICY }),
    ],
    ['transition', (c: HostClient) => c.transition({ mission: MISSION, wp: 'WP01', actor: 'a', to: 'done' })],
    ['merge-mission', (c: HostClient) => c.mergeMission({ mission: MISSION, verb: 'merge-mission' })],
  ])('never retries a mutation (%s), even after a transport failure', async (_name, call) => {
    const transport = scripted([silent, answerFor(['transition'])]);
    const client = new HostClient(transport, { retryBaseDelayMs: 1, readRetries: 5 });
    await expect(call(client)).rejects.toBeInstanceOf(HostNoOutputError);
    expect(transport.calls).toHaveLength(1);
  });
});

describe('HostClient calls', () => {
  it('reports every call to onCall, and a throwing hook changes nothing', async () => {
    const records: HostCallRecord[] = [];
    const transport = scripted([answerFor(['transition', '--to', 'done'])]);
    const client = new HostClient(transport, {
      onCall: (call) => {
        records.push(call);
        throw new Error('logger broke');
      },
    });
    const result = await client.transition({ mission: MISSION, wp: 'WP01', actor: 'a', to: 'done' });
    expect(result.to_lane).toBe('done');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      command: 'transition',
      args: ['transition', '--mission', MISSION, '--wp', 'WP01', '--to', 'done', '--actor', 'a'],
      ok: true,
      attempt: 1,
    });
  });

  it('sends a lane change detached and without the caller signal, and lets it finish when asked', async () => {
    const seen: Array<{ command: string; detached: boolean; signal: boolean }> = [];
    let finish: () => void = () => undefined;
    const transport: HostTransport = {
      async run(args, options) {
        seen.push({
          command: args[0] ?? '',
          detached: options?.detached === true,
          signal: options?.signal !== undefined,
        });
        if (args[0] === 'transition') await new Promise<void>((resolve) => (finish = resolve));
        return { stdout: answerFor(args), stderr: '', exitCode: 0, durationMs: 1 };
      },
    };
    const client = new HostClient(transport);
    const controller = new AbortController();
    const move = client.transition(
      { mission: MISSION, wp: 'WP01', actor: 'a', to: 'done' },
      { signal: controller.signal },
    );
    await client.missionState({ mission: MISSION }, { signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.sentInFlight).toBe(1);
    // Aborting (Ctrl-C) does not stop a lane change that was sent.
    controller.abort();
    const settling = client.settleSent(60_000);
    finish();
    expect(await settling).toBe(0);
    expect((await move).to_lane).toBe('done');
    expect([...seen].sort((a, b) => a.command.localeCompare(b.command))).toEqual([
      { command: 'mission-state', detached: false, signal: true },
      { command: 'transition', detached: true, signal: false },
    ]);
    expect(client.sentInFlight).toBe(0);
  });

  it('times the host process in durationMs and the wait for a slot in waitMs', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'setTimeout'] });
    try {
      const records: HostCallRecord[] = [];
      // Each host process takes 250 ms; with one mutation slot the second waits for the first.
      const slow: HostTransport = {
        async run(args) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          return { stdout: answerFor(args), stderr: '', exitCode: 0, durationMs: 250 };
        },
      };
      const client = new HostClient(slow, {
        maxConcurrentMutations: 1,
        onCall: (call) => records.push(call),
      });
      const moves = ['WP01', 'WP02'].map((wp) =>
        client.transition({ mission: MISSION, wp, actor: 'a', to: 'done' }),
      );
      await vi.advanceTimersByTimeAsync(500);
      await Promise.all(moves);
      expect(records.map((call) => [Math.round(call.durationMs), Math.round(call.waitMs)])).toEqual([
        [250, 0],
        [250, 250],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('contractVersion returns camelCase info and sends the provider version', async () => {
    const transport = scripted([answerFor(['contract-version'])]);
    const client = new HostClient(transport, { providerVersion: '0.1.0' });
    expect(await client.contractVersion()).toEqual({
      apiVersion: '1.5.0',
      minSupportedProviderVersion: '0.1.0',
    });
    expect(transport.calls[0]).toEqual(['contract-version', '--provider-version', '0.1.0']);
  });

  it('rejects (never throws synchronously) on invalid arguments, without calling the host', async () => {
    const transport = scripted([answerFor(['transition'])]);
    const client = new HostClient(transport);
    const call = client.transition({ mission: MISSION, wp: 'WP01', actor: 'a', to: 'in_progress' });
    await expect(call).rejects.toBeInstanceOf(HostArgumentError);
    expect(transport.calls).toHaveLength(0);
  });

  it('cancels a call still waiting for its WP lock, and frees the queue behind it', async () => {
    const transport = new ManualTransport();
    const client = new HostClient(transport);
    const wp = { mission: MISSION, wp: 'WP01', actor: 'orch', policy: POLICY };
    const first = client.startImplementation(wp);
    const controller = new AbortController();
    const canceled = client.transition({ ...wp, to: 'for_review' }, { signal: controller.signal });
    const third = client.appendHistory({ ...wp, note: 'n' });
    await settle();
    controller.abort();
    await expect(canceled).rejects.toBeInstanceOf(HostCanceledError);
    transport.finish();
    await settle();
    expect(transport.pending.map((c) => c.args[0])).toEqual(['append-history']);
    transport.finish();
    await Promise.all([first, third]);
    expect(transport.started.map((a) => a[0])).toEqual(['start-implementation', 'append-history']);
  });

  it('does not retry a read whose signal was aborted', async () => {
    const controller = new AbortController();
    const transport: HostTransport & { calls: number } = {
      calls: 0,
      async run() {
        this.calls += 1;
        controller.abort();
        return silent;
      },
    };
    const client = new HostClient(transport, { retryBaseDelayMs: 1 });
    await expect(
      client.missionState({ mission: MISSION }, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(HostNoOutputError);
    expect(transport.calls).toBe(1);
  });
});
