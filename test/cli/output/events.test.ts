import { afterEach, describe, expect, it } from 'vitest';
import { createActor, fromPromise, toPromise } from 'xstate';
import { createEventMapper } from '../../../src/cli/output/events.js';
import type { OrchestratorRecord } from '../../../src/cli/output/records.js';
import { failed, rejected, succeeded } from '../../machines/support/agent-results.js';
import { missionInput, missionLogic } from '../../machines/support/run-mission.js';
import type { ScriptLog } from '../../machines/support/scripted-local-actors.js';
import { createSimWorld, type SimWorld } from '../../machines/support/sim-world.js';
import { type RecordedRun, recordMissionRun } from './support/record-run.js';

let world: SimWorld | undefined;
afterEach(() => {
  world?.cleanup();
  world = undefined;
});

const FIXED = Date.UTC(2025, 0, 2, 3, 4, 5);

function mapAll(run: Pick<RecordedRun, 'events'>): OrchestratorRecord[] {
  const records: OrchestratorRecord[] = [];
  const mapper = createEventMapper({ runId: 'run-x', now: () => FIXED, sink: (r) => records.push(r) });
  for (const event of run.events) mapper.inspect(event);
  return records;
}

const of = <T extends OrchestratorRecord['type']>(records: OrchestratorRecord[], type: T, wp?: string) =>
  records.filter(
    (r): r is Extract<OrchestratorRecord, { type: T }> =>
      r.type === type && (wp === undefined || ('wp' in r && r.wp === wp)),
  );

