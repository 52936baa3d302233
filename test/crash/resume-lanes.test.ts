/**
 * `resume` after a SIGKILL, from each lane a WP can be left in: claimed, in_progress (with the
 * killed agent's partial edits on disk), for_review and in_review; each reaches done. The built
 * CLI as a subprocess, on the REAL host (what the issue asks for: the real host's guards decide,
 * e.g. its start-implementation refuses a worktree with uncommitted changes, measured:
 * LANE_ALLOCATION_FAILED). Each case runs on the simulated host executable too (seconds, not a
 * minute): the same assertions, so a simulated host that drifts from the real one fails here.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostClient } from '../../src/host/client.js';
import { createExecTransport } from '../../src/host/exec-transport.js';
import { parsePolicy, serializePolicy } from '../../src/host/policy.js';
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
  APPROVED_PATH,
  fakeInvocations,
  hostMissionState,
  laneSequences,
  lanesOf,
  liveAgentPids,
  processGroupOf,
  readRunStateJson,
  savedWpStep,
  waitFor,
} from '../cli-e2e/support/inspect.js';
import {
  type CliProject,
  createCliProject,
  type FakeScenario,
  type HostKind,
  TEST_CONFIG,
  workPackage,
} from '../cli-e2e/support/project.js';
import { GIT_TEST_ENV } from '../support/temp-repo.js';
import { hostWitness } from './support/witness-host.js';

const projects: CliProject[] = [];
beforeAll(assertCliBuilt);
afterEach(killStrayClis);
afterAll(() => {
  for (const project of projects) project.cleanup();
});

/**
 * One WP is enough to leave it in a lane and resume it (each real-host WP costs some 15 s of host
 * calls); the claimed case needs a second, independent WP.
 */
function oneWpMission(slug: string) {
  return { slug, title: `CLI e2e ${slug}`, workPackages: [workPackage('WP01', 'Core module', 'T001')] };
}

async function project(
  host: HostKind,
  slug: string,
  scenario: FakeScenario,
  mission = oneWpMission(slug),
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
  // The kill must find the agent's step saved: a run killed before that write (it follows the
  // agent's start by up to 250 ms) is restored at the step before, which is another test's case.
  const agentStep = role === 'implementation' ? 'inProgress.implementing' : 'inReview.reviewing';
  await waitFor(
    () =>
      liveAgentPids(p).length > 0 &&
      readRunStateJson(p.root)?.status === 'running' &&
      savedWpStep(p.root, 'WP01') === agentStep,
    { what: `the agent is alive and the run state saved at ${agentStep}`, stillRunning },
  );
  run.signal('SIGKILL');
  const killed = await run.done;
  expect(killed.signal, describeRun(killed)).toBe('SIGKILL');
  // SIGKILL skips every exit hook: the agent outlives the orchestrator until resume reaps it.
  expect(liveAgentPids(p).length).toBeGreaterThan(0);
}

/**
 * `resume` to the end: exit 0, every WP done, nothing left running, and the killed run's agent
 * reaped (reported) before the resumed run's first host call.
 */
