/**
 * History notes yield to lane mutations in HostClient: a note never queues ahead of a transition
 * (on its WP or for a mutation slot), never overlaps a mutation of its WP, and still runs as soon
 * as nothing more urgent waits. Order is observed on a manual transport, never inferred from time.
 */
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { HostTransport, RawHostResult } from '../../src/host/api.js';
import { HostClient } from '../../src/host/client.js';
import { HostCanceledError } from '../../src/host/errors.js';

const MISSION = '001-demo';
const POLICY = '{"orchestrator_id":"o"}';

function answer(args: readonly string[]): string {
  const command = args[0] ?? '';
  const wp = args[args.indexOf('--wp') + 1] ?? 'WP01';
  const data: Record<string, unknown> =
    command === 'append-history'
      ? { mission_slug: MISSION, wp_id: wp, history_entry_id: 'h-1' }
      : {
          mission_slug: MISSION,
          wp_id: wp,
          from_lane: 'in_progress',
          to_lane: args[args.indexOf('--to') + 1] ?? 'for_review',
          policy_metadata_recorded: true,
        };
  return JSON.stringify({
    contract_version: '1.5.0',
    command: `orchestrator-api.${command}`,
    timestamp: '2026-11-25T00:00:00+00:00',
    correlation_id: 'c',
    success: true,
    error_code: null,
    data,
  });
}

/** Calls stay in flight until the test finishes them; `started` lists "command WPxx" in order. */
class ManualTransport implements HostTransport {
  readonly started: string[] = [];
  readonly pending: Array<{ label: string; finish: () => void }> = [];

  run(args: readonly string[]): Promise<RawHostResult> {
    const label = `${args[0]} ${args[args.indexOf('--wp') + 1]}`;
    this.started.push(label);
    return new Promise((resolve) => {
      const call = {
        label,
        finish: () => {
          this.pending.splice(this.pending.indexOf(call), 1);
          resolve({ stdout: answer(args), stderr: '', exitCode: 0, durationMs: 1 });
        },
      };
      this.pending.push(call);
    });
  }

  finish(label: string): void {
    const call = this.pending.find((c) => c.label === label);
    if (!call)
      throw new Error(`${label} is not running; running: ${this.pending.map((c) => c.label).join(', ')}`);
    call.finish();
  }

  running(): string[] {
    return this.pending.map((c) => c.label);
  }
}

async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

const wp = (id: string) => ({ mission: MISSION, wp: id, actor: 'orch', policy: POLICY });

