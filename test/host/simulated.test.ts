/** Fast in-process tests of the simulated host's guards, through the HostTransport. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostTransport } from '../../src/host/api.js';
import { HostClient } from '../../src/host/client.js';
import { COMMAND_DATA, envelopeSchema, errorData, type HostCommand } from '../../src/host/schemas.js';
import { createSimulatedMission } from '../../src/host/simulated/create-mission.js';
import { runSimulatedHost } from '../../src/host/simulated/host.js';
import { createSimulatedTransport } from '../../src/host/simulated/transport.js';
import { readSimulatedLaneEvents } from '../support/real-mission.js';
import { createTempRepo, git, type TempRepo } from '../support/temp-repo.js';
import { POLICY } from './conformance-steps.js';

const M = ['--mission', '001-demo'];
const approved = JSON.stringify({ reviewer: 'rev', verdict: 'approved', reference: 'r-1' });

let repo: TempRepo;
let host: HostTransport;

beforeEach(async () => {
  repo = createTempRepo('sko-sim-');
  git(repo.root, 'checkout', '-q', '-b', 'e2e/orchestrator');
  await createSimulatedMission(repo.root, {
    slug: '001-demo',
    title: 'Demo',
    workPackages: [
      { id: 'WP01', title: 'One', subtasks: ['T001', 'T002'] },
      { id: 'WP02', title: 'Two', dependencies: ['WP01'], subtasks: ['T003'] },
      { id: 'WP03', title: 'Three', subtasks: [] },
      { id: 'WP04', title: 'Four', subtasks: [] },
      { id: 'WP05', title: 'Five', subtasks: [] },
    ],
  });
  host = createSimulatedTransport({ repoRoot: repo.root });
});

afterEach(() => repo.cleanup());

interface Called {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  success: boolean;
  errorCode: string | null;
  data: Record<string, unknown>;
}

/** Calls the simulator and checks the envelope against the contract schemas. */
async function call(...args: string[]): Promise<Called> {
  const raw = await host.run(args);
  const envelope = envelopeSchema.parse(JSON.parse(raw.stdout));
  if (envelope.success) {
    const schema = COMMAND_DATA[args[0] as HostCommand];
    expect(schema.safeParse(envelope.data).success, raw.stdout).toBe(true);
  } else {
    expect(errorData.safeParse(envelope.data).success, raw.stdout).toBe(true);
  }
  return {
    ...raw,
    success: envelope.success,
    errorCode: envelope.error_code,
    data: envelope.data as Record<string, unknown>,
  };
}

async function startWp01(actor = 'impl'): Promise<Called> {
  return call('start-implementation', ...M, '--wp', 'WP01', '--actor', actor, '--policy', POLICY);
}

async function commitInWorktree(workspace: string, file = 'work.txt'): Promise<void> {
  writeFileSync(path.join(workspace, file), `${file}\n`);
  git(workspace, 'add', file);
  git(workspace, 'commit', '-q', '-m', `work on ${file}`);
}

async function markDone(cwd: string, ...ids: string[]) {
  return runSimulatedHost(
    ['agent', 'tasks', 'mark-status', ...ids, '--status', 'done', '--mission', '001-demo', '--json'],
    {
      cwd,
      env: {},
    },
  );
}

describe('mission selection and arguments', () => {
  it('needs the exact mission slug', async () => {
    expect((await call('mission-state', '--mission', 'demo')).errorCode).toBe('MISSION_NOT_FOUND');
    const state = await call('mission-state', ...M);
    expect(state.data.mission_number).toBe(1);
    expect(state.data.work_packages).toContainEqual({
      wp_id: 'WP02',
      lane: 'planned',
      dependencies: ['WP01'],
      last_actor: null,
    });
  });

  it('answers unknown options and missing options with USAGE_ERROR and exit 2', async () => {
    const unknown = await call('mission-state', ...M, '--bogus');
    expect([unknown.exitCode, unknown.errorCode, unknown.data.message]).toEqual([
      2,
      'USAGE_ERROR',
      'No such option: --bogus',
    ]);
    const missing = await call('mission-state');
    expect([missing.exitCode, missing.errorCode]).toEqual([2, 'USAGE_ERROR']);
    expect((await call('no-such-verb')).errorCode).toBe('USAGE_ERROR');
  });

  it('crashes on an unknown lane like the real host: traceback on stderr, nothing on stdout', async () => {
    const raw = await host.run(['transition', ...M, '--wp', 'WP01', '--to', 'bogus', '--actor', 'a']);
    expect(raw).toMatchObject({ stdout: '', exitCode: 1 });
    expect(raw.stderr).toMatch(/ValueError: Unknown lane: 'bogus'/);
  });

  it('lists only planned WPs whose dependencies are done', async () => {
    const ready = await call('list-ready', ...M);
    expect((ready.data.ready_work_packages as { wp_id: string }[]).map((wp) => wp.wp_id)).toEqual([
      'WP01',
      'WP03',
      'WP04',
      'WP05',
    ]);
  });
});

