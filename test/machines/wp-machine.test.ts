import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advanceTo } from './support/advance.js';
import { approved, failed, rejected, succeeded } from './support/agent-results.js';
import { runWp, TEST_CONFIG } from './support/run-wp.js';
import { createSimWorld, type SimWorld } from './support/sim-world.js';

let world: SimWorld;
beforeEach(async () => {
  world = await createSimWorld([
    { id: 'WP01', title: 'First', subtasks: [] },
    { id: 'WP02', title: 'Second', dependencies: ['WP01'] },
  ]);
});
afterEach(() => world.cleanup());

describe('wpMachine against the simulated host', () => {
  it('drives a planned WP to done through every lane', async () => {
    const { output, log } = await runWp(world, 'WP01', {});
    expect(output).toMatchObject({ wpId: 'WP01', outcome: 'done', lane: 'done', reviewCycles: 1 });
    expect(await world.lanesOf('WP01')).toEqual([
      'claimed',
      'in_progress',
      'for_review',
      'in_review',
      'done',
    ]);
    expect(log.agentRuns.map((r) => `${r.role}:${r.agent}`)).toEqual([
      'implementation:claude-code',
      'review:claude-code',
    ]);
    // The happy path writes no history note of its own: each run is told by the lane change
    // that ends it, so the WP costs the host the four mutations and nothing more.
    expect(await world.notesOf('WP01')).toEqual([]);
    const laneNotes = await world.laneNotesOf('WP01');
    expect(laneNotes[2]).toBe(
      'Implementation by claude-code (attempt 1 of 2) complete (1 commit(s) on lane)',
    );
    expect(laneNotes[4]).toBe('Review approved by claude-code in cycle 1');
    expect(output.usage.inputTokens).toBe(200);
  });

  it('retries the same agent after an exponential backoff deadline, then falls back', async () => {
    const { output, log } = await runWp(world, 'WP01', {
      implementation: [
        { result: failed('claude-code', 'network') },
        { result: failed('claude-code', 'timeout') },
        { result: succeeded('codex') },
      ],
    });
    expect(output.outcome).toBe('done');
    expect(
      log.agentRuns.filter((r) => r.role === 'implementation').map((r) => `${r.agent}#${r.attempt}`),
    ).toEqual(['claude-code#1', 'claude-code#2', 'codex#1']);
    expect(log.waits).toHaveLength(1);
    expect(output.agents.implementation).toEqual(['claude-code', 'codex']);
    const notes = await world.notesOf('WP01');
    expect(notes.some((n) => n.includes('Retry after claude-code attempt 1 failed (network)'))).toBe(true);
    expect(notes.some((n) => n.includes('Fallback after claude-code attempt 2 failed (timeout)'))).toBe(true);
  });

  it('backoff doubles per attempt: retry_backoff_seconds * 2^(attempt-1)', async () => {
    const config = {
      ...TEST_CONFIG,
      maxRetries: 2,
      agents: { implementation: ['claude-code' as const], review: ['claude-code' as const] },
    };
    const { output, log } = await runWp(
      world,
      'WP01',
      {
        implementation: [
          { result: failed('claude-code', 'general') },
          { result: failed('claude-code', 'general') },
        ],
      },
      { config },
    );
    expect(output.outcome).toBe('done');
    const [first, second] = log.waits;
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    // Each deadline is measured from the failed run's finish: 2 s after attempt 1, 4 s after attempt 2.
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(4000);
    expect((second ?? 0) - (first ?? 0)).toBeLessThan(4100);
  });

  it('auth errors skip retries and go straight to the next agent', async () => {
    const { output, log } = await runWp(world, 'WP01', {
      implementation: [{ result: failed('claude-code', 'auth') }],
    });
    expect(output.outcome).toBe('done');
    expect(log.waits).toEqual([]);
    expect(log.agentRuns.filter((r) => r.role === 'implementation').map((r) => r.agent)).toEqual([
      'claude-code',
      'codex',
    ]);
  });

  it('an agent that exits 0 but leaves nothing to commit has failed (no_output) and never reaches review', async () => {
    const nothing = { result: succeeded('claude-code'), writes: false };
    const { output } = await runWp(world, 'WP01', { implementation: [nothing, nothing, nothing, nothing] });
    expect(output).toMatchObject({ outcome: 'blocked', lane: 'blocked' });
    expect(output.reason).toContain('All implementation agents exhausted');
    expect(output.reason).toContain('no_output');
    expect(await world.lanesOf('WP01')).toEqual(['claimed', 'in_progress', 'blocked']);
  });

  it('a rejected review sends the WP back for rework with the feedback, then approves', async () => {
    const { output, log } = await runWp(world, 'WP01', {
      review: [{ result: rejected('claude-code', 'Please add tests for the parser.') }],
    });
    expect(output).toMatchObject({ outcome: 'done', reviewCycles: 2 });
    expect(await world.lanesOf('WP01')).toEqual([
      'claimed',
      'in_progress',
      'for_review',
      'in_review',
      'in_progress',
      'for_review',
      'in_review',
      'done',
    ]);
    const rework = log.agentRuns.filter((r) => r.role === 'implementation')[1];
    expect(rework?.prompt.feedback).toBe('Please add tests for the parser.');
  });

  it('a rejection in the last allowed cycle blocks the WP with the review result', async () => {
    const { output } = await runWp(
      world,
      'WP01',
      { review: [{ result: rejected('claude-code', 'nope') }] },
      { config: { ...TEST_CONFIG, maxReviewCycles: 1 } },
    );
    expect(output).toMatchObject({ outcome: 'blocked', lane: 'blocked', reviewCycles: 1 });
    expect(output.reason).toContain('max_review_cycles (1)');
    expect(await world.lanesOf('WP01')).toEqual([
      'claimed',
      'in_progress',
      'for_review',
      'in_review',
      'blocked',
    ]);
  });

  it('a crashing reviewer is a failure (retried), not a rejection', async () => {
    const { output, log } = await runWp(world, 'WP01', {
      review: [{ result: failed('claude-code', 'general', 'review') }],
    });
    expect(output).toMatchObject({ outcome: 'done', reviewCycles: 1 });
    expect(log.agentRuns.filter((r) => r.role === 'review')).toHaveLength(2);
  });

  it("notes a review retry once: the next cycle's first review is no retry of the failed one", async () => {
    const { output } = await runWp(world, 'WP01', {
      review: [
        { result: failed('claude-code', 'general', 'review') },
        { result: rejected('claude-code', 'Add a test') },
        { result: approved('claude-code') },
      ],
    });
    expect(output).toMatchObject({ outcome: 'done', reviewCycles: 2 });
    const notes = await world.notesOf('WP01');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('Retry after claude-code attempt 1 failed (general)');
  });

  it('a host refusal ends the actor failed with the error code, lane untouched', async () => {
    // WP02 depends on WP01: the host refuses to claim it while WP01 is not done.
    const { output } = await runWp(world, 'WP02', {});
    expect(output.outcome).toBe('failed');
    expect(output.errorCode).toBeTypeOf('string');
    expect(output.lane).toBe('planned');
    expect(await world.lanesOf('WP02')).toEqual([]);
  });

  it('a WP found in in_progress is claimed again (no_op for our own claim) and implemented', async () => {
    await advanceTo(world, 'WP01', 'in_progress');
    const { output, log } = await runWp(world, 'WP01', {}, { lane: 'in_progress' });
    expect(output.outcome).toBe('done');
    expect(await world.lanesOf('WP01')).toEqual([
      'claimed',
      'in_progress',
      'for_review',
      'in_review',
      'done',
    ]);
    expect(log.agentRuns.map((r) => r.role)).toEqual(['implementation', 'review']);
  });

  it('a WP found in for_review is reviewed without re-implementation (resolve-workspace)', async () => {
    await advanceTo(world, 'WP01', 'for_review');
    const { output, log, states } = await runWp(world, 'WP01', {}, { lane: 'for_review' });
    expect(output.outcome).toBe('done');
    expect(log.agentRuns.map((r) => r.role)).toEqual(['review']);
    expect(states).toContain(JSON.stringify({ forReview: 'resolvingWorkspace' }));
    expect(await world.lanesOf('WP01')).toEqual([
      'claimed',
      'in_progress',
      'for_review',
      'in_review',
      'done',
    ]);
  });

  it('an in_review WP we own is forced back to for_review (recovery), then reviewed', async () => {
    await advanceTo(world, 'WP01', 'in_review');
    const { output, log } = await runWp(world, 'WP01', {}, { lane: 'in_review', ownedInReview: true });
    expect(output.outcome).toBe('done');
    expect(log.agentRuns.map((r) => r.role)).toEqual(['review']);
    expect(await world.lanesOf('WP01')).toEqual([
      'claimed',
      'in_progress',
      'for_review',
      'in_review',
      'for_review',
      'in_review',
      'done',
    ]);
  });

  it('an in_review WP we do not own is left alone (failed, nothing sent to the host)', async () => {
    await advanceTo(world, 'WP01', 'in_review');
    const { output } = await runWp(world, 'WP01', {}, { lane: 'in_review' });
    expect(output).toMatchObject({ outcome: 'failed', errorCode: 'LANE_NOT_DRIVEN', lane: 'in_review' });
    expect(await world.lanesOf('WP01')).toEqual(['claimed', 'in_progress', 'for_review', 'in_review']);
  });

  it('a WP found done ends done at once', async () => {
    const { output, log } = await runWp(world, 'WP01', {}, { lane: 'done' });
    expect(output.outcome).toBe('done');
    expect(log.agentRuns).toEqual([]);
  });
});
