/**
 * `resume` after a SIGKILL, from each lane a WP can be left in: claimed, in_progress (with the
 * killed agent's partial edits on disk), for_review and in_review. The built CLI as a subprocess;
 * the simulated host executable for speed, and the REAL host for the in_progress case, whose
 * start-implementation refuses a worktree with uncommitted changes (measured:
 * LANE_ALLOCATION_FAILED), so the resumed actor must not call it again.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostClient } from '../../src/host/client.js';
import { createExecTransport } from '../../src/host/exec-transport.js';
import { buildPolicy, serializePolicy } from '../../src/host/policy.js';
import { expectExit } from '../cli-e2e/support/assertions.js';
import {
  assertCliBuilt,
  describeRun,
  killStrayClis,
  type RunningCli,
  runCli,
  startCli,
} from '../cli-e2e/support/cli.js';
import {
  fakeInvocations,
  hostMissionState,
  laneSequences,
  lanesOf,
  liveAgentPids,
  readRunStateJson,
  waitFor,
} from '../cli-e2e/support/inspect.js';
import {
  type CliProject,
  createCliProject,
  type FakeScenario,
  type HostKind,
  TEST_CONFIG,
  twoWpMission,
  workPackage,
} from '../cli-e2e/support/project.js';
import { GIT_TEST_ENV } from '../support/temp-repo.js';

const APPROVED_PATH = [
  'planned>claimed',
  'claimed>in_progress',
  'in_progress>for_review',
  'for_review>in_review',
  'in_review>done',
];

const projects: CliProject[] = [];
beforeAll(assertCliBuilt);
afterEach(killStrayClis);
afterAll(() => {
  for (const project of projects) project.cleanup();
});

async function project(
  host: HostKind,
  slug: string,
  scenario: FakeScenario,
  mission = twoWpMission(slug),
): Promise<CliProject> {
  const created = await createCliProject({ host, mission, scenario });
  projects.push(created);
  return created;
}

function hostClient(p: CliProject): HostClient {
  return new HostClient(createExecTransport({ repoRoot: p.root, hostBin: p.env.SPEC_KITTY_BIN, env: p.env }));
}

/** Starts `orchestrate`, waits until `role` of WP01 hangs in its agent, then SIGKILLs the CLI. */
async function killWhileHanging(p: CliProject, role: 'implementation' | 'review'): Promise<void> {
  const run: RunningCli = startCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: p.env });
  const stillRunning = () => run.child.exitCode === null && run.child.signalCode === null;
  await waitFor(
    () =>
      fakeInvocations(p).some((call) => call.wp === 'WP01' && call.role === role && call.action === 'hang'),
    { what: `WP01's ${role} agent started`, stillRunning },
  );
  await waitFor(() => liveAgentPids(p).length > 0 && readRunStateJson(p.root)?.status === 'running', {
    what: 'the agent is alive and the run state saved',
    stillRunning,
  });
  run.signal('SIGKILL');
  const killed = await run.done;
  expect(killed.signal, describeRun(killed)).toBe('SIGKILL');
  // SIGKILL skips every exit hook: the agent outlives the orchestrator until resume reaps it.
  expect(liveAgentPids(p).length).toBeGreaterThan(0);
}

/** `resume` to the end: exit 0, every WP done, the orphan agent reaped, nothing left running. */
async function resumeToDone(p: CliProject): Promise<string> {
  p.writeScenario({});
  const resumed = await runCli(['resume'], { cwd: p.root, env: p.env });
  expectExit(resumed, 0);
  expect(resumed.stderr, describeRun(resumed)).toMatch(/left running by an earlier run/);
  expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'done', WP02: 'done' });
  expect(readRunStateJson(p.root)?.status).toBe('completed');
  expect(liveAgentPids(p)).toEqual([]);
  return resumed.stderr;
}

function partialEdit(workspace: string): string {
  const file = path.join(workspace, 'partial-edit.txt');
  writeFileSync(file, 'written by the agent before the crash\n');
  return file;
}

function laneFiles(p: CliProject, branch: string): string[] {
  return execFileSync('git', ['ls-tree', '-r', '--name-only', branch], {
    cwd: p.root,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_TEST_ENV },
  })
    .split('\n')
    .filter((line) => line !== '');
}

