/**
 * Machine output and the self-contained paths of the built CLI, on the simulated host executable:
 * `--json` (stdout is JSON lines only, people's output on stderr), `--dry-run --json`, a stalled
 * mission (exit 3), and `demo`.
 */
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectExit, jsonLines } from './support/assertions.js';
import { assertCliBuilt, describeRun, killStrayClis, runCli } from './support/cli.js';
import { hostMissionState, lanesOf, readRunStateJson } from './support/inspect.js';
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

describe('resume after the end', () => {
  it('refuses to resume a run that already ended, and says how to start a new one', async () => {
    const p = await project({ host: 'simulated', mission: twoWpMission('005-cli-resume-ended') });
    const first = await runCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: p.env });
    expectExit(first, 0);
    const again = await runCli(['resume'], { cwd: p.root, env: p.env });
    expectExit(again, 4);
    expect(again.stderr).toMatch(/already ended \(completed\)/);
    expect(again.stderr).toContain(`orchestrate --mission ${p.mission}`);
    expect(readRunStateJson(p.root)?.status).toBe('completed');
  });
});

describe('--json', () => {
  it('stdout is JSON, one value a line, ending with the run result; the human output is on stderr', async () => {
    const p = await project({ host: 'simulated', mission: twoWpMission('001-cli-json') });
    const result = await runCli(['orchestrate', '--mission', p.mission, '--json'], {
      cwd: p.root,
      env: p.env,
    });
    expectExit(result, 0);
    const records = jsonLines(result);
    expect(records.length, describeRun(result)).toBeGreaterThan(0);
    // The last record carries the outcome; the stream speaks of both WPs.
    expect(records.at(-1)?.status, describeRun(result)).toBe('completed');
    expect(result.stdout).toContain('"WP01"');
    expect(result.stdout).toContain('"WP02"');
    // People still get their progress and summary, on stderr.
    expect(result.stderr).toMatch(/WP01/);
    expect(result.stderr).toMatch(/every WP is done/i);
    expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'done', WP02: 'done' });
  });

  it('--dry-run --json prints the plan as JSON and changes nothing', async () => {
    const p = await project({ host: 'simulated', mission: twoWpMission('002-cli-json-plan') });
    const result = await runCli(['orchestrate', '--mission', p.mission, '--dry-run', '--json'], {
      cwd: p.root,
      env: p.env,
    });
    expectExit(result, 0);
    const records = jsonLines(result);
    const plan = records.find((record) => record.type === 'plan');
    expect(plan, describeRun(result)).toMatchObject({
      mission: p.mission,
      ready: ['WP01'],
      waiting: [{ wpId: 'WP02', waitsFor: ['WP01'] }],
    });
    // The configured agents are checked as `agents --check` does: version and flags. The fakes
    // print no help, so the check must say so rather than pass them.
    const checks = (plan?.agent_checks ?? []) as {
      id: string;
      version: string | null;
      ok: boolean;
      fix: string | null;
    }[];
    expect(checks.map((check) => check.id).sort()).toEqual(['claude-code', 'codex']);
    for (const check of checks) {
      expect(check.version).toMatch(/9\.9\.9-fake/);
      expect(check.ok).toBe(false);
      expect(check.fix).toMatch(/printed nothing|does not list/);
    }
    expect(readRunStateJson(p.root)).toBeUndefined();
    expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'planned', WP02: 'planned' });
  });
});

describe('a mission that cannot finish', () => {
  it('exits 3 (stalled) when a blocked WP holds up its dependent, naming both', async () => {
    const p = await project({
      host: 'simulated',
      mission: twoWpMission('003-cli-stalled'),
      scenario: { WP01: { implementation: { action: 'fail', message: 'cli-e2e cannot build WP01' } } },
    });
    const result = await runCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: p.env });
    expectExit(result, 3);
    expect(result.stderr, describeRun(result)).toContain('cli-e2e cannot build WP01');
    expect(result.stderr, describeRun(result)).toMatch(/WP02[^\n]*WP01/);
    expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'blocked', WP02: 'planned' });
    expect(readRunStateJson(p.root)?.status).toBe('stalled');
  });
});

describe('demo', () => {
  it('runs the sample mission to the end, says every WP is done, and removes its temporary project', async () => {
    const cwd = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-cli-e2e-demo-cwd-')));
    try {
      // The demo needs nothing from the environment: no fake agents or host on PATH, no scenario.
      const env = Object.fromEntries(
        Object.entries(process.env).filter(
          (entry): entry is [string, string] =>
            entry[1] !== undefined && !entry[0].startsWith('FAKE_AGENT_') && entry[0] !== 'SPEC_KITTY_BIN',
        ),
      );
      const result = await runCli(['demo', '--agent-ms', '20', '--host-ms', '5'], {
        cwd,
        env: { ...env, CI: 'true' },
      });
      expectExit(result, 0);
      expect(result.stderr, describeRun(result)).toMatch(/every WP is done/i);
      expect(result.stderr).toMatch(/mission accepted/i);
      const demoProject = /demo project: (\S+)/.exec(result.stderr)?.[1];
      expect(demoProject, describeRun(result)).toBeDefined();
      expect(existsSync(demoProject ?? '')).toBe(false);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