describe('HostClient: history notes yield to lane mutations', () => {
  it('lets a later transition take the free mutation slot before an earlier note', async () => {
    const transport = new ManualTransport();
    const client = new HostClient(transport, { maxConcurrentMutations: 1 });
    const busy = client.transition({ ...wp('WP02'), to: 'for_review' });
    await settle();
    const note = client.appendHistory({ ...wp('WP01'), note: 'Starting implementation' });
    const transition = client.transition({ ...wp('WP03'), to: 'for_review' });
    await settle();
    expect(transport.running()).toEqual(['transition WP02']);

    transport.finish('transition WP02');
    await settle();
    expect(transport.running()).toEqual(['transition WP03']);
    transport.finish('transition WP03');
    await settle();
    expect(transport.running()).toEqual(['append-history WP01']);
    transport.finish('append-history WP01');
    await Promise.all([busy, note, transition]);
    expect(transport.started).toEqual(['transition WP02', 'transition WP03', 'append-history WP01']);
  });

  it('never runs a note beside a mutation of its own WP, even with slots free', async () => {
    const transport = new ManualTransport();
    const client = new HostClient(transport, { maxConcurrentMutations: 4, notesYield: true });
    const transition = client.transition({ ...wp('WP01'), to: 'for_review' });
    await settle();
    const note = client.appendHistory({ ...wp('WP01'), note: 'n' });
    const otherNote = client.appendHistory({ ...wp('WP02'), note: 'n' });
    await settle();
    expect(transport.running()).toEqual(['transition WP01', 'append-history WP02']);
    transport.finish('transition WP01');
    await settle();
    expect(transport.running()).toEqual(['append-history WP02', 'append-history WP01']);
    transport.finish('append-history WP01');
    transport.finish('append-history WP02');
    await Promise.all([transition, note, otherNote]);
  });

  it('makes a transition that arrives while its WP note runs wait for that note only', async () => {
    const transport = new ManualTransport();
    const client = new HostClient(transport, { maxConcurrentMutations: 2, notesYield: true });
    const note = client.appendHistory({ ...wp('WP01'), note: 'n' });
    await settle();
    const transition = client.transition({ ...wp('WP01'), to: 'for_review' });
    await settle();
    expect(transport.running()).toEqual(['append-history WP01']);
    transport.finish('append-history WP01');
    await settle();
    expect(transport.running()).toEqual(['transition WP01']);
    transport.finish('transition WP01');
    await Promise.all([note, transition]);
  });

  it('queues a note in arrival order once it has waited noteMaxWaitMs, so a busy host cannot starve it', async () => {
    // The note's wait is timed on a fake clock: the order below cannot depend on a loaded machine.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const transport = new ManualTransport();
    const client = new HostClient(transport, { maxConcurrentMutations: 1, noteMaxWaitMs: 50 });
    const busy = client.transition({ ...wp('WP02'), to: 'for_review' });
    await settle();
    const note = client.appendHistory({ ...wp('WP01'), note: 'n' });
    const early = client.transition({ ...wp('WP03'), to: 'for_review' });
    await settle();
    await vi.advanceTimersByTimeAsync(50);
    await settle();
    // Queued after the note had waited its time: it comes after the note.
    const late = client.transition({ ...wp('WP04'), to: 'for_review' });
    await settle();
    for (const label of ['transition WP02', 'transition WP03', 'append-history WP01', 'transition WP04']) {
      expect(transport.running()).toEqual([label]);
      transport.finish(label);
      await settle();
    }
    await Promise.all([busy, note, early, late]);
    expect(transport.started).toEqual([
      'transition WP02',
      'transition WP03',
      'append-history WP01',
      'transition WP04',
    ]);
  });

  it('keeps strict arrival order with notesYield off', async () => {
    const transport = new ManualTransport();
    const client = new HostClient(transport, { maxConcurrentMutations: 1, notesYield: false });
    const busy = client.transition({ ...wp('WP02'), to: 'for_review' });
    await settle();
    const note = client.appendHistory({ ...wp('WP01'), note: 'n' });
    const transition = client.transition({ ...wp('WP03'), to: 'for_review' });
    await settle();
    transport.finish('transition WP02');
    await settle();
    expect(transport.running()).toEqual(['append-history WP01']);
    transport.finish('append-history WP01');
    await settle();
    transport.finish('transition WP03');
    await Promise.all([busy, note, transition]);
    expect(transport.started).toEqual(['transition WP02', 'append-history WP01', 'transition WP03']);
  });

  it('cancels a note still waiting for its turn, and the slot stays usable', async () => {
    const transport = new ManualTransport();
    const client = new HostClient(transport, { maxConcurrentMutations: 1, notesYield: true });
    const busy = client.transition({ ...wp('WP02'), to: 'for_review' });
    await settle();
    const controller = new AbortController();
    const note = client.appendHistory({ ...wp('WP01'), note: 'n' }, { signal: controller.signal });
    await settle();
    controller.abort(new Error('stop'));
    await expect(note).rejects.toBeInstanceOf(HostCanceledError);
    transport.finish('transition WP02');
    await busy;
    const next = client.appendHistory({ ...wp('WP01'), note: 'again' });
    await settle();
    expect(transport.running()).toEqual(['append-history WP01']);
    transport.finish('append-history WP01');
    await next;
    expect(transport.started).toEqual(['transition WP02', 'append-history WP01']);
  });
});