describe('resume after SIGKILL, from each lane', () => {
  it('in_progress with partial edits (REAL host): implemented again in the same worktree, edits kept and committed', async () => {
    const p = await project('real', '001-resume-in-progress', {
      WP01: { implementation: { action: 'hang' } },
    });
    await killWhileHanging(p, 'implementation');
    const workspace = await hostClient(p).resolveWorkspace({ mission: p.mission, wp: 'WP01' });
    partialEdit(workspace.workspace_path);
    expect(lanesOf(await hostMissionState(p)).WP01).toBe('in_progress');

    await resumeToDone(p);
    // Claimed once: the resumed actor did not call start-implementation on its own dirty worktree.
    expect(laneSequences(p).WP01).toEqual(APPROVED_PATH);
    expect(laneFiles(p, workspace.lane_branch ?? 'HEAD')).toContain('partial-edit.txt');
    expect(
      fakeInvocations(p)
        .filter((call) => call.wp === 'WP01' && call.role === 'implementation')
        .map((call) => (call as { cwd?: string }).cwd),
    ).toEqual([workspace.workspace_path, workspace.workspace_path]);
  });

  it('in_review (our review): returned to for_review (forced recovery) and reviewed again', async () => {
    const p = await project('simulated', '002-resume-in-review', { WP01: { review: { action: 'hang' } } });
    await killWhileHanging(p, 'review');
    expect(lanesOf(await hostMissionState(p)).WP01).toBe('in_review');
    await resumeToDone(p);
    expect(laneSequences(p).WP01).toEqual([
      'planned>claimed',
      'claimed>in_progress',
      'in_progress>for_review',
      'for_review>in_review',
      'in_review>for_review',
      'for_review>in_review',
      'in_review>done',
    ]);
    const forced = p.laneEvents().filter((event) => event.wp_id === 'WP01' && event.force);
    expect(forced.map((event) => `${event.from_lane}>${event.to_lane}`)).toEqual(['in_review>for_review']);
  });

  it('for_review (the submit landed after the crash): reviewed without implementing again', async () => {
    const p = await project('simulated', '003-resume-for-review', {
      WP01: { implementation: { action: 'hang' } },
    });
    await killWhileHanging(p, 'implementation');
    // The killed run's last call completes on the host after all: work committed, lane for_review.
    const host = hostClient(p);
    const workspace = await host.resolveWorkspace({ mission: p.mission, wp: 'WP01' });
    partialEdit(workspace.workspace_path);
    const env = { ...process.env, ...GIT_TEST_ENV };
    execFileSync('git', ['add', '-A'], { cwd: workspace.workspace_path, env });
    execFileSync('git', ['commit', '-q', '-m', 'feat(WP01): before the crash'], {
      cwd: workspace.workspace_path,
      env,
    });
    const markDone = [
      'agent',
      'tasks',
      'mark-status',
      'T001',
      '--status',
      'done',
      '--mission',
      p.mission,
      '--json',
    ];
    execFileSync(p.env.SPEC_KITTY_BIN ?? 'spec-kitty', markDone, {
      cwd: workspace.workspace_path,
      env: p.env,
    });
    const policy = serializePolicy(buildPolicy({ orchestrator_version: '0.1.0' }));
    const actor = String(readRunStateJson(p.root)?.actor);
    await host.transition({ mission: p.mission, wp: 'WP01', actor, to: 'for_review', policy });

    await resumeToDone(p);
    expect(laneSequences(p).WP01).toEqual(APPROVED_PATH);
    expect(
      fakeInvocations(p)
        .filter((call) => call.wp === 'WP01')
        .map((call) => `${call.role}:${call.action}`),
    ).toEqual(['implementation:hang', 'review:approve']);
  });

  it('claimed (a claim not yet turned into in_progress): started and finished', async () => {
    const independent = {
      slug: '004-resume-claimed',
      title: 'CLI e2e claimed',
      workPackages: [workPackage('WP01', 'Core module', 'T001'), workPackage('WP02', 'Side module', 'T002')],
    };
    const p = await project(
      'simulated',
      independent.slug,
      { WP01: { implementation: { action: 'hang' } } },
      independent,
    );
    // One WP at a time, so WP02 is still planned while WP01's agent hangs.
    p.writeConfig({ ...TEST_CONFIG, max_concurrent_wps: 1 });
    await killWhileHanging(p, 'implementation');
    const policy = serializePolicy(buildPolicy({ orchestrator_version: '0.1.0' }));
    const actor = String(readRunStateJson(p.root)?.actor);
    // The first half of a composite start-implementation, as a crash could leave it.
    await hostClient(p).transition({ mission: p.mission, wp: 'WP02', actor, to: 'claimed', policy });
    expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'in_progress', WP02: 'claimed' });

    await resumeToDone(p);
    expect(laneSequences(p).WP01).toEqual(APPROVED_PATH);
    expect(laneSequences(p).WP02).toEqual(APPROVED_PATH);
  });
});
