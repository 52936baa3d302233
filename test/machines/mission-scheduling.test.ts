/** Which WPs the missionMachine starts, and how it explains the ones it cannot finish. */
import { describe, expect, it } from 'vitest';
import {
  allWpsDone,
  busyWps,
  effectiveLane,
  problemSummary,
  schedulableWps,
  someWpNotTerminal,
  stalledWps,
  wpsToStart,
} from '../../src/machines/mission/scheduling.js';
import { missionContext, wpOutput } from './fixtures/mission-context.js';

describe('effectiveLane', () => {
  it('our own result outranks the host read, which outranks the planned default', () => {
    const context = missionContext(
      { WP01: { lane: 'in_progress' }, WP02: { lane: 'for_review' } },
      { results: { WP01: wpOutput('WP01', { lane: 'blocked' }) } },
    );
    expect(effectiveLane(context, 'WP01')).toBe('blocked');
    expect(effectiveLane(context, 'WP02')).toBe('for_review');
    expect(effectiveLane(context, 'WP99')).toBe('planned');
  });
});

describe('schedulableWps', () => {
  it('planned WPs whose dependencies are done, in host order, then leftovers of an earlier run', () => {
    const context = missionContext({
      WP01: { lane: 'claimed' },
      WP02: { lane: 'planned', deps: ['WP05'] },
      WP03: { lane: 'planned' },
      WP04: { lane: 'for_review' },
      WP05: { lane: 'done' },
      WP06: { lane: 'planned', deps: ['WP01'] },
      WP07: { lane: 'in_progress' },
      WP08: { lane: 'blocked' },
    });
    expect(schedulableWps(context)).toEqual(['WP02', 'WP03', 'WP01', 'WP04', 'WP07']);
  });

  it('a dependency done in this run frees its dependent at once', () => {
    const context = missionContext(
      { WP01: { lane: 'in_progress' }, WP02: { lane: 'planned', deps: ['WP01'] } },
      { results: { WP01: wpOutput('WP01') } },
    );
    expect(schedulableWps(context)).toEqual(['WP02']);
  });

  it('never a WP in flight or already finished in this run', () => {
    const context = missionContext(
      { WP01: { lane: 'planned' }, WP02: { lane: 'claimed' }, WP03: { lane: 'planned' } },
      { inFlight: ['WP01'], results: { WP02: wpOutput('WP02', { lane: 'claimed', outcome: 'failed' }) } },
    );
    expect(schedulableWps(context)).toEqual(['WP03']);
  });

  it('ownership of a review adopts nothing outside in_review', () => {
    const context = missionContext({ WP01: { lane: 'blocked' } }, { ownedInReview: ['WP01'] });
    expect(schedulableWps(context)).toEqual([]);
  });

  it('in_review only when this orchestrator owns the review', () => {
    const context = missionContext(
      { WP01: { lane: 'in_review' }, WP02: { lane: 'in_review' } },
      { ownedInReview: ['WP02'] },
    );
    expect(schedulableWps(context)).toEqual(['WP02']);
  });
});

describe('slots', () => {
  it('draining children hold no slot', () => {
    expect(busyWps(missionContext({}, { inFlight: ['A', 'B', 'C'], draining: ['B'] }))).toBe(2);
  });

  it('starts as many as the free slots allow, never a negative number', () => {
    const wps = {
      WP01: { lane: 'planned' as const },
      WP02: { lane: 'planned' as const },
      WP03: { lane: 'planned' as const },
    };
    expect(wpsToStart(missionContext(wps))).toEqual(['WP01', 'WP02']);
    expect(wpsToStart(missionContext(wps, { inFlight: ['X'] }))).toEqual(['WP01']);
    expect(wpsToStart(missionContext(wps, { inFlight: ['X', 'Y'], draining: ['Y'] }))).toEqual(['WP01']);
    expect(wpsToStart(missionContext(wps, { inFlight: ['X', 'Y', 'Z'] }))).toEqual([]);
  });
});

