/**
 * Stopping and continuing runs with the built CLI: `abort` from another process, Ctrl-C, `resume`,
 * and `abort --cleanup-worktrees`. The flows run on the simulated host executable (fast); one
 * abort + resume runs on the REAL host. An agent that hangs keeps a WP in flight until the run is
 * stopped; "started" is read from the outside (the run-state file, the fake agent's own log).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanFailure, expectExit, jsonLines } from './support/assertions.js';
import {
  assertCliBuilt,
  describeRun,
  killStrayClis,
  type RunningCli,
  runCli,
  startCli,
} from './support/cli.js';
import {
  APPROVED_PATH,
  fakeInvocations,
  hostMissionState,
  laneSequences,
  lanesOf,
  liveAgentPids,
  lockFile,
  readRunStateJson,
  runStateFile,
  waitFor,
} from './support/inspect.js';
import { type CliProject, createCliProject, type HostKind, twoWpMission } from './support/project.js';

const projects: CliProject[] = [];
async function hangingProject(host: HostKind, slug: string): Promise<CliProject> {
  const created = await createCliProject({
    host,
    mission: twoWpMission(slug),
    scenario: { WP01: { implementation: { action: 'hang' } } },
  });
  projects.push(created);
  return created;
}

beforeAll(assertCliBuilt);
afterEach(killStrayClis);
afterAll(() => {
  for (const created of projects) created.cleanup();
});

/** Starts `orchestrate` and returns once the run state says running and WP01's agent hangs. */
async function startHangingRun(p: CliProject): Promise<RunningCli> {
  const run = startCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: p.env });
  const stillRunning = () => run.child.exitCode === null && run.child.signalCode === null;
  await waitFor(() => readRunStateJson(p.root)?.status === 'running', {
    what: 'the run state says running',
    stillRunning,
  });
  await waitFor(() => fakeInvocations(p).some((call) => call.wp === 'WP01' && call.action === 'hang'), {
    what: "WP01's agent started",
    stillRunning,
  });
  await waitFor(() => liveAgentPids(p).length > 0, { what: "WP01's agent is alive", stillRunning });
  return run;
}

