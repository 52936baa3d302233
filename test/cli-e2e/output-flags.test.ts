/**
 * The outputs a person or a tool watches, on the built CLI with the simulated host executable:
 * the JSONL event log file, the live view drawn under a real pseudo-terminal, the inspector
 * relay, and the second Ctrl-C that exits at once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectExit } from './support/assertions.js';
import { assertCliBuilt, CLI_MAIN, describeRun, killStrayClis, runCli, startCli } from './support/cli.js';
import { fakeInvocations, liveAgentPids, readRunStateJson, waitFor } from './support/inspect.js';
import { type CliProject, createCliProject, twoWpMission } from './support/project.js';

const projects: CliProject[] = [];
beforeAll(assertCliBuilt);
afterEach(killStrayClis);
afterAll(() => {
  for (const created of projects) created.cleanup();
});

async function project(...args: Parameters<typeof createCliProject>): Promise<CliProject> {
  const created = await createCliProject(...args);
  projects.push(created);
  return created;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe('--event-log', () => {
  it('appends one JSON record a line: WP states, agent runs, host calls, and the mission end', async () => {
    const p = await project({ host: 'simulated', mission: twoWpMission('001-out-event-log') });
    const log = path.join(p.root, 'events', 'run.jsonl');
    const result = await runCli(['orchestrate', '--mission', p.mission, '--event-log', log], {
      cwd: p.root,
      env: p.env,
    });
    expectExit(result, 0);
    const records = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; wp?: string; command?: string; status?: string });
    const types = new Set(records.map((record) => record.type));
    for (const type of ['wp.state', 'agent.start', 'agent.end', 'host.call', 'wp.end', 'mission.end']) {
      expect(types, `missing ${type} in ${[...types].join(', ')}`).toContain(type);
    }
    expect(
      records
        .filter((r) => r.type === 'wp.end')
        .map((r) => r.wp)
        .sort(),
    ).toEqual(['WP01', 'WP02']);
    expect(records.some((r) => r.type === 'host.call' && r.command === 'start-implementation')).toBe(true);
    expect(records.at(-1)).toMatchObject({ type: 'mission.end', status: 'completed' });
  });
});

describe('live view under a pseudo-terminal', () => {
  it('redraws one line per WP and a totals line in place', async () => {
    const p = await project({ host: 'simulated', mission: twoWpMission('002-out-tty') });
    const command = [process.execPath, CLI_MAIN, 'orchestrate', '--mission', p.mission]
      .map((word) => `'${word.replaceAll("'", "'\\''")}'`)
      .join(' ');
    // util-linux `script` gives the CLI a real PTY, as a terminal would.
    const run = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: p.root,
      env: { ...p.env, TERM: 'xterm-256color', COLUMNS: '120', LINES: '40' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const screen = run.stdout;
    // cursor movement: drawn in place, not line by line
    expect(screen).toContain(`${String.fromCharCode(27)}[`);
    expect(screen).toMatch(/WP01\s+done/);
    expect(screen).toMatch(/WP02\s+done/);
    expect(screen).toMatch(/done 2 · running 0/);
  });
});

describe('--inspect', () => {
  it('serves the inspector relay on the given port while running, prints the URL, and exits cleanly', async () => {
    const p = await project({
      host: 'simulated',
      mission: twoWpMission('003-out-inspect'),
      scenario: { '*': { implementation: { action: 'implement', sleepMs: 1500 } } },
    });
    const port = await freePort();
    const run = startCli(['orchestrate', '--mission', p.mission, '--inspect', String(port)], {
      cwd: p.root,
      env: p.env,
    });
    const stillRunning = () => run.child.exitCode === null;
    await waitFor(() => run.stderr().includes(`localhost:${port}`), {
      what: 'the inspector URL',
      stillRunning,
    });
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    const result = await run.done;
    expectExit(result, 0);
    expect(result.stderr).toMatch(/internet/i);
  });
});

describe('Ctrl-C twice', () => {
  it('the second interrupt exits at once and still leaves no agent running', async () => {
    const p = await project({
      host: 'simulated',
      mission: twoWpMission('004-out-double-ctrl-c'),
      scenario: { WP01: { implementation: { action: 'hang', stubbornChildPidFile: 'stubborn.pid' } } },
    });
    const run = startCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: p.env });
    const stillRunning = () => run.child.exitCode === null;
    await waitFor(() => fakeInvocations(p).some((call) => call.action === 'hang'), {
      what: 'the hanging agent',
      stillRunning,
    });
    await waitFor(() => liveAgentPids(p).length > 0, { what: 'a live agent', stillRunning });
    // The agent records its invocation before it starts the SIGTERM-ignoring grandchild: wait for
    // that child, or an early SIGINT finds no stubborn process and the run ends before the second.
    const hangCwd = fakeInvocations(p).find((call) => call.action === 'hang')?.cwd ?? p.root;
    await waitFor(() => existsSync(path.join(hangCwd, 'stubborn.pid')), {
      what: 'the stubborn grandchild',
      stillRunning,
    });
    run.signal('SIGINT');
    await waitFor(() => run.stderr().includes('Ctrl-C again'), {
      what: 'the first interrupt noticed',
      stillRunning,
    });
    run.signal('SIGINT');
    const result = await run.done;
    expect(result.exitCode, describeRun(result)).toBe(130);
    expect(result.stderr).toMatch(/second interrupt/);
    await waitFor(() => liveAgentPids(p).length === 0, { what: 'every agent gone' });
    expect(['interrupted', 'running']).toContain(readRunStateJson(p.root)?.status);
  });
});
