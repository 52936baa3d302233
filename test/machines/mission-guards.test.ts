/** The missionMachine's guards as plain predicates. */
import { describe, expect, it } from 'vitest';
import { MAX_POLL_ERRORS, missionGuards } from '../../src/machines/mission/guards.js';
import type { MissionEvent } from '../../src/machines/mission/types.js';
import { MISSION_CONFIG, missionContext, wpOutput } from './fixtures/mission-context.js';

const REFRESHED: MissionEvent = { type: 'STATE_REFRESHED' };

describe('missionGuards', () => {
  it('contractSupported follows the CLI start-up check', () => {
    const args = { context: missionContext(), event: REFRESHED };
    const info = (apiVersion: string) => ({ info: { apiVersion, minSupportedProviderVersion: '0' } });
    expect(missionGuards.contractSupported(args, info('1.12.0'))).toBe(true);
    expect(missionGuards.contractSupported(args, info('1.0.0'))).toBe(false);
    expect(missionGuards.contractSupported(args, info('2.0.0'))).toBe(false);
  });

  it('isWpChild: done or error events of live children', () => {
    const context = missionContext({}, { inFlight: ['WP01'] });
    const done = { type: 'xstate.done.actor.WP01', output: wpOutput('WP01') } as MissionEvent;
    const other = { type: 'xstate.done.actor.poll', output: wpOutput('x') } as MissionEvent;
    expect(missionGuards.isWpChild({ context, event: done })).toBe(true);
    expect(missionGuards.isWpChild({ context, event: other })).toBe(false);
  });

  it('isFlowEndOfLiveWp: only a WP.FLOW_ENDED of a live child', () => {
    const context = missionContext({}, { inFlight: ['WP01'] });
    const ended: MissionEvent = { type: 'WP.FLOW_ENDED', output: wpOutput('WP01') };
    const done = { type: 'xstate.done.actor.WP01', output: wpOutput('WP01') } as MissionEvent;
    expect(missionGuards.isFlowEndOfLiveWp({ context, event: ended })).toBe(true);
    expect(missionGuards.isFlowEndOfLiveWp({ context, event: done })).toBe(false);
    const gone: MissionEvent = { type: 'WP.FLOW_ENDED', output: wpOutput('WP09') };
    expect(missionGuards.isFlowEndOfLiveWp({ context, event: gone })).toBe(false);
  });

  it('hasWpsToStart and hasWpsInFlight', () => {
    const ready = missionContext({ WP01: { lane: 'planned' } });
    expect(missionGuards.hasWpsToStart({ context: ready, event: REFRESHED })).toBe(true);
    const done = missionContext({ WP01: { lane: 'done' } });
    expect(missionGuards.hasWpsToStart({ context: done, event: REFRESHED })).toBe(false);
    expect(
      missionGuards.hasWpsInFlight({ context: missionContext({}, { inFlight: ['WP01'] }), event: REFRESHED }),
    ).toBe(true);
    expect(missionGuards.hasWpsInFlight({ context: missionContext(), event: REFRESHED })).toBe(false);
  });

  it('readyToAccept needs every WP done and acceptance configured', () => {
    const done = missionContext({ WP01: { lane: 'done' } });
    expect(missionGuards.readyToAccept({ context: done, event: REFRESHED })).toBe(true);
    const noAccept = { ...done, config: { ...MISSION_CONFIG, acceptOnCompletion: false } };
    expect(missionGuards.readyToAccept({ context: noAccept, event: REFRESHED })).toBe(false);
    const open = missionContext({ WP01: { lane: 'for_review' } });
    expect(missionGuards.readyToAccept({ context: open, event: REFRESHED })).toBe(false);
    expect(missionGuards.allWpsDone({ context: done, event: REFRESHED })).toBe(true);
    expect(missionGuards.allWpsDone({ context: open, event: REFRESHED })).toBe(false);
  });

  it('needsFreshState and someWpNotTerminal', () => {
    expect(
      missionGuards.needsFreshState({ context: missionContext({}, { stateFresh: false }), event: REFRESHED }),
    ).toBe(true);
    expect(
      missionGuards.needsFreshState({ context: missionContext({}, { stateFresh: true }), event: REFRESHED }),
    ).toBe(false);
    const open = missionContext({ WP01: { lane: 'claimed' } });
    expect(missionGuards.someWpNotTerminal({ context: open, event: REFRESHED })).toBe(true);
    const closed = missionContext({ WP01: { lane: 'blocked' } });
    expect(missionGuards.someWpNotTerminal({ context: closed, event: REFRESHED })).toBe(false);
  });

  it('tooManyPollErrors counts the failing poll being handled', () => {
    const at = (pollErrors: number) => ({ context: missionContext({}, { pollErrors }), event: REFRESHED });
    expect(missionGuards.tooManyPollErrors(at(MAX_POLL_ERRORS - 2))).toBe(false);
    expect(missionGuards.tooManyPollErrors(at(MAX_POLL_ERRORS - 1))).toBe(true);
  });
});