describe('createEventMapper on a real run of the machines', () => {
  it('maps a retry, a rejection and an approval to ordered, JSON-clean records', async () => {
    world = await createSimWorld([
      { id: 'WP01', title: 'First' },
      { id: 'WP02', title: 'Second', dependencies: ['WP01'] },
    ]);
    const run = await recordMissionRun(
      world,
      {
        implementation: [{ result: failed('claude-code', 'timeout') }],
        review: [{ result: rejected('claude-code', 'please add tests for the parser') }],
      },
      { maxRetries: 1 },
    );
    expect(run.output.status).toBe('completed');
    const records = mapAll(run);

    // Every record is plain JSON with the common fields.
    expect(JSON.parse(JSON.stringify(records))).toEqual(records);
    for (const record of records) {
      expect(record.run_id).toBe('run-x');
      expect(record.at).toBe(new Date(FIXED).toISOString());
    }

    const index = (wp: string, state: string) =>
      records.findIndex((r) => r.type === 'wp.state' && r.wp === wp && r.state === state);
    const wp01 = records.filter((r) => 'wp' in r && r.wp === 'WP01').map((r) => r.type);
    // An event comes before the wp.state of the state it leads to (docs/events.md).
    expect(wp01.slice(0, 5)).toEqual(['wp.state', 'wp.state', 'agent.start', 'wp.state', 'agent.end']);
    expect(wp01.at(-1)).toBe('wp.end');

    // wp.state only when the flow state changed: never the same state twice in a row per WP.
    for (const wp of ['WP01', 'WP02']) {
      const states = of(records, 'wp.state', wp).map((r) => r.state);
      expect(states.length).toBeGreaterThan(5);
      for (let i = 1; i < states.length; i += 1) expect(states[i]).not.toBe(states[i - 1]);
      expect(states.at(-1)).toBe('done');
    }
    expect(of(records, 'wp.state', 'WP01').map((r) => r.state)).toContain('inProgress.retryWait');
    const implementing = of(records, 'wp.state', 'WP01').find((r) => r.state === 'inProgress.implementing');
    expect(implementing).toMatchObject({
      lane: 'in_progress',
      role: 'implementation',
      agent: 'claude-code',
      attempt: 1,
    });

    const [firstEnd] = of(records, 'agent.end', 'WP01');
    expect(firstEnd).toMatchObject({
      role: 'implementation',
      agent: 'claude-code',
      attempt: 1,
      exit_code: 124,
      success: false,
      failure_kind: 'timeout',
      error: 'timeout trouble',
      usage: { input_tokens: 100, output_tokens: 10, cost_usd: 0.01 },
      log_path: '/logs/claude-code-implementation.log',
    });
    expect(of(records, 'wp.retry', 'WP01')).toEqual([
      expect.objectContaining({
        agent: 'claude-code',
        failed_attempt: 1,
        next_attempt: 2,
        failure_kind: 'timeout',
      }),
    ]);
    expect(of(records, 'wp.retry', 'WP01')[0]?.retry_at).toMatch(/^\d{4}-\d\d-\d\dT/);

    // Starts and ends pair up: 3 implementation runs (fail, retry, rework) and 2 reviews.
    const starts = of(records, 'agent.start', 'WP01');
    const ends = of(records, 'agent.end', 'WP01');
    expect(starts.map((s) => `${s.role}#${s.attempt}@${s.review_cycle}`)).toEqual([
      'implementation#1@0',
      'implementation#2@0',
      'review#1@1',
      'implementation#1@1',
      'review#1@2',
    ]);
    expect(ends.map((e) => `${e.role}#${e.attempt}@${e.review_cycle}`)).toEqual(
      starts.map((s) => `${s.role}#${s.attempt}@${s.review_cycle}`),
    );

    // Each review cycle is announced before its start-review, with the reference it sends.
    expect(of(records, 'review.cycle', 'WP01')).toEqual([
      expect.objectContaining({ review_cycle: 1, reviewer: 'claude-code', reference: expect.any(String) }),
      expect.objectContaining({ review_cycle: 2, reviewer: 'claude-code', reference: expect.any(String) }),
    ]);
    const cycles = of(records, 'review.cycle', 'WP01').map((r) => r.reference);
    expect(new Set(cycles).size).toBe(2);
    expect(records.indexOf(of(records, 'review.cycle', 'WP01')[0] as OrchestratorRecord)).toBeLessThan(
      index('WP01', 'forReview.claimingReview'),
    );

    expect(of(records, 'review.verdict', 'WP01')).toEqual([
      expect.objectContaining({
        review_cycle: 1,
        verdict: 'changes_requested',
        decided_by: 'output',
        feedback: 'please add tests for the parser',
      }),
      expect.objectContaining({ review_cycle: 2, verdict: 'approved', feedback: null }),
    ]);
    expect(of(records, 'wp.end', 'WP01')).toEqual([
      expect.objectContaining({
        outcome: 'done',
        lane: 'done',
        attempts: { implementation: 3, review: 2 },
        review_cycles: 2,
        usage: { input_tokens: 500, output_tokens: 50, cost_usd: expect.closeTo(0.05, 6) },
      }),
    ]);

    // WP02 depends on WP01: it starts once WP01's last lane change (completing) has returned.
    // WP01's done record may follow WP02's first one by a record (the mission starts WP02 as it
    // hears of WP01's done lane, before the inspector reports WP01's own snapshot), but WP02
    // claims nothing before it, and WP01's last notes may still be written meanwhile.
    const wp02Start = records.findIndex((r) => r.type === 'wp.state' && r.wp === 'WP02');
    expect(index('WP01', 'completing')).toBeGreaterThan(-1);
    expect(index('WP01', 'completing')).toBeLessThan(wp02Start);
    expect(index('WP01', 'done')).toBeLessThan(index('WP02', 'inProgress.preparing'));
    expect(records.at(-1)).toMatchObject({
      type: 'mission.end',
      status: 'completed',
      accepted: true,
      stalled: [],
      error: null,
    });
    const missionStates = of(records, 'mission.state').map((r) => r.state);
    expect(missionStates).toEqual([
      'checkingContract',
      'recovering',
      // WP01 started; WP02 started as WP01's lane flow ended; both finished.
      'running.supervising',
      'running.supervising',
      'running.supervising',
      'accepting',
      'completed',
    ]);
    expect(of(records, 'mission.state').at(-1)?.wps).toEqual([
      { wp: 'WP01', lane: 'done' },
      { wp: 'WP02', lane: 'done' },
    ]);
  });

  it('reports a fallback to the next agent, and a blocked WP with its reason', async () => {
    world = await createSimWorld([{ id: 'WP01', title: 'First' }]);
    const nothing = { result: succeeded('claude-code'), writes: false };
    const run = await recordMissionRun(
      world,
      { implementation: [{ result: failed('claude-code', 'auth') }, nothing] },
      { maxRetries: 0, agents: { implementation: ['claude-code', 'codex'], review: ['claude-code'] } },
    );
    expect(run.output.status).toBe('finished_with_problems');
    const records = mapAll(run);
    expect(of(records, 'wp.fallback')).toEqual([
      expect.objectContaining({
        wp: 'WP01',
        role: 'implementation',
        from_agent: 'claude-code',
        to_agent: 'codex',
        failure_kind: 'auth',
      }),
    ]);
    // The fallback re-enters `implementing` within one step: the run boundary still shows.
    expect(of(records, 'agent.start').map((s) => s.agent)).toEqual(['claude-code', 'codex']);
    const types = records.filter((r) => r.type !== 'mission.state').map((r) => r.type);
    expect(types.slice(types.indexOf('agent.end'), types.indexOf('agent.end') + 3)).toEqual([
      'agent.end',
      'wp.fallback',
      'agent.start',
    ]);
    expect(of(records, 'wp.end')).toEqual([
      expect.objectContaining({
        outcome: 'blocked',
        lane: 'blocked',
        reason: expect.stringContaining('All implementation agents exhausted'),
      }),
    ]);
    expect(of(records, 'mission.end')[0]).toMatchObject({ status: 'finished_with_problems' });
  });

  it('ends a running agent as canceled when the mission is aborted', async () => {
    world = await createSimWorld([{ id: 'WP01', title: 'First' }]);
    const log: ScriptLog = { agentRuns: [], waits: [] };
    const records: OrchestratorRecord[] = [];
    let agentStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      agentStarted = resolve;
    });
    const mapper = createEventMapper({
      runId: 'run-x',
      sink: (r) => {
        records.push(r);
        if (r.type === 'agent.start') agentStarted();
      },
    });
    const actor = createActor(missionLogic(world, { implementation: [{ result: 'hang' }] }, log), {
      input: missionInput(world),
      inspect: mapper.inspect,
    });
    actor.start();
    await started;
    actor.send({ type: 'ABORT' });
    const output = await toPromise(actor);
    expect(output.status).toBe('aborted');
    expect(of(records, 'agent.end')).toEqual([
      expect.objectContaining({ wp: 'WP01', success: false, failure_kind: 'canceled', exit_code: null }),
    ]);
    expect(records.at(-1)).toMatchObject({ type: 'mission.end', status: 'aborted' });
  });

  it('ends a WP whose actor crashed from the mission results', async () => {
    world = await createSimWorld([{ id: 'WP01', title: 'First' }]);
    const crashing = fromPromise(async () => {
      throw new Error('boom');
    });
    const run = await recordMissionRun(world, {}, {}, { wp: crashing });
    const records = mapAll(run);
    expect(of(records, 'wp.end')).toEqual([
      expect.objectContaining({ wp: 'WP01', outcome: 'failed', reason: 'WP actor crashed: boom' }),
    ]);
  });

  it('maps host calls', () => {
    const records: OrchestratorRecord[] = [];
    const mapper = createEventMapper({ runId: 'r', now: () => FIXED, sink: (r) => records.push(r) });
    mapper.hostCall({
      command: 'transition',
      args: ['transition'],
      durationMs: 1234.6,
      waitMs: 3.2,
      attempt: 1,
      ok: false,
      errorCode: 'TRANSITION_REJECTED',
    });
    mapper.hostCall({ command: 'mission-state', args: [], durationMs: 900, waitMs: 0, attempt: 2, ok: true });
    expect(records).toEqual([
      {
        type: 'host.call',
        v: 1,
        at: new Date(FIXED).toISOString(),
        run_id: 'r',
        command: 'transition',
        duration_ms: 1235,
        wait_ms: 3,
        attempt: 1,
        ok: false,
        error_code: 'TRANSITION_REJECTED',
      },
      {
        type: 'host.call',
        v: 1,
        at: new Date(FIXED).toISOString(),
        run_id: 'r',
        command: 'mission-state',
        duration_ms: 900,
        wait_ms: 0,
        attempt: 2,
        ok: true,
        error_code: null,
      },
    ]);
  });

  it('keeps going when the sink throws', async () => {
    const mapper = createEventMapper({
      runId: 'r',
      sink: () => {
        throw new Error('disk full');
      },
    });
    expect(() =>
      mapper.hostCall({ command: 'transition', args: [], durationMs: 1, waitMs: 0, attempt: 1, ok: true }),
    ).not.toThrow();
  });
});

describe('usage records', () => {
  it('keep an unknown cost unknown (null), not $0, and a known one as given', async () => {
    const { usageRecord } = await import('../../../src/cli/output/events.js');
    expect(usageRecord({ inputTokens: 2100, outputTokens: 90 })).toEqual({
      input_tokens: 2100,
      output_tokens: 90,
      cost_usd: null,
    });
    expect(usageRecord({ inputTokens: 1, outputTokens: 2, costUsd: 0 }).cost_usd).toBe(0);
    expect(usageRecord({ costUsd: 0.25 }).cost_usd).toBe(0.25);
  });
});