/** What spec-kitty-cli 3.2.7 answered for a mission made from a MissionSpec (real-mission.ts). */
const REAL_DESIGN_STATUS = JSON.parse(
  readFileSync(
    path.resolve(import.meta.dirname, '../../fixtures/host-envelopes/design_status_no_decisions_3.2.7.json'),
    'utf8',
  ),
) as { contract_version: string; command: string; data: Record<string, unknown> };

describe('design-status', () => {
  it('answers like the real 3.2.7 host for a mission with no open decisions', async () => {
    const status = await call('design-status', ...M);
    expect(status.exitCode).toBe(0);
    const envelope = JSON.parse(status.stdout) as Record<string, unknown>;
    expect([envelope.contract_version, envelope.command]).toEqual([
      REAL_DESIGN_STATUS.contract_version,
      REAL_DESIGN_STATUS.command,
    ]);
    // Same fields, same values: only this mission's identity differs from the recorded one.
    expect(status.data).toEqual({ ...REAL_DESIGN_STATUS.data, mission_slug: '001-demo', mission_number: 1 });
    expect(status.data).toMatchObject({ current_phase: 'specify', next_action: 'plan', open_decisions: [] });
  });

  it('is a read: no lane event, and the orchestrator client reads it without an error', async () => {
    const before = readSimulatedLaneEvents(repo.root, '001-demo');
    const client = new HostClient(host);
    await expect(client.designStatus({ mission: '001-demo' })).resolves.toMatchObject({
      mission_slug: '001-demo',
      open_decisions: [],
    });
    expect(readSimulatedLaneEvents(repo.root, '001-demo')).toEqual(before);
  });

  it('refuses an unknown mission with MISSION_NOT_FOUND and a missing --mission with USAGE_ERROR', async () => {
    const unknown = await call('design-status', '--mission', 'no-such-mission');
    expect([unknown.exitCode, unknown.errorCode, unknown.data.message]).toEqual([
      1,
      'MISSION_NOT_FOUND',
      "Mission 'no-such-mission' not found in kitty-specs/",
    ]);
    const missing = await call('design-status');
    expect([missing.exitCode, missing.errorCode, missing.data.message]).toEqual([
      2,
      'USAGE_ERROR',
      "Missing option '--mission'.",
    ]);
  });
});

describe('policy', () => {
  it('is required on run-affecting commands and validated like the host', async () => {
    expect((await call('start-implementation', ...M, '--wp', 'WP01', '--actor', 'a')).errorCode).toBe(
      'POLICY_METADATA_REQUIRED',
    );
    const monkey = POLICY.replace('workspace_write', 'monkey');
    expect(
      (await call('start-implementation', ...M, '--wp', 'WP01', '--actor', 'a', '--policy', monkey))
        .errorCode,
    ).toBe('POLICY_VALIDATION_FAILED');
    const banned = POLICY.replace('"dangerous_flags":[]', '"dangerous_flags":["--yolo"]');
    expect(
      (await call('start-implementation', ...M, '--wp', 'WP01', '--actor', 'a', '--policy', banned))
        .errorCode,
    ).toBe('POLICY_VALIDATION_FAILED');
    expect(
      (await call('start-implementation', ...M, '--wp', 'WP01', '--actor', 'a', '--policy', '{}')).errorCode,
    ).toBe('POLICY_VALIDATION_FAILED');
    // Policy is checked before the mission, as on the host.
    expect((await call('start-review', '--mission', 'nope', '--wp', 'WP01', '--actor', 'a')).errorCode).toBe(
      'POLICY_METADATA_REQUIRED',
    );
    // planned/done/blocked/canceled do not need it.
    expect((await call('transition', ...M, '--wp', 'WP01', '--to', 'canceled', '--actor', 'a')).success).toBe(
      true,
    );
  });
});

