/**
 * What the README tells a user to run, run exactly as written (each command is first found
 * verbatim in the README, so a reworded README without a working command fails here).
 *
 * They run in a copy of this project (its sources, scripts and fixtures; node_modules and the
 * installed hosts linked): `npm run build` rewrites dist/, which the other test files running at
 * the same time execute. Not run here: `npm ci` (it would replace the node_modules every other
 * test file is using; CI itself starts with it) and `npm test` (CI runs exactly that). The pip
 * command of "Installing the real host" is what scripts/ensure-host.mjs runs for CI; this file
 * checks that both pin the same version.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './support/cli.js';
import { type CliProject, createCliProject, twoWpMission } from './support/project.js';

const README = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
let copy = '';
let scratch = '';
let project: CliProject | undefined;

/** Runs one README line through a shell, as a user's terminal would. */
function sh(line: string, cwd: string, env: Record<string, string> = {}) {
  expect(README, `the README no longer says \`${line}\``).toContain(line);
  const result = spawnSync('sh', ['-c', line], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env },
    timeout: 280_000,
  });
  return { code: result.status, out: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

beforeAll(() => {
  scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-readme-')));
  copy = path.join(scratch, 'project');
  // bench/ builds on test/support (try:real makes its mission with it).
  for (const entry of ['src', 'bench', 'fixtures', 'scripts', 'test/support', 'package.json', 'README.md']) {
    cpSync(path.join(PROJECT_ROOT, entry), path.join(copy, entry), { recursive: true });
  }
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'tsconfig.bench.json']) {
    cpSync(path.join(PROJECT_ROOT, file), path.join(copy, file));
  }
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  // The installed hosts and agent CLIs are shared; what the commands write there (the bench
  // build) stays in the copy.
  mkdirSync(path.join(copy, '.cache'));
  for (const entry of readdirSync(path.join(PROJECT_ROOT, '.cache'))) {
    if (entry.startsWith('host-venv') || entry === 'agents')
      symlinkSync(path.join(PROJECT_ROOT, '.cache', entry), path.join(copy, '.cache', entry));
  }
}, 60_000);

afterAll(() => {
  project?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the README commands', () => {
  it('the main job: `npm run demo` runs the sample mission to an accepted end', () => {
    const demo = sh('npm run demo', copy);
    expect(demo.code, demo.out).toBe(0);
    expect(demo.out).toMatch(/Mission accepted/);
  });

  it('`npm run try:real` orchestrates a two-WP mission on the real host, rework cycle included', () => {
    const tried = sh('npm run try:real', copy);
    expect(tried.code, tried.out).toBe(0);
    expect(tried.out).toMatch(/WP01.*done/);
    expect(tried.out).toMatch(/WP02.*done/);
    expect(tried.out).toMatch(/changes/i);
  });

  it('quick start: `npm link` puts the command on PATH; `agents` and `orchestrate --dry-run` work', async () => {
    const prefix = path.join(scratch, 'npm-prefix');
    const npmEnv = { npm_config_prefix: prefix };
    expect(README).toContain('npm ci && npm run build');
    const built = sh('npm run build', copy);
    expect(built.code, built.out).toBe(0);
    const linked = sh('npm link', copy, npmEnv);
    expect(linked.code, linked.out).toBe(0);
    project = await createCliProject({
      host: 'real',
      hostProcess: 'cold',
      mission: twoWpMission('001-readme-quick-start'),
    });
    const onPath = {
      ...project.env,
      PATH: [path.join(prefix, 'bin'), project.env.PATH ?? ''].join(path.delimiter),
    };
    const agents = sh('spec-kitty-orchestrator agents', project.root, onPath);
    expect(agents.code, agents.out).toBe(0);
    expect(agents.out).toMatch(/claude-code/);
    const line = `spec-kitty-orchestrator orchestrate --mission ${project.mission} --dry-run`;
    expect(README).toContain('spec-kitty-orchestrator orchestrate --mission 001-my-feature --dry-run');
    const dry = spawnSync('sh', ['-c', line], { cwd: project.root, encoding: 'utf8', env: onPath });
    expect(dry.status, `${dry.stdout}${dry.stderr}`).toBe(0);
    expect(dry.stderr).toMatch(/ready to start:\s+WP01\b/);
    // The link points at the copy's build, not at some other install.
    const target = execFileSync('readlink', ['-f', path.join(prefix, 'bin', 'spec-kitty-orchestrator')], {
      encoding: 'utf8',
    }).trim();
    expect(target).toBe(path.join(copy, 'dist', 'cli', 'main.js'));
  });

  it('installing the real host pins the version the test setup installs', () => {
    const pinned = /pip install spec-kitty-cli==([0-9][^\s`]*)/.exec(README)?.[1];
    const script = readFileSync(path.join(PROJECT_ROOT, 'scripts', 'ensure-host.mjs'), 'utf8');
    expect(pinned).toBeDefined();
    expect(script).toContain(`'${pinned}'`);
  });
});
