/** The missionMachine's context helpers: host reads, child events, WP inputs and the output. */
import { describe, expect, it } from 'vitest';
import type { MissionState } from '../../src/host/schemas.js';
import {
  buildMissionOutput,
  childCrashed,
  childFinished,
  childFlowEnded,
  childWpId,
  flowEndedWpId,
  initialMissionContext,
  missionStateRead,
  summarize,
  wpInputFor,
} from '../../src/machines/mission/context.js';
import { MISSION_CONFIG, missionContext, wpOutput } from './fixtures/mission-context.js';

describe('initialMissionContext', () => {
  it('derives a run id from mission and actor when none is given', () => {
    const input = { mission: 'm', actor: 'a', policy: 'p', repoRoot: '/r', config: MISSION_CONFIG };
    expect(initialMissionContext(input).runId).toBe('m:a');
    expect(initialMissionContext({ ...input, runId: 'r-1' }).runId).toBe('r-1');
    expect(initialMissionContext(input).ownedInReview).toEqual([]);
    expect(initialMissionContext({ ...input, ownedInReview: ['WP01'] }).ownedInReview).toEqual(['WP01']);
  });
});

describe('missionStateRead', () => {
  const state = {
    mission_slug: '042-unit',
    summary: {},
    work_packages: [
      { wp_id: 'WP02', lane: 'planned', dependencies: ['WP01'] },
      { wp_id: 'WP01', lane: 'done', dependencies: [] },
    ],
  } as MissionState;

  it('records lanes, dependencies and host order, and schedules the next poll', () => {
    const update = missionStateRead(missionContext({}, { pollErrors: 2, stateFresh: false }), state, 1_000);
    expect(update).toEqual({
      known: {
        WP02: { wpId: 'WP02', lane: 'planned', dependencies: ['WP01'] },
        WP01: { wpId: 'WP01', lane: 'done', dependencies: [] },
      },
      wpOrder: ['WP02', 'WP01'],
      stateFresh: true,
      pollErrors: 0,
      pollDeadline: 16_000,
      lastSeenAt: 1_000,
    });
  });

  it('never moves the last seen instant back', () => {
    expect(missionStateRead(missionContext({}, { lastSeenAt: 5_000 }), state, 1_000).lastSeenAt).toBe(5_000);
    expect(missionStateRead(missionContext({}, { lastSeenAt: 500 }), state, 1_000).lastSeenAt).toBe(1_000);
  });
});

describe('wpInputFor', () => {
  it('hands the WP its effective lane, ownership and the WP part of the config', () => {
    const context = missionContext(
      { WP01: { lane: 'in_review' }, WP02: { lane: 'planned' } },
      { ownedInReview: ['WP01'], runId: 'run-3' },
    );
    expect(wpInputFor(context, 'WP01')).toEqual({
      wpId: 'WP01',
      mission: '042-unit',
      actor: 'orchestrator',
      policy: '{}',
      repoRoot: '/repo',
      runId: 'run-3',
      lane: 'in_review',
      ownedInReview: true,
      announceFlowEnd: true,
      config: {
        agents: MISSION_CONFIG.agents,
        maxRetries: 1,
        retryBackoffSeconds: 2,
        timeoutSeconds: 30,
        singleAgentMode: false,
        maxReviewCycles: 2,
      },
    });
    const plain = wpInputFor(context, 'WP02');
    expect(plain.ownedInReview).toBe(false);
    expect(plain).not.toHaveProperty('carried');
  });
});

