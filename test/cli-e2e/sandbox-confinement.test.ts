/**
 * The sandbox, for real: the built CLI runs a mission whose implementer (a fake agent, a real
 * process) tries to write outside its worktree: into the primary checkout's `kitty-specs/`,
 * another lane's worktree, `$HOME/.bashrc` and `/etc`. Under bubblewrap each of those writes
 * fails, the write inside the worktree succeeds, the subtask marks the agent asked for are carried
 * out by the orchestrator (the relay), the WP completes, and nothing outside the worktree changed
 * (checked by hashing). The same mission with `sandbox: off` lets the writes through (the
 * confinement is what stops them), and `sandbox: required` without bubblewrap refuses to start.
 * CI installs bubblewrap, so there these tests must find it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeSandbox } from '../../src/actors/sandbox/detect-sandbox.js';
import { expectExit } from './support/assertions.js';
import { assertCliBuilt, killStrayClis, runCli } from './support/cli.js';
import { hostMissionState, lanesOf } from './support/inspect.js';
import { type CliProject, createCliProject, TEST_CONFIG, workPackage } from './support/project.js';

const projects: CliProject[] = [];
/** Files outside any test folder that a failed confinement would leave behind. */
const ETC_TARGETS: string[] = [];
beforeAll(assertCliBuilt);
afterEach(killStrayClis);
afterAll(() => {
  for (const created of projects) created.cleanup();
  for (const file of ETC_TARGETS) rmSync(file, { force: true });
});

/** A hash of every file under `root` (paths and contents), or of the file itself. */
function treeHash(root: string): string {
  const hash = createHash('sha256');
  const visit = (place: string) => {
    if (!existsSync(place)) {
      hash.update(`missing ${place}\n`);
      return;
    }
    if (statSync(place).isDirectory()) {
      for (const name of readdirSync(place).sort()) visit(path.join(place, name));
    } else {
      hash.update(`${place}\n`);
      hash.update(readFileSync(place));
    }
  };
  visit(root);
  return hash.digest('hex');
}

interface Attempt {
  wp: string;
  path: string;
  outcome: string;
}

function attempts(p: CliProject): Attempt[] {
  const file = path.join(p.agentStateDir, 'write-attempts.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Attempt);
}

/** A one-WP mission whose implementer tries the four escapes and one write inside its worktree. */
async function strayingProject(sandbox: 'auto' | 'off', slug: string) {
  const p = await createCliProject({
    host: 'simulated',
    mission: { slug, title: 'Sandbox', workPackages: [workPackage('WP01', 'Core', 'T001')] },
  });
  projects.push(p);
  const home = p.env.HOME ?? '';
  const bashrc = path.join(home, '.bashrc');
  writeFileSync(bashrc, '# the user’s shell settings\n');
  // Another lane's worktree, where the host lays them out, with a file in it.
  const otherLane = path.join(p.root, '.worktrees', `${slug}-lane-z`);
  mkdirSync(otherLane, { recursive: true });
  writeFileSync(path.join(otherLane, 'work.txt'), 'another WP at work\n');
  // The primary checkout's mission folder as the real host lays it out (the simulated host keeps
  // its own records under .kittify/, written by the host process outside the sandbox).
  const specFile = path.join(p.root, 'kitty-specs', slug, 'spec.md');
  mkdirSync(path.dirname(specFile), { recursive: true });
  writeFileSync(specFile, '# the mission spec\n');
  const etcFile = `/etc/sko-sandbox-escape-${process.pid}-${slug}`;
  ETC_TARGETS.push(etcFile);
  const outside = [specFile, path.join(otherLane, 'work.txt'), bashrc, etcFile];
  p.writeScenario({
    WP01: { implementation: { action: 'implement', tryWrites: [...outside, 'inside-the-worktree.txt'] } },
  });
  p.writeConfig({ ...TEST_CONFIG, sandbox });
  const before = {
    spec: treeHash(specFile),
    otherLane: treeHash(otherLane),
    bashrc: treeHash(bashrc),
    etc: treeHash(etcFile),
  };
  const hashesNow = () => ({
    spec: treeHash(specFile),
    otherLane: treeHash(otherLane),
    bashrc: treeHash(bashrc),
    etc: treeHash(etcFile),
  });
  return { p, outside, before, hashesNow };
}

describe('agents confined by bubblewrap (built CLI, simulated host, real processes)', () => {
  it('finds bubblewrap where CI runs (CI installs it; a missing one must not pass unnoticed)', async () => {
    const probe = await probeSandbox();
    if (process.env.CI === 'true') expect(probe).toMatchObject({ available: true });
    else expect(typeof probe.available).toBe('boolean');
  });

  it('stops every write outside the worktree, keeps the one inside, relays the marks, completes the WP', async () => {
    const { p, outside, before, hashesNow } = await strayingProject('auto', '001-sandbox-on');
    const result = await runCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: p.env });
    expectExit(result, 0);
    expect(result.stderr).toContain('agents run confined by bubblewrap');
    expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'done' });

    const tried = attempts(p);
    for (const target of outside) {
      const attempt = tried.find((entry) => entry.path === target);
      expect(attempt?.outcome, target).toMatch(/^(EROFS|EACCES|EPERM|ENOENT)$/);
    }
    expect(tried.find((entry) => entry.path === 'inside-the-worktree.txt')?.outcome).toBe('written');
    expect(hashesNow()).toEqual(before);
    // The relayed mark reached the host (for_review needs it) and the run log says so.
    const logs = path.join(p.root, '.kittify', 'logs', p.mission);
    const log = readdirSync(logs)
      .filter((name) => name.startsWith('WP01-implementation'))
      .map((name) => readFileSync(path.join(logs, name), 'utf8'))
      .join('\n');
    expect(log).toContain('relayed mark-status: T001 marked done with the host');
    expect(log).toContain('bwrap');
  });

  it('with sandbox: off the same writes go through (the confinement is what stopped them)', async () => {
    const { p, outside, before, hashesNow } = await strayingProject('off', '001-sandbox-off');
    const result = await runCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: p.env });
    expectExit(result, 0);
    expect(result.stderr).toContain('sandbox off');
    const tried = attempts(p);
    // Only root may write /etc at all; everything else is the user's own.
    const userMay = outside.filter((target) => !target.startsWith('/etc/') || process.getuid?.() === 0);
    for (const target of userMay) {
      expect(tried.find((entry) => entry.path === target)?.outcome, target).toBe('written');
    }
    expect(hashesNow()).not.toEqual(before);
  });
});