describe('abort, resume and Ctrl-C (simulated host executable)', () => {
  it('abort stops a running orchestrator (exit 130, state aborted, agents gone); resume finishes; cleanup removes state and logs', async () => {
    const p = await hangingProject('simulated', '001-cli-abort');
    const run = await startHangingRun(p);

    // While it runs, a second orchestrator is turned away with the running one's pid.
    for (const args of [
      ['orchestrate', '--mission', p.mission],
      ['orchestrate', '--mission', p.mission, '--fresh'],
      ['resume'],
    ]) {
      const second = await runCli(args, { cwd: p.root, env: p.env });
      expectCleanFailure(second, 5, [`pid ${run.pid}`, 'another orchestrator', 'abort']);
    }
    expect(readRunStateJson(p.root)?.status).toBe('running');

    // status shows the live run, for people and for scripts.
    const status = await runCli(['status'], { cwd: p.root, env: p.env });
    expectExit(status, 0);
    expect(status.stdout, describeRun(status)).toContain(p.mission);
    expect(status.stdout, describeRun(status)).toMatch(/running/);
    expect(status.stdout, describeRun(status)).toContain('WP01');
    const statusJson = await runCli(['status', '--json'], { cwd: p.root, env: p.env });
    expectExit(statusJson, 0);
    const [statusRecord] = jsonLines(statusJson);
    expect(JSON.stringify(statusRecord), describeRun(statusJson)).toContain('"running"');

    const abort = await runCli(['abort'], { cwd: p.root, env: p.env });
    expectExit(abort, 0);
    expect(abort.stderr).toContain(`pid ${run.pid}`);
    const stopped = await run.done;
    expect(stopped.exitCode, describeRun(stopped)).toBe(130);
    expect(readRunStateJson(p.root)?.status).toBe('aborted');
    expect(liveAgentPids(p)).toEqual([]);
    expect(existsSync(lockFile(p.root))).toBe(false);
    // The host still has WP01 mid-way: abort leaves lanes alone.
    expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'in_progress', WP02: 'planned' });

    p.writeScenario({});
    const resumed = await runCli(['resume'], { cwd: p.root, env: p.env });
    expectExit(resumed, 0);
    expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'done', WP02: 'done' });
    const state = readRunStateJson(p.root);
    expect(state?.status).toBe('completed');
    // resume continued the same run, and WP01 was picked up where the host had it.
    expect(laneSequences(p)).toEqual({ WP01: APPROVED_PATH, WP02: APPROVED_PATH });
    expect(
      fakeInvocations(p)
        .filter((call) => call.wp === 'WP01' && call.role === 'implementation')
        .map((call) => call.action),
    ).toEqual(['hang', 'implement']);

    // A finished run is not "aborted" by a later abort: orchestrate may start anew without --fresh.
    const cleanup = await runCli(['abort', '--cleanup-worktrees'], { cwd: p.root, env: p.env });
    expectExit(cleanup, 0);
    const logs = path.join(p.root, '.kittify', 'logs', p.mission);
    expect(cleanup.stderr, describeRun(cleanup)).toContain(`removed ${runStateFile(p.root)}`);
    expect(cleanup.stderr, describeRun(cleanup)).toContain(`removed ${logs}`);
    expect(cleanup.stderr, describeRun(cleanup)).not.toMatch(/recorded the abort/);
    expect(existsSync(runStateFile(p.root))).toBe(false);
    expect(existsSync(logs)).toBe(false);
    // The host's worktrees are kept: they belong to spec-kitty.
    expect(readdirSync(path.join(p.root, '.worktrees')).length).toBeGreaterThan(0);

    const nothingLeft = await runCli(['resume'], { cwd: p.root, env: p.env });
    expectCleanFailure(nothingLeft, 4, ['no saved run']);
  });

  it('Ctrl-C saves the run as interrupted (exit 130); orchestrate without --fresh is refused and points to resume', async () => {
    const p = await hangingProject('simulated', '002-cli-ctrl-c');
    const run = await startHangingRun(p);

    run.signal('SIGINT');
    const stopped = await run.done;
    expect(stopped.exitCode, describeRun(stopped)).toBe(130);
    expect(readRunStateJson(p.root)?.status).toBe('interrupted');
    expect(liveAgentPids(p)).toEqual([]);
    expect(existsSync(lockFile(p.root))).toBe(false);

    const again = await runCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: p.env });
    expectCleanFailure(again, 2, ['unfinished run', 'interrupted', 'resume', '--fresh']);
    // The refusal touched nothing.
    expect(readRunStateJson(p.root)?.status).toBe('interrupted');
  });

  it('abort of a finished run keeps it finished, so a new orchestrate is not refused', async () => {
    const p = await createCliProject({ host: 'simulated', mission: twoWpMission('003-cli-finished') });
    projects.push(p);
    expectExit(await runCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: p.env }), 0);

    const abort = await runCli(['abort'], { cwd: p.root, env: p.env });
    expectExit(abort, 0);
    expect(abort.stderr, describeRun(abort)).toContain('already ended (completed)');
    expect(readRunStateJson(p.root)?.status).toBe('completed');

    const again = await runCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: p.env });
    expectExit(again, 0);
  });
});

describe('abort and resume on the real host', () => {
  it('a run aborted mid-implementation resumes to done', async () => {
    const p = await hangingProject('real', '004-cli-real-resume');
    const run = await startHangingRun(p);

    expectExit(await runCli(['abort'], { cwd: p.root, env: p.env }), 0);
    const stopped = await run.done;
    expect(stopped.exitCode, describeRun(stopped)).toBe(130);
    expect(readRunStateJson(p.root)?.status).toBe('aborted');
    expect(liveAgentPids(p)).toEqual([]);

    p.writeScenario({});
    const resumed = await runCli(['resume'], { cwd: p.root, env: p.env });
    expectExit(resumed, 0);
    expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'done', WP02: 'done' });
    expect(laneSequences(p)).toEqual({ WP01: APPROVED_PATH, WP02: APPROVED_PATH });
    expect(readRunStateJson(p.root)?.status).toBe('completed');
  });
});
