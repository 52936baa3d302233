/**
 * The pure restore step and the one reader of saved snapshots: a run state file that the previous
 * format really wrote (test/persistence/fixtures/run-state-format1.json: the demo killed with two
 * WPs implementing and WP01 done) migrates, checks out against the machines and is made safe;
 * snapshots this build cannot map are named, never restored half-way; and the lane a restored WP
 * reads decides whether its step is done again.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRunState, RUN_STATE_FORMAT_VERSION } from '../../src/actors/persistence/index.js';
import { readSavedSnapshot, restorePlan } from '../../src/cli/runtime/saved-run.js';
import type { MissionConfig } from '../../src/machines/mission/types.js';
import { makeRestoreSafe, makeWpRestoreSafe } from '../../src/machines/restore/make-restore-safe.js';
import { SNAPSHOT_FORMAT } from '../../src/machines/restore/migrations.js';
import {
  type PersistedMission,
  type PersistedWp,
  readPersistedMission,
} from '../../src/machines/restore/persisted-run.js';
import { restoredHostLane } from '../../src/machines/wp/updates.js';

const FIXTURE = new URL('../persistence/fixtures/run-state-format1.json', import.meta.url);

function format1State() {
  const parsed = parseRunState('run-state-format1.json', readFileSync(FIXTURE, 'utf8'));
  if (parsed.kind !== 'ok') throw new Error('the fixture no longer parses');
  return parsed.state;
}

function readFixture(): PersistedMission {
  const read = readSavedSnapshot(format1State());
  if (!read.ok) throw new Error(read.problem);
  return read.mission;
}

function wpOf(mission: PersistedMission, wpId: string): PersistedWp {
  const child = mission.children[wpId];
  if (!child) throw new Error(`no child ${wpId}`);
  return child.snapshot as PersistedWp;
}

const session = (config: MissionConfig) => ({ actor: 'resumer', policy: '{"resumed":true}', config });

describe('saved snapshots of format 1', () => {
  it('is the format before this one', () => {
    expect(SNAPSHOT_FORMAT).toBe(RUN_STATE_FORMAT_VERSION);
    expect(format1State().formatVersion).toBe(1);
  });

  it('migrate: carried is dropped, every WP gets lastStartNote, everything else is kept', () => {
    const raw = format1State().snapshot as unknown as PersistedMission;
    expect(raw.context).toHaveProperty('carried');
    const mission = readFixture();
    expect(mission.context).not.toHaveProperty('carried');
    expect(Object.keys(mission.context.results)).toEqual(['WP01']);
    for (const wp of ['WP02', 'WP03']) {
      const child = wpOf(mission, wp);
      expect(child.context.lastStartNote).toBeNull();
      expect(child.context.implementation).toEqual(wpOf(raw, wp).context.implementation);
    }
  });

  it('are made safe: implementing WPs read their lane first, session facts replace saved ones', () => {
    const mission = readFixture();
    const config = {
      ...mission.context.config,
      agents: { implementation: ['codex' as const], review: ['codex' as const] },
    };
    const result = restorePlan(format1State(), session(config));
    if (!result.ok) throw new Error(result.problem);
    const { plan } = result;
    expect(plan.reconciled).toEqual([
      { wpId: 'WP02', step: 'inProgress.implementing' },
      { wpId: 'WP03', step: 'inProgress.implementing' },
    ]);
    // The mission itself comes back as saved: its poll timer keeps its deadline.
    expect(plan.mission.value).toEqual({ running: { scheduler: 'supervising', poller: 'waiting' } });
    expect(plan.mission.children.pollTimer).toEqual(mission.children.pollTimer);
    const wp02 = plan.mission.children.WP02?.snapshot as PersistedWp;
    expect(wp02.value).toEqual({ flow: 'restoring', notes: 'idle' });
    expect(wp02.context.resumeStep).toBe('inProgress.implementing');
    expect(Object.keys(wp02.children)).toEqual(['restoreLane']);
    expect(wp02.children.restoreLane).toMatchObject({
      src: 'hostWpLane',
      snapshot: { status: 'active', input: { mission: '001-demo-greeter', wp: 'WP02' } },
    });
    expect(wp02.context).toMatchObject({ actor: 'resumer', policy: '{"resumed":true}' });
    expect(wp02.context.config.agents.implementation).toEqual(['codex']);
    // Other agents chosen: that role starts again from the first of them.
    expect(wp02.context.implementation).toMatchObject({ agentIndex: 0, attempt: 1 });
    expect(plan.mission.context.actor).toBe('resumer');
  });
});

describe('the mission actor', () => {
  it('saved while accepting: comes back accepting (the host accepts an all-done mission again)', () => {
    const accept = { snapshot: { status: 'active' as const, input: {} }, src: 'hostAcceptMission' };
    const saved = { ...readFixture(), value: 'accepting', children: { accept } };
    const result = makeRestoreSafe(saved, session(saved.context.config));
    if (!result.ok) throw new Error(result.problem);
    expect(result.plan.mission.value).toBe('accepting');
    expect(result.plan.mission.children).toEqual({ accept });
  });

  it('with a finished WP child not yet folded in: folds its output and polls at once to wake the scheduler', () => {
    const saved = readFixture();
    const wp03 = wpOf(saved, 'WP03');
    const output = { ...(saved.context.results.WP01 as object), wpId: 'WP03' };
    const child = saved.children.WP03 as PersistedMission['children'][string];
    saved.children.WP03 = { ...child, snapshot: { ...wp03, status: 'done', output } as PersistedWp };
    const result = makeRestoreSafe(saved, session(saved.context.config));
    if (!result.ok) throw new Error(result.problem);
    expect(result.plan.folded).toEqual(['WP03']);
    expect(result.plan.mission.context.results.WP03).toEqual(output);
    expect(result.plan.mission.context.inFlight).not.toContain('WP03');
    expect(Object.keys(result.plan.mission.children).sort()).toEqual(['WP02', 'poll']);
    expect(result.plan.mission.value).toEqual({ running: { scheduler: 'supervising', poller: 'polling' } });
  });
});

describe('snapshots this build cannot restore', () => {
  it('names a state the machines do not have', () => {
    const raw = structuredClone(readFixture()) as PersistedMission;
    (raw.children.WP02?.snapshot as PersistedWp).value = { flow: 'waitingForApproval', notes: 'idle' };
    const read = readPersistedMission(raw);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem).toMatch(/^WP WP02: .*waitingForApproval/);
  });

  it('names the context fields the machine needs and the snapshot lacks', () => {
    const raw = structuredClone(readFixture()) as PersistedMission;
    const wp = raw.children.WP03?.snapshot as PersistedWp;
    delete (wp.context as Partial<typeof wp.context>).reviewCycle;
    const read = readPersistedMission(raw);
    expect(read).toEqual({ ok: false, problem: 'WP WP03: its context lacks reviewCycle' });
  });

  it('refuses a newer format and a mission actor that had ended', () => {
    const state = { ...format1State(), formatVersion: 3 as never };
    expect(readSavedSnapshot(state)).toMatchObject({ ok: false, problem: expect.stringContaining('newer') });
    const ended = { ...readFixture(), status: 'done' as const };
    const result = makeRestoreSafe(ended, session(ended.context.config));
    expect(result).toMatchObject({ ok: false, problem: expect.stringContaining('already ended') });
  });
});

describe('WP steps', () => {
  const wp = (): PersistedWp => wpOf(readFixture(), 'WP02');

  it('a read, a local step or a wait is restored as it is (its invoke runs again)', () => {
    for (const [step, value] of [
      ['inProgress.committing', { inProgress: 'committing' }],
      ['inProgress.retryWait', { inProgress: 'retryWait' }],
      ['reconciling', 'reconciling'],
    ] as const) {
      const saved = { ...wp(), value: { flow: value, notes: 'idle' } };
      const safe = makeWpRestoreSafe('WP02', saved);
      expect(safe).toMatchObject({ ok: true, rerunAt: step });
      if (safe.ok) expect(safe.wp).toEqual(saved);
    }
  });

  it('a finished flow is left alone; an unknown step is named', () => {
    const done = { ...wp(), value: { flow: 'done', notes: 'writing' } };
    expect(makeWpRestoreSafe('WP02', done)).toEqual({ ok: true, wp: done });
    const odd = { ...wp(), value: { flow: 'routing', notes: 'idle' } };
    expect(makeWpRestoreSafe('WP02', odd)).toEqual({
      ok: false,
      problem: 'WP WP02: step routing cannot be restored',
    });
  });
});

describe('the lane a restored WP reads', () => {
  const context = () => wpOf(readFixture(), 'WP02').context;
  const AT = 1_800_000_000_000;

  it('unchanged: the step is done again (a start-review gives back the cycle its entry counts again)', () => {
    const base = { ...context(), lane: 'for_review' as const, reviewCycle: 2 };
    const update = restoredHostLane({ ...base, resumeStep: 'forReview.claimingReview' }, 'for_review', AT);
    expect(update).toMatchObject({
      resumeStep: 'forReview.claimingReview',
      reviewCycle: 1,
      lane: 'for_review',
    });
    const implementing = restoredHostLane(
      { ...context(), resumeStep: 'inProgress.implementing' },
      'in_progress',
      AT,
    );
    expect(implementing).toMatchObject({ resumeStep: 'inProgress.implementing' });
    expect(implementing).not.toHaveProperty('reviewCycle');
  });

  it('moved: a start-review that took effect goes on into the review; anything else routes from the lane', () => {
    const claimed = restoredHostLane(
      { ...context(), lane: 'for_review', reviewCycle: 1, resumeStep: 'forReview.claimingReview' },
      'in_review',
      AT,
    );
    expect(claimed).toMatchObject({ resumeStep: 'inReview', lane: 'in_review', entryLane: 'in_review' });
    expect(claimed).not.toHaveProperty('reviewCycle');
    const submitted = restoredHostLane({ ...context(), resumeStep: 'submitting' }, 'for_review', AT);
    expect(submitted).toMatchObject({ resumeStep: null, lane: 'for_review' });
  });

  it('a rework request that took effect starts the new implementation phase', () => {
    const saved = {
      ...context(),
      lane: 'in_review' as const,
      baseHead: 'abc',
      implementation: {
        agentIndex: 1,
        attempt: 2,
        agentsTried: ['claude-code' as const, 'codex' as const],
        runs: 3,
      },
      resumeStep: 'requestingChanges',
    };
    const update = restoredHostLane(saved, 'in_progress', AT);
    expect(update).toMatchObject({
      resumeStep: null,
      baseHead: null,
      implementation: { agentIndex: 1, attempt: 1, agentsTried: ['claude-code', 'codex'], runs: 3 },
    });
  });
});
