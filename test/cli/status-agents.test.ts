import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeRunStateAtomic } from '../../src/actors/persistence/index.js';
import { runCli } from '../../src/cli/main.js';
import { createSimWorld, type SimWorld } from '../machines/support/sim-world.js';
import { createRealMission } from '../support/real-mission.js';
import {
  createTempRepo,
  GIT_TEST_ENV,
  git,
  hostTestEnv,
  realHostBin,
  type TempRepo,
} from '../support/temp-repo.js';
import { runStateAround, snapshotWithWpInFlight } from './output/support/in-flight-snapshot.js';

const AGENT_BIN = path.resolve(import.meta.dirname, '../../fixtures/agents/bin');

/** Runs the CLI in-process with extra environment, capturing stdout and stderr. */
async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key];
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
  try {
    const code = await runCli(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

describe('agents command', () => {
  it('lists every known agent with detection facts as JSON', async () => {
    const { code, stdout } = await cli(['agents', '--json'], {
      PATH: `${AGENT_BIN}${path.delimiter}${path.dirname(process.execPath)}`,
    });
    expect(code).toBe(0);
    const { agents } = JSON.parse(stdout) as { agents: Record<string, unknown>[] };
    expect(agents.map((a) => a.id)).toEqual([
      'claude-code',
      'codex',
      'copilot',
      'gemini',
      'qwen',
      'opencode',
      'kilocode',
      'augment',
      'cursor',
      'pi',
      'letta',
    ]);
    const claude = agents.find((a) => a.id === 'claude-code');
    expect(claude).toMatchObject({
      binary: 'claude',
      installed: true,
      path: path.join(AGENT_BIN, 'claude'),
      promptVia: 'stdin',
      launcher: [path.join(AGENT_BIN, 'claude')],
    });
    expect(claude?.version).toEqual(expect.any(String));
    expect(agents.find((a) => a.id === 'kilocode')).toMatchObject({
      binary: 'kilo',
      promptVia: 'stdin',
      installed: true,
    });
  });

  it('prints a table, marking agents that are not installed', async () => {
    const { code, stdout } = await cli(['agents'], { PATH: path.dirname(process.execPath) });
    expect(code).toBe(0);
    expect(stdout).toMatch(/agent\s+binary\s+installed\s+version\s+prompt via/);
    expect(stdout).toMatch(/claude-code\s+claude\s+no\s+-\s+stdin/);
    expect(stdout).toContain('0 of 11 agents installed');
  });
});

describe('status command', () => {
  let world: SimWorld;
  let snapshot: unknown;
  const repos: TempRepo[] = [];
  let home = '';

  beforeAll(async () => {
    world = await createSimWorld([
      { id: 'WP01', title: 'First' },
      { id: 'WP02', title: 'Second' },
      { id: 'WP03', title: 'Third', dependencies: ['WP01', 'WP02'] },
    ]);
    snapshot = await snapshotWithWpInFlight(world);
    home = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-status-home-')));
  });
  afterAll(() => {
    world?.cleanup();
    for (const repo of repos) repo.cleanup();
    if (home) rmSync(home, { recursive: true, force: true });
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  function project(): string {
    const repo = createTempRepo('sko-status-');
    repos.push(repo);
    mkdirSync(path.join(repo.root, '.kittify'), { recursive: true });
    return repo.root;
  }

  it('says so when no run is recorded (exit 0)', async () => {
    const root = project();
    const { code, stdout } = await cli(['status', '--repo-root', root]);
    expect(code).toBe(0);
    expect(stdout).toBe(`no orchestration run recorded in ${root}\n`);
    const json = await cli(['status', '--repo-root', root, '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ run: null, repoRoot: root });
  });

  it('refuses an invalid run-state file with a clear error (exit 2)', async () => {
    const root = project();
    writeFileSync(path.join(root, '.kittify', 'orchestrator-run-state.json'), '{"format": "something-else"}');
    const { code, stderr, stdout } = await cli(['status', '--repo-root', root]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('orchestrator-run-state.json cannot be used');
    expect(stderr).toContain('abort --cleanup-worktrees');
  });

  it('shows last known lanes when the host cannot be asked', async () => {
    const root = project();
    await writeRunStateAtomic(root, runStateAround(snapshot, root));
    const { code, stdout } = await cli(['status', '--repo-root', root], {
      SPEC_KITTY_BIN: path.join(root, 'no-such-spec-kitty'),
    });
    expect(code).toBe(0);
    expect(stdout).toContain('Run run-status-1: mission 001-demo');
    expect(stdout).toMatch(/pid:\s+3999999: not running/);
    expect(stdout).toMatch(/WP02\s+in_progress \(last known\)\s+inProgress\.implementing\s+claude-code #2/);
    expect(stdout).toContain("(last known) lanes: the host's mission-state could not be read");
  });

  it('--json reads lanes from the real host when it answers', async () => {
    const root = project();
    git(root, 'checkout', '-q', '-b', 'e2e/orchestrator');
    const env = { ...hostTestEnv(home), ...GIT_TEST_ENV };
    const created = await createRealMission(
      root,
      {
        slug: '001-demo',
        title: 'Demo',
        workPackages: [
          { id: 'WP01', title: 'First' },
          { id: 'WP02', title: 'Second' },
          { id: 'WP03', title: 'Third', dependencies: ['WP01', 'WP02'] },
        ],
      },
      { hostBin: realHostBin(), env },
    );
    await writeRunStateAtomic(root, runStateAround(snapshot, root, { mission: created.slug }));
    const { code, stdout } = await cli(['status', '--repo-root', root, '--json'], env);
    expect(code).toBe(0);
    const { run } = JSON.parse(stdout) as {
      run: {
        wps: { wp: string; lane: string; laneSource: string; state: string }[];
        hostNote: string | null;
      };
    };
    expect(run.hostNote).toBeNull();
    // The real mission was never run: the host says planned, whatever the snapshot believed.
    expect(run.wps.map((wp) => `${wp.wp}:${wp.lane}:${wp.laneSource}:${wp.state}`)).toEqual([
      'WP01:planned:host:done',
      'WP02:planned:host:inProgress.implementing',
      'WP03:planned:host:-',
    ]);
  });
});