describe('start-implementation', () => {
  it('claims, allocates a real lane worktree, and is a no-op for the same actor', async () => {
    const started = await startWp01();
    expect(started.data).toMatchObject({
      from_lane: 'planned',
      to_lane: 'in_progress',
      no_op: false,
      lane_id: 'lane-a',
      lane_branch: 'kitty/mission-001-demo-lane-a',
      lane_base_ref: 'e2e/orchestrator',
      workspace_path: path.join(repo.root, '.worktrees', '001-demo-lane-a'),
    });
    expect(git(String(started.data.workspace_path), 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(
      'kitty/mission-001-demo-lane-a',
    );
    expect(readFileSync(String(started.data.prompt_path), 'utf8')).toMatch(/subtasks:\n\s+- T001\n\s+- T002/);
    const again = await startWp01();
    expect(again.data).toMatchObject({ from_lane: 'in_progress', to_lane: 'in_progress', no_op: true });
    const other = await startWp01('intruder');
    expect(other.errorCode).toBe('WP_ALREADY_CLAIMED');
    expect(other.data).toMatchObject({ claimed_by: 'impl', requesting_actor: 'intruder' });
    expect(
      readSimulatedLaneEvents(repo.root, '001-demo')
        .filter((e) => e.wp_id === 'WP01')
        .map((e) => e.to_lane),
    ).toEqual(['planned', 'claimed', 'in_progress']);
  });

  it('refuses a WP whose dependencies are not done', async () => {
    const refused = await call(
      'start-implementation',
      ...M,
      '--wp',
      'WP02',
      '--actor',
      'a',
      '--policy',
      POLICY,
    );
    expect(refused.errorCode).toBe('DEPENDENCIES_NOT_SATISFIED');
    expect(refused.data.unsatisfied_dependencies).toEqual(['WP01']);
  });

  it('serializes concurrent calls: four WPs at once all start, one WP twice has one winner', async () => {
    const many = await Promise.all(
      ['WP01', 'WP03', 'WP04', 'WP05'].map((wp) =>
        call('start-implementation', ...M, '--wp', wp, '--actor', 'impl', '--policy', POLICY),
      ),
    );
    expect(many.map((result) => result.success)).toEqual([true, true, true, true]);
    const state = await call('mission-state', ...M);
    expect((state.data.summary as Record<string, number>).in_progress).toBe(4);

    const raced = await Promise.all(
      ['a', 'b'].map((actor) =>
        call('transition', ...M, '--wp', 'WP02', '--to', 'canceled', '--actor', actor),
      ),
    );
    expect(raced.map((result) => result.success).sort()).toEqual([false, true]);
    const lines = readFileSync(path.join(repo.root, '.kittify/simulated-host/001-demo.events.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.every((line) => JSON.parse(line) !== null)).toBe(true);
  });
});

describe('the for_review handoff', () => {
  it('needs a lane commit, then every subtask done (a hint does not bypass it), or force with a note', async () => {
    const workspace = String((await startWp01()).data.workspace_path);
    const toReview = (...extra: string[]) =>
      call(
        'transition',
        ...M,
        '--wp',
        'WP01',
        '--to',
        'for_review',
        '--actor',
        'impl',
        '--policy',
        POLICY,
        ...extra,
      );

    const noCommit = await toReview();
    expect([noCommit.errorCode, noCommit.data.message]).toEqual([
      'TRANSITION_REJECTED',
      expect.stringMatching(/no implementation commit/),
    ]);
    await commitInWorktree(workspace);
    const openSubtasks = await toReview('--subtasks-complete');
    expect(openSubtasks.data.message).toMatch(/requires completed subtasks/);
    expect((await toReview('--force')).data.message).toBe('Force transitions require actor and reason');

    const marked = await markDone(workspace, 'T001', 'T002', 'T999');
    expect(marked.exitCode).toBe(1);
    expect(JSON.parse(marked.stdout).summary).toEqual({ updated: 2, already_satisfied: 0, not_found: 1 });
    expect((await toReview()).success).toBe(true);
  });

  it('lets force with a note skip both guards', async () => {
    await startWp01();
    const forced = await call(
      'transition',
      ...M,
      '--wp',
      'WP01',
      '--to',
      'for_review',
      '--actor',
      'impl',
      '--policy',
      POLICY,
      '--force',
      '--note',
      'recovery',
    );
    expect(forced.success).toBe(true);
    expect(readSimulatedLaneEvents(repo.root, '001-demo').at(-1)).toEqual({
      wp_id: 'WP01',
      from_lane: 'in_progress',
      to_lane: 'for_review',
      force: true,
      reason: 'recovery',
    });
  });

  it('answers mark-status for an unknown mission on stderr with exit 2', async () => {
    const result = await runSimulatedHost(
      ['agent', 'tasks', 'mark-status', 'T001', '--status', 'done', '--mission', 'nope', '--json'],
      {
        cwd: repo.root,
      },
    );
    expect([result.exitCode, result.stdout]).toEqual([2, '']);
    expect(JSON.parse(result.stderr)).toEqual({ error: 'mission_not_found', handle: 'nope' });
  });
});

describe('review', () => {
  async function wp01InReview(): Promise<void> {
    const workspace = String((await startWp01()).data.workspace_path);
    await commitInWorktree(workspace);
    await markDone(workspace, 'T001', 'T002');
    await call(
      'transition',
      ...M,
      '--wp',
      'WP01',
      '--to',
      'for_review',
      '--actor',
      'impl',
      '--policy',
      POLICY,
    );
    expect(
      (await call('start-review', ...M, '--wp', 'WP01', '--actor', 'rev', '--policy', POLICY)).success,
    ).toBe(true);
  }

  it('needs a structured review result to leave in_review, and an approval to reach done', async () => {
    await wp01InReview();
    const leave = (to: string, ...extra: string[]) =>
      call('transition', ...M, '--wp', 'WP01', '--to', to, '--actor', 'rev', ...extra);
    expect((await leave('done')).data.message).toMatch(/requires review_result/);
    const badJson = await leave('done', '--review-result-json', '{nope');
    expect([badJson.errorCode, badJson.exitCode]).toEqual(['USAGE_ERROR', 1]);
    const badVerdict = await leave(
      'done',
      '--review-result-json',
      JSON.stringify({ reviewer: 'r', verdict: 'meh', reference: 'x' }),
    );
    expect(badVerdict.errorCode).toBe('USAGE_ERROR');
    const notApproved = JSON.stringify({ reviewer: 'rev', verdict: 'changes_requested', reference: 'r-0' });
    expect((await leave('done', '--review-result-json', notApproved)).errorCode).toBe('TRANSITION_REJECTED');
    const mismatch = await leave(
      'done',
      '--review-result-json',
      approved,
      '--evidence-json',
      JSON.stringify({ review: { reviewer: 'x', verdict: 'approved', reference: 'r-1' } }),
    );
    expect(mismatch.data.message).toBe('Review evidence must match review_result');
    const done = await leave(
      'done',
      '--review-result-json',
      approved,
      '--evidence-json',
      JSON.stringify({ review: JSON.parse(approved) }),
    );
    expect(done.data).toMatchObject({
      from_lane: 'in_review',
      to_lane: 'done',
      policy_metadata_recorded: false,
    });
    expect((await leave('in_progress', '--policy', POLICY)).data.message).toBe(
      'Illegal transition: done -> in_progress',
    );
  });

  it('sends a WP back for rework with changes_requested; the reviewer then holds the claim', async () => {
    await wp01InReview();
    const rework = await call(
      'transition',
      ...M,
      '--wp',
      'WP01',
      '--to',
      'in_progress',
      '--actor',
      'rev',
      '--policy',
      POLICY,
      '--review-result-json',
      JSON.stringify({ reviewer: 'rev', verdict: 'changes_requested', reference: 'r-0' }),
    );
    expect(rework.success).toBe(true);
    expect((await startWp01()).errorCode).toBe('WP_ALREADY_CLAIMED');
  });

  it('accepts the mission only when every WP is approved or done', async () => {
    const early = await call('accept-mission', ...M, '--actor', 'o');
    expect(early.errorCode).toBe('MISSION_NOT_READY');
    expect(early.data.incomplete_wps).toEqual(['WP01', 'WP02', 'WP03', 'WP04', 'WP05']);
  });
});

describe('dependent lanes and merge', () => {
  it("starts a dependent WP's lane from its dependency's lane tip and merges the mission", async () => {
    const workspace = String((await startWp01()).data.workspace_path);
    await commitInWorktree(workspace, 'wp01.txt');
    await markDone(workspace, 'T001', 'T002');
    await call(
      'transition',
      ...M,
      '--wp',
      'WP01',
      '--to',
      'for_review',
      '--actor',
      'impl',
      '--policy',
      POLICY,
    );
    await call('start-review', ...M, '--wp', 'WP01', '--actor', 'rev', '--policy', POLICY);
    await call(
      'transition',
      ...M,
      '--wp',
      'WP01',
      '--to',
      'done',
      '--actor',
      'rev',
      '--review-result-json',
      approved,
    );

    const wp02 = await call(
      'start-implementation',
      ...M,
      '--wp',
      'WP02',
      '--actor',
      'impl',
      '--policy',
      POLICY,
    );
    expect(wp02.data.lane_branch).toBe('kitty/mission-001-demo-lane-b');
    expect(existsSync(path.join(String(wp02.data.workspace_path), 'wp01.txt'))).toBe(true);
    await commitInWorktree(String(wp02.data.workspace_path), 'wp02.txt');

    expect((await call('merge-mission', ...M, '--strategy', 'octopus')).errorCode).toBe(
      'UNSUPPORTED_STRATEGY',
    );
    const merged = await call('merge-mission', ...M);
    expect(merged.data).toMatchObject({ merged: true, target_branch: 'e2e/orchestrator', strategy: 'merge' });
    expect(existsSync(path.join(repo.root, 'wp01.txt')) && existsSync(path.join(repo.root, 'wp02.txt'))).toBe(
      true,
    );
    expect(git(repo.root, 'branch', '--list', 'kitty/*')).toBe('');
  });
});
