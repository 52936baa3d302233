/**
 * The missionMachine's routes with in-memory actors (fixtures/memory-mission.ts): contract check,
 * scheduling order and slots, each way a run ends, the safety-net poll and ABORT.
 */
import { describe, expect, it } from 'vitest';
import { contractVersionProblem } from '../../src/host/contract.js';
import { MAX_POLL_ERRORS } from '../../src/machines/mission/guards.js';
import { runMemoryMission } from './fixtures/memory-mission.js';

describe('start of a run', () => {
  it('a host contract too old fails the run before reading the mission', async () => {
    const run = await runMemoryMission({ wps: { WP01: { lane: 'planned' } }, apiVersion: '1.0.0' });
    expect(run.reads).toBe(0);
    expect(run.output.status).toBe('failed');
    expect(run.output.error?.code).toBe('CONTRACT_VERSION_MISMATCH');
    const problem = contractVersionProblem('1.0.0');
    expect(run.output.error?.message).toBe(`${problem?.message} ${problem?.hint}`);
    expect(run.output.summary).toBe(`failed: ${run.output.error?.message}`);
    expect(run.context.contractVersion).toBe('1.0.0');
  });

  it('a contract check that breaks fails the run with its error', async () => {
    const run = await runMemoryMission({ wps: {}, failContract: true });
    expect(run.output).toMatchObject({
      status: 'failed',
      error: { code: 'HOST_UNAVAILABLE', message: 'host gone' },
    });
  });

  it('an unreadable mission fails the run', async () => {
    const run = await runMemoryMission({ wps: { WP01: { lane: 'planned' } }, failReads: [1] });
    expect(run.started).toEqual([]);
    expect(run.output).toMatchObject({ status: 'failed', error: { code: 'HOST_TIMEOUT' } });
    expect(run.output.wps).toEqual({});
    expect(run.context.contractVersion).toBe('1.12.0');
  });
});

describe('scheduling', () => {
  it('runs every WP, a dependent after its dependency, then accepts the mission', async () => {
    const run = await runMemoryMission({
      wps: {
        WP01: { lane: 'planned' },
        WP02: { lane: 'planned', deps: ['WP01'] },
        WP03: { lane: 'planned' },
      },
    });
    expect(run.started).toEqual(['WP01', 'WP03', 'WP02']);
    expect(run.accepts).toBe(1);
    expect(run.acceptInputs).toEqual([{ mission: '042-unit', actor: 'orchestrator' }]);
    expect(run.output).toMatchObject({
      status: 'completed',
      accepted: true,
      summary: 'every WP is done; mission accepted',
    });
    expect(run.output.wps.WP02).toMatchObject({ lane: 'done', outcome: 'done' });
  });

  it('never runs more WPs at once than maxConcurrent', async () => {
    const wps = {
      A: { lane: 'planned' as const },
      B: { lane: 'planned' as const },
      C: { lane: 'planned' as const },
    };
    expect((await runMemoryMission({ wps, config: { maxConcurrent: 1 } })).maxInFlight).toBe(1);
    expect((await runMemoryMission({ wps, config: { maxConcurrent: 2 } })).maxInFlight).toBe(2);
  });

  it('hands each child its WP input from the mission context', async () => {
    const run = await runMemoryMission({ wps: { WP01: { lane: 'claimed' } } });
    expect(run.childInputs[0]).toMatchObject({
      wpId: 'WP01',
      lane: 'claimed',
      runId: 'run-1',
      announceFlowEnd: true,
    });
  });

  it('without acceptance configured, completes without accepting', async () => {
    const run = await runMemoryMission({
      wps: { WP01: { lane: 'planned' } },
      config: { acceptOnCompletion: false },
    });
    expect(run.accepts).toBe(0);
    expect(run.output).toMatchObject({ status: 'completed', summary: 'every WP is done' });
    expect(run.output).not.toHaveProperty('accepted');
  });

  it('a mission already done completes at once', async () => {
    const run = await runMemoryMission({
      wps: { WP01: { lane: 'done' } },
      config: { acceptOnCompletion: false },
    });
    expect(run.started).toEqual([]);
    expect(run.output.status).toBe('completed');
  });

  it('an acceptance the host refuses fails the run; one it declines is recorded', async () => {
    const refused = await runMemoryMission({ wps: { WP01: { lane: 'planned' } }, failAccept: true });
    expect(refused.output).toMatchObject({ status: 'failed', error: { code: 'ACCEPT_REFUSED' } });
    const declined = await runMemoryMission({ wps: { WP01: { lane: 'planned' } }, accepted: false });
    expect(declined.output).toMatchObject({
      status: 'completed',
      accepted: false,
      summary: 'every WP is done',
    });
  });
});

