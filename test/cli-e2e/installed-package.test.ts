/**
 * The command as npm installs it: `npm pack` of this project, installed from the tarball into a
 * temporary global prefix (a symlinked bin, like `npm install -g`) and into a project's
 * node_modules (`node_modules/.bin`, like a local dependency or npx). Every earlier CLI test ran
 * `node dist/cli/main.js`; a run guard that compared argv[1] with the module path passed those
 * and printed nothing for every installed user.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/cli/version.js';
import { expectExit } from './support/assertions.js';
import { assertCliBuilt } from './support/cli.js';
import { installPackedCli } from './support/installed-cli.js';
import { type CliProject, createCliProject, twoWpMission } from './support/project.js';

let scratch = '';
let globalBin = '';
let localBin = '';
let project: CliProject | undefined;

function run(bin: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync(bin, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env },
  });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

beforeAll(() => {
  assertCliBuilt();
  scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-installed-')));
  ({ globalBin, localBin } = installPackedCli(scratch));
}, 240_000);

afterAll(() => {
  project?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the installed command', () => {
  it('is a symlink in both installs, and answers --help and --version through it', () => {
    for (const bin of [globalBin, localBin]) {
      expect(lstatSync(bin).isSymbolicLink(), bin).toBe(true);
      const help = run(bin, ['--help'], scratch);
      expect(help.code, help.stderr).toBe(0);
      expect(help.stdout + help.stderr).toMatch(/orchestrate/);
      const version = run(bin, ['--version'], scratch);
      expect(version.stdout.trim()).toBe(VERSION);
    }
  });

  it('lists the agents and runs the demo to an accepted mission', () => {
    const agents = run(globalBin, ['agents'], scratch);
    expect(agents.code).toBe(0);
    expect(agents.stdout).toMatch(/claude-code/);
    const demo = run(globalBin, ['demo'], scratch);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout + demo.stderr).toMatch(/Mission accepted/);
  });

  it('plans a real-host mission with --dry-run', async () => {
    project = await createCliProject({
      host: 'real',
      hostProcess: 'cold',
      mission: twoWpMission('001-installed-dry-run'),
    });
    const result = run(
      localBin,
      ['orchestrate', '--mission', project.mission, '--dry-run'],
      project.root,
      project.env,
    );
    expectExit({ exitCode: result.code, signal: null, stdout: result.stdout, stderr: result.stderr }, 0);
    expect(result.stderr).toMatch(/ready to start:\s+WP01\b/);
  });
});