async function resumeToDone(p: CliProject, wps: string[] = ['WP01']): Promise<string> {
  p.writeScenario({});
  const leftover = liveAgentPids(p);
  const groups = leftover.map(processGroupOf);
  const witness = hostWitness(p);
  const resumed = await runCli(['resume'], { cwd: p.root, env: witness.env(leftover) });
  expectExit(resumed, 0);
  for (const group of groups)
    expect(resumed.stderr, describeRun(resumed)).toContain(
      `process group ${group}) left running by an earlier run`,
    );
  expect(witness.overlaps()).toEqual([]);
  expect(lanesOf(await hostMissionState(p))).toEqual(Object.fromEntries(wps.map((wp) => [wp, 'done'])));
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

/** The killed run's actor and policy, from its run-state file (its host calls carried them). */
function savedIdentity(p: CliProject): { actor: string; policy: string } {
  const saved = readRunStateJson(p.root);
  return { actor: String(saved?.actor), policy: serializePolicy(parsePolicy(saved?.policy)) };
}

describe.each<HostKind>(['real', 'simulated'])('resume after SIGKILL, from each lane (%s host)', (host) => {
  it('in_progress with partial edits: implemented again in the same worktree, edits kept and committed', async () => {
    const p = await project(host, '001-resume-in-progress', {
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

  it('in_review (our review): the restored reviewer runs again in place, without a forced lane move', async () => {
    const p = await project(host, '002-resume-in-review', { WP01: { review: { action: 'hang' } } });
    await killWhileHanging(p, 'review');
    expect(lanesOf(await hostMissionState(p)).WP01).toBe('in_review');
    const stderr = await resumeToDone(p);
    expect(stderr).toContain('reading the host lane first for WP01 (inReview.reviewing)');
    expect(laneSequences(p).WP01).toEqual([
      'planned>claimed',
      'claimed>in_progress',
      'in_progress>for_review',
      'for_review>in_review',
      'in_review>done',
    ]);
    expect(p.laneEvents().filter((event) => event.wp_id === 'WP01' && event.force)).toEqual([]);
    expect(
      fakeInvocations(p)
        .filter((call) => call.wp === 'WP01')
        .map((call) => `${call.role}:${call.action}`),
    ).toEqual(['implementation:implement', 'review:hang', 'review:approve']);
  });

  it('in_review (our review), started over with --fresh: the review claim stays ours, returned to for_review (forced recovery) and reviewed again', async () => {
    const p = await project(host, '006-fresh-in-review', { WP01: { review: { action: 'hang' } } });
    await killWhileHanging(p, 'review');
    p.writeScenario({});
    const fresh = await runCli(['orchestrate', '--mission', p.mission, '--fresh'], {
      cwd: p.root,
      env: p.env,
    });
    expectExit(fresh, 0);
    expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'done' });
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
    const p = await project(host, '003-resume-for-review', {
      WP01: { implementation: { action: 'hang' } },
    });
    await killWhileHanging(p, 'implementation');
    // What the killed run would have done next, completed by its orphaned host calls: the work
    // committed on the lane, the subtask marked done, and the submit (transition for_review),
    // which SIGKILL does not stop once started. The host's guards on that move are the real ones.
    const client = hostClient(p);
    const workspace = await client.resolveWorkspace({ mission: p.mission, wp: 'WP01' });
    partialEdit(workspace.workspace_path);
    const env = { ...process.env, ...GIT_TEST_ENV };
    execFileSync('git', ['add', '-A'], { cwd: workspace.workspace_path, env });
    execFileSync('git', ['commit', '-q', '-m', 'feat(WP01): before the crash'], {
      cwd: workspace.workspace_path,
      env,
    });
    const markDone = ['agent', 'tasks', 'mark-status', 'T001', '--status', 'done'];
    execFileSync(p.env.SPEC_KITTY_BIN ?? 'spec-kitty', [...markDone, '--mission', p.mission, '--json'], {
      cwd: workspace.workspace_path,
      env: p.env,
    });
    await client.transition({
      mission: p.mission,
      wp: 'WP01',
      ...savedIdentity(p),
      to: 'for_review',
      note: 'Implementation complete',
    });
    expect(lanesOf(await hostMissionState(p)).WP01).toBe('for_review');

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
      host,
      independent.slug,
      { WP01: { implementation: { action: 'hang' } } },
      independent,
    );
    // One WP at a time, so WP02 is still planned while WP01's agent hangs.
    p.writeConfig({ ...TEST_CONFIG, max_concurrent_wps: 1 });
    await killWhileHanging(p, 'implementation');
    // Our orchestrator never stops at claimed: start-implementation moves planned -> claimed ->
    // in_progress in one host process, which a SIGKILL of the orchestrator does not stop. So a
    // WP is left claimed only when that host process itself dies between its two lane writes
    // (OOM, power cut): the first write is the host's own planned -> claimed transition, made
    // here with the saved run's actor and policy, as start-implementation makes it.
    await hostClient(p).transition({
      mission: p.mission,
      wp: 'WP02',
      ...savedIdentity(p),
      to: 'claimed',
    });
    expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'in_progress', WP02: 'claimed' });

    await resumeToDone(p, ['WP01', 'WP02']);
    expect(laneSequences(p).WP01).toEqual(APPROVED_PATH);
    expect(laneSequences(p).WP02).toEqual(APPROVED_PATH);
  });
});

describe('orchestrate --fresh after SIGKILL', () => {
  it('stops the killed run agents before its first host call, then drives the mission to done', async () => {
    const p = await project('simulated', '005-fresh-after-kill', {
      WP01: { implementation: { action: 'hang' } },
    });
    await killWhileHanging(p, 'implementation');
    p.writeScenario({});
    const leftover = liveAgentPids(p);
    const groups = leftover.map(processGroupOf);
    const witness = hostWitness(p);
    const fresh = await runCli(['orchestrate', '--mission', p.mission, '--fresh'], {
      cwd: p.root,
      env: witness.env(leftover),
    });
    expectExit(fresh, 0);
    for (const group of groups)
      expect(fresh.stderr, describeRun(fresh)).toContain(
        `process group ${group}) left running by an earlier run`,
      );
    expect(witness.overlaps()).toEqual([]);
    expect(lanesOf(await hostMissionState(p)).WP01).toBe('done');
    expect(liveAgentPids(p)).toEqual([]);
  });
});