describe('mission end', () => {
  it('allWpsDone needs every WP done', () => {
    expect(allWpsDone(missionContext({ A: { lane: 'done' }, B: { lane: 'done' } }))).toBe(true);
    expect(allWpsDone(missionContext({ A: { lane: 'done' }, B: { lane: 'blocked' } }))).toBe(false);
  });

  it('someWpNotTerminal: blocked and canceled are terminal, review lanes are not', () => {
    expect(someWpNotTerminal(missionContext({ A: { lane: 'blocked' }, B: { lane: 'canceled' } }))).toBe(
      false,
    );
    expect(someWpNotTerminal(missionContext({ A: { lane: 'done' }, B: { lane: 'in_review' } }))).toBe(true);
  });
});

describe('stalledWps', () => {
  it('explains each WP that is not terminal', () => {
    const context = missionContext(
      {
        WP01: { lane: 'planned', deps: ['WP02', 'WP03'] },
        WP02: { lane: 'blocked' },
        WP03: { lane: 'done' },
        WP04: { lane: 'in_review' },
        WP05: { lane: 'claimed' },
        WP06: { lane: 'in_progress' },
      },
      {
        results: {
          WP05: wpOutput('WP05', { lane: 'claimed', outcome: 'failed', reason: 'host refused: X' }),
          WP06: wpOutput('WP06', {
            lane: 'in_progress',
            outcome: 'failed',
            lastError: { code: 'C', message: 'boom' },
          }),
        },
      },
    );
    expect(stalledWps(context)).toEqual([
      { wpId: 'WP01', lane: 'planned', reason: 'waiting for WP02 (blocked)' },
      {
        wpId: 'WP04',
        lane: 'in_review',
        reason: 'in review by another actor (not claimed by this orchestrator)',
      },
      { wpId: 'WP05', lane: 'claimed', reason: 'host refused: X' },
      { wpId: 'WP06', lane: 'in_progress', reason: 'boom' },
    ]);
  });

  it('lists every dependency still waiting, and a review by others wins over waiting', () => {
    const context = missionContext({
      WP01: { lane: 'planned', deps: ['WP02', 'WP03'] },
      WP02: { lane: 'blocked' },
      WP03: { lane: 'canceled' },
      WP04: { lane: 'in_review', deps: ['WP02'] },
    });
    expect(stalledWps(context)).toEqual([
      { wpId: 'WP01', lane: 'planned', reason: 'waiting for WP02 (blocked), WP03 (canceled)' },
      {
        wpId: 'WP04',
        lane: 'in_review',
        reason: 'in review by another actor (not claimed by this orchestrator)',
      },
    ]);
  });

  it('a result without reason or error says how it ended; a lane we do not drive says so', () => {
    const context = missionContext(
      { WP01: { lane: 'claimed' }, WP02: { lane: 'planned', deps: [] } },
      { results: { WP01: wpOutput('WP01', { lane: 'claimed', outcome: 'failed' }) } },
    );
    expect(stalledWps(context)).toEqual([
      { wpId: 'WP01', lane: 'claimed', reason: 'ended failed in this run' },
      { wpId: 'WP02', lane: 'planned', reason: 'lane planned is not driven by the orchestrator' },
    ]);
  });
});

describe('problemSummary', () => {
  it('one clause per WP not done, including terminal ones', () => {
    const context = missionContext({
      WP01: { lane: 'done' },
      WP02: { lane: 'blocked' },
      WP03: { lane: 'planned', deps: ['WP02'] },
    });
    expect(problemSummary(context)).toBe(
      'WP02 blocked: already blocked before this run; WP03 planned: waiting for WP02 (blocked)',
    );
  });

  it('says so when every WP is done', () => {
    expect(problemSummary(missionContext({ WP01: { lane: 'done' } }))).toBe('every WP is done');
  });
});