describe('how a run ends short of done', () => {
  it('every WP terminal but one blocked: finished with problems, after one more read', async () => {
    const run = await runMemoryMission({
      wps: {
        WP01: { lane: 'planned', ends: { outcome: 'blocked', lane: 'blocked' } },
        WP02: { lane: 'planned' },
      },
    });
    expect(run.reads).toBe(2);
    expect(run.accepts).toBe(0);
    expect(run.output.status).toBe('finished_with_problems');
    expect(run.output.summary).toBe('WP01 blocked: ended blocked in this run');
  });

  it('a WP waiting on a blocked one: stalled, naming it and why', async () => {
    const run = await runMemoryMission({
      wps: {
        WP01: { lane: 'planned', ends: { outcome: 'blocked', lane: 'blocked' } },
        WP02: { lane: 'planned', deps: ['WP01'] },
      },
    });
    expect(run.started).toEqual(['WP01']);
    expect(run.output.status).toBe('stalled');
    expect(run.output.stalledWps).toEqual([
      { wpId: 'WP02', lane: 'planned', reason: 'waiting for WP01 (blocked)' },
    ]);
  });

  it('a child that crashes is recorded as failed and the run goes on', async () => {
    const run = await runMemoryMission({
      wps: { WP01: { lane: 'planned', ends: 'crash' }, WP02: { lane: 'planned' } },
    });
    expect(run.output.wps.WP01).toMatchObject({ outcome: 'failed', errorCode: 'E_BUG', lane: 'planned' });
    expect(run.output.wps.WP02).toMatchObject({ outcome: 'done' });
    expect(run.output.status).toBe('stalled');
  });

  it('a crash frees its slot at once: the next WP starts', async () => {
    const run = await runMemoryMission({
      wps: { WP01: { lane: 'planned', ends: 'crash' }, WP02: { lane: 'planned' } },
      config: { maxConcurrent: 1 },
    });
    expect(run.started).toEqual(['WP01', 'WP02']);
  });

  it('a confirming read that fails fails the run', async () => {
    const run = await runMemoryMission({
      wps: { WP01: { lane: 'planned', ends: { outcome: 'blocked', lane: 'blocked' } } },
      failReads: [2],
    });
    expect(run.output).toMatchObject({ status: 'failed', error: { message: 'read 2 failed' } });
  });
});

describe('safety-net poll and ABORT', () => {
  it('tolerates failed polls up to the limit, then fails the run and stops the WPs', async () => {
    const failing = Array.from({ length: MAX_POLL_ERRORS }, (_, i) => i + 2);
    const run = await runMemoryMission({
      wps: { WP01: { lane: 'planned', ends: 'never' } },
      pollTicks: 10,
      failReads: failing,
    });
    expect(run.reads).toBe(1 + MAX_POLL_ERRORS);
    expect(run.output).toMatchObject({
      status: 'failed',
      error: { message: `read ${1 + MAX_POLL_ERRORS} failed` },
    });
    expect(run.stopped).toEqual(['WP01']);
  });

  it('polls one interval after each read, and one interval on after a failed poll', async () => {
    const run = await runMemoryMission({
      wps: { WP01: { lane: 'planned', ends: 'never' } },
      pollTicks: 10,
      failReads: [3, 4, 5],
    });
    // The clock ticks 10 ms per answer: contract 1010, first read 1020, first timer 1030,
    // second read 1040; the failed reads do not answer, the timers go on ticking.
    expect(run.pollDeadlines).toEqual([1_020 + 15_000, 1_040 + 15_000, 1_040 + 30_000, 1_040 + 45_000]);
    expect(run.readInputs).toHaveLength(5);
    expect(new Set(run.readInputs.map((input) => JSON.stringify(input)))).toEqual(
      new Set([JSON.stringify({ mission: '042-unit' })]),
    );
  });

  it('a failed poll between good ones does not count against the limit', async () => {
    const run = await runMemoryMission({
      wps: { WP01: { lane: 'planned', ends: 'never' } },
      pollTicks: 6,
      // Two failures, a good read that resets the count, then three in a row.
      failReads: [2, 3, 5, 6, 7],
    });
    expect(run.output.status).toBe('failed');
    expect(run.reads).toBe(7);
  });

  it('ABORT stops every WP and ends the run aborted', async () => {
    const run = await runMemoryMission({
      wps: { WP01: { lane: 'planned', ends: 'never' }, WP02: { lane: 'planned', ends: 'never' } },
      onIdle: (send) => send({ type: 'ABORT' }),
    });
    expect(run.stopped.sort()).toEqual(['WP01', 'WP02']);
    expect(run.output).toMatchObject({
      status: 'aborted',
      summary: 'aborted: scheduling stopped and WP actors stopped; host lanes left as they are',
    });
  });
});