describe('the sandbox setting when bubblewrap is missing', () => {
  it('required: refuses to start in one line with how to install it (exit 4), before any host call', async () => {
    const p = await createCliProject({
      host: 'simulated',
      mission: {
        slug: '001-sandbox-req',
        title: 'Sandbox',
        workPackages: [workPackage('WP01', 'Core', 'T001')],
      },
    });
    projects.push(p);
    p.writeConfig({ ...TEST_CONFIG, sandbox: 'required' });
    const env = { ...p.env, SKO_BWRAP: '/nonexistent/bwrap' };
    const result = await runCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env });
    expectExit(result, 4);
    const lines = result.stderr.split('\n').filter((line) => line.includes('sandbox: required'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('apt-get install bubblewrap');
    expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'planned' });
  });

  it('auto: says once that agents run unconfined, records sandbox none, and runs', async () => {
    const p = await createCliProject({
      host: 'simulated',
      mission: {
        slug: '001-sandbox-auto',
        title: 'Sandbox',
        workPackages: [workPackage('WP01', 'Core', 'T001')],
      },
    });
    projects.push(p);
    const env = { ...p.env, SKO_BWRAP: '/nonexistent/bwrap' };
    const dry = await runCli(['orchestrate', '--mission', p.mission, '--dry-run'], { cwd: p.root, env });
    expectExit(dry, 0);
    expect(dry.stderr).toMatch(/policy recorded: +full_auto, sandbox none/);
    const result = await runCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env });
    expectExit(result, 0);
    expect(result.stderr.split('agents run unconfined').length - 1).toBe(1);
  });

  it('a dry run with bubblewrap names it and records workspace_write', async () => {
    const p = await createCliProject({
      host: 'simulated',
      mission: {
        slug: '001-sandbox-dry',
        title: 'Sandbox',
        workPackages: [workPackage('WP01', 'Core', 'T001')],
      },
    });
    projects.push(p);
    if (!(await probeSandbox()).available) return;
    const dry = await runCli(['orchestrate', '--mission', p.mission, '--dry-run'], {
      cwd: p.root,
      env: p.env,
    });
    expectExit(dry, 0);
    expect(dry.stderr).toMatch(/policy recorded: +full_auto, sandbox workspace_write/);
    expect(dry.stderr).toMatch(/sandbox: +agents run confined by bubblewrap/);
  });
});