describe('child events', () => {
  const context = missionContext({}, { inFlight: ['WP01', 'WP02'], draining: ['WP02'] });

  it('childWpId reads done and error events of live children only', () => {
    expect(childWpId(context, 'xstate.done.actor.WP01')).toBe('WP01');
    expect(childWpId(context, 'xstate.error.actor.WP02')).toBe('WP02');
    expect(childWpId(context, 'xstate.done.actor.WP03')).toBeNull();
    expect(childWpId(context, 'xstate.done.actor.')).toBeNull();
    expect(childWpId(context, 'WP.FLOW_ENDED')).toBeNull();
    expect(childWpId(context, 'other.xstate.done.actor.WP01')).toBeNull();
  });

  it('flowEndedWpId: a live child that has not announced its end yet', () => {
    expect(flowEndedWpId(context, wpOutput('WP01'))).toBe('WP01');
    expect(flowEndedWpId(context, wpOutput('WP02'))).toBeNull();
    expect(flowEndedWpId(context, wpOutput('WP03'))).toBeNull();
  });

  it('childFlowEnded: the result counts, the child drains, the state is stale', () => {
    const output = wpOutput('WP01');
    expect(childFlowEnded(context, output)).toEqual({
      draining: ['WP02', 'WP01'],
      results: { WP01: output },
      stateFresh: false,
    });
  });

  it('childFinished frees the child entirely, and only that child', () => {
    const output = wpOutput('WP02');
    const both = { ...context, draining: ['WP01', 'WP02'] };
    expect(childFinished(both, 'WP02', output)).toEqual({
      inFlight: ['WP01'],
      draining: ['WP01'],
      results: { WP02: output },
      stateFresh: false,
    });
  });

  it('childCrashed records a failure at the last known lane', () => {
    const crashed = missionContext({ WP01: { lane: 'claimed' } }, { inFlight: ['WP01'] });
    const error = Object.assign(new Error('bug'), { code: 'E_BUG' });
    const update = childCrashed(crashed, 'WP01', error);
    expect(update.inFlight).toEqual([]);
    expect(update.results?.WP01).toEqual({
      wpId: 'WP01',
      outcome: 'failed',
      reason: 'WP actor crashed: bug',
      errorCode: 'E_BUG',
      lane: 'claimed',
      agents: { implementation: [], review: [] },
      attempts: { implementation: 0, review: 0 },
      reviewCycles: 0,
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
      durationMs: 0,
      logPaths: [],
      lastError: { code: 'E_BUG', message: 'bug' },
    });
  });
});

describe('summary and output', () => {
  it('summarize per status', () => {
    const context = missionContext({ WP01: { lane: 'blocked' } });
    expect(summarize({ ...context, accepted: true }, 'completed')).toBe('every WP is done; mission accepted');
    expect(summarize(context, 'completed')).toBe('every WP is done');
    expect(summarize(context, 'aborted')).toBe(
      'aborted: scheduling stopped and WP actors stopped; host lanes left as they are',
    );
    expect(summarize({ ...context, error: { code: 'X', message: 'boom' } }, 'failed')).toBe('failed: boom');
    expect(summarize(context, 'failed')).toBe('failed: unknown error');
    expect(summarize(context, 'stalled')).toBe('WP01 blocked: already blocked before this run');
  });

  it('buildMissionOutput: one summary per WP, with the result when this run has one', () => {
    const result = wpOutput('WP01', { outcome: 'failed', lane: 'blocked', reason: 'r', errorCode: 'E' });
    const context = missionContext(
      { WP01: { lane: 'in_progress' }, WP02: { lane: 'done' } },
      { results: { WP01: result }, status: 'finished_with_problems', summary: 'told' },
    );
    expect(buildMissionOutput(context)).toEqual({
      status: 'finished_with_problems',
      summary: 'told',
      wps: {
        WP01: { wpId: 'WP01', lane: 'blocked', outcome: 'failed', reason: 'r', errorCode: 'E', result },
        WP02: { wpId: 'WP02', lane: 'done' },
      },
    });
  });

  it('buildMissionOutput without a status fails, and carries accepted, stalled WPs and the error', () => {
    const error = { code: 'X', message: 'boom' };
    const stalled = [{ wpId: 'WP01', lane: 'planned' as const, reason: 'r' }];
    const output = buildMissionOutput(
      missionContext({ WP01: { lane: 'planned' } }, { accepted: false, stalledWps: stalled, error }),
    );
    expect(output).toEqual({
      status: 'failed',
      summary: 'failed: boom',
      wps: { WP01: { wpId: 'WP01', lane: 'planned' } },
      accepted: false,
      stalledWps: stalled,
      error,
    });
    const result = wpOutput('WP01');
    const bare = buildMissionOutput(
      missionContext({ WP01: { lane: 'done' } }, { results: { WP01: result } }),
    );
    // Strict: a summary without a reason or error code has no such keys at all.
    expect(bare.wps.WP01).toStrictEqual({ wpId: 'WP01', lane: 'done', outcome: 'done', result });
    expect(bare).not.toHaveProperty('accepted');
    expect(bare).not.toHaveProperty('stalledWps');
    expect(bare).not.toHaveProperty('error');
  });
});
