/**
 * Every way a user can hold the CLI wrong gets one clear message on stderr (asserted by its key
 * words), the documented exit code (src/cli/exit-codes.ts), and no stack trace unless --debug.
 * Checks that reach the host use the REAL host; the rest stop before any host call.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTempRepo, type TempRepo } from '../support/temp-repo.js';
import { expectCleanFailure, STACK_LINE } from './support/assertions.js';
import { assertCliBuilt, describeRun, killStrayClis, PROJECT_ROOT, runCli } from './support/cli.js';
import { fakeInvocations, lockFile, runStateFile } from './support/inspect.js';
import {
  type CliProject,
  createCliProject,
  FAKE_AGENTS_BIN,
  TEST_CONFIG,
  twoWpMission,
} from './support/project.js';

let project: CliProject;
let bare: TempRepo;
let scratch: string;

beforeAll(async () => {
  assertCliBuilt();
  scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-cli-e2e-bad-')));
  bare = createTempRepo('sko-cli-e2e-bare-');
  project = await createCliProject({ host: 'real', mission: twoWpMission('001-cli-bad-input') });
});
afterEach(async () => {
  await killStrayClis();
  project?.writeConfig(TEST_CONFIG);
});
afterAll(() => {
  project?.cleanup();
  bare?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const orchestrate = (...args: string[]) =>
  runCli(['orchestrate', '--mission', project.mission, ...args], { cwd: project.root, env: project.env });

/** Nothing was started: no agent ran, no run state, no lock. */
function expectNothingStarted(): void {
  expect(fakeInvocations(project)).toEqual([]);
  expect(existsSync(runStateFile(project.root))).toBe(false);
  expect(existsSync(lockFile(project.root))).toBe(false);
}

describe('usage errors (exit 2)', () => {
  it('an unknown agent id lists the known ones', async () => {
    const result = await orchestrate('--impl-agent', 'claud');
    expectCleanFailure(result, 2, [
      '--impl-agent',
      '"claud" is not a known agent',
      'claude-code',
      'codex',
      'gemini',
    ]);
    expectNothingStarted();
  });

  it.each([['abc'], ['0']])('--max-concurrent %s is not a valid number', async (value) => {
    const result = await orchestrate('--max-concurrent', value);
    expectCleanFailure(result, 2, ['--max-concurrent', `"${value}"`, 'integer from 1 to 64', '--help']);
  });

  it('an unknown option is refused instead of ignored', async () => {
    const result = await orchestrate('--max-concurent', '3');
    expectCleanFailure(result, 2, ['unknown option', '--max-concurent', '--help']);
    expectNothingStarted();
  });

  it('a missing --mission says so', async () => {
    const result = await runCli(['orchestrate'], { cwd: project.root, env: project.env });
    expectCleanFailure(result, 2, ['--mission']);
  });

  it('a config file with a YAML syntax error names file:line', async () => {
    project.writeConfig('max_retries: 1\nagents:\n  implementation: [claude-code\nmax_review_cycles: 2\n');
    const result = await orchestrate();
    expectCleanFailure(result, 2, [/\.kittify\/orchestrator\.yaml:\d+(:\d+)?: /, 'YAML']);
    expectNothingStarted();
  });

  it('a config file with a misspelt key names file:line, the key and the right spelling', async () => {
    project.writeConfig('max_retries: 1\nmax_concurent_wps: 3\n');
    const result = await orchestrate();
    expectCleanFailure(result, 2, [
      '.kittify/orchestrator.yaml:2',
      'max_concurent_wps',
      'unknown key',
      'max_concurrent_wps',
    ]);
  });

  it('a config file with a bad value names file:line and what is allowed', async () => {
    project.writeConfig('max_retries: 1\nagents:\n  review: [claude-code, gpt5]\n');
    const result = await orchestrate();
    expectCleanFailure(result, 2, [
      '.kittify/orchestrator.yaml:3',
      'agents.review[1]',
      '"gpt5" is not a known agent',
    ]);
  });

  it('a banned flag in extra_args is refused before any host call, naming it and where it is', async () => {
    project.writeConfig({
      ...TEST_CONFIG,
      agent_settings: { 'claude-code': { extra_args: ['--dangerously-skip-permissions'] } },
    });
    for (const args of [[], ['--dry-run']]) {
      const result = await orchestrate(...args);
      expectCleanFailure(result, 2, [
        'dangerous_flags',
        '--dangerously-skip-permissions is a flag the host bans',
        'extra_args',
        '.kittify/orchestrator.yaml',
      ]);
    }
    expectNothingStarted();
  });

  it('an unreadable config file names the file', async () => {
    const configFile = path.join(project.root, '.kittify', 'orchestrator.yaml');
    rmSync(configFile);
    // A folder where the file belongs cannot be read (chmod is no obstacle when tests run as root).
    mkdirSync(configFile);
    try {
      const result = await orchestrate();
      expectCleanFailure(result, 2, ['.kittify/orchestrator.yaml', 'cannot be read']);
    } finally {
      rmSync(configFile, { recursive: true, force: true });
    }
  });
});

describe('environment errors (exit 4)', () => {
  it('not a spec-kitty project (no .kittify/)', async () => {
    const result = await runCli(['orchestrate', '--mission', project.mission], {
      cwd: bare.root,
      env: project.env,
    });
    expectCleanFailure(result, 4, ['not inside a spec-kitty project', '.kittify', '--repo-root']);
    const given = await runCli(['orchestrate', '--mission', project.mission, '--repo-root', bare.root], {
      cwd: project.root,
      env: project.env,
    });
    expectCleanFailure(given, 4, [bare.root, 'not a spec-kitty project']);
  });

  it('spec-kitty missing (SPEC_KITTY_BIN=/nonexistent) gives the install hint', async () => {
    const result = await runCli(['orchestrate', '--mission', project.mission], {
      cwd: project.root,
      env: { ...project.env, SPEC_KITTY_BIN: '/nonexistent/spec-kitty' },
    });
    expectCleanFailure(result, 4, ['/nonexistent/spec-kitty', 'not found', 'pip install spec-kitty-cli']);
    expectNothingStarted();
  });

  /** A spec-kitty that only answers contract-version, with `apiVersion`. */
  function hostSpeaking(apiVersion: string): string {
    const bin = path.join(scratch, `spec-kitty-${apiVersion}`);
    const envelope = {
      contract_version: apiVersion,
      command: 'orchestrator-api.contract-version',
      timestamp: '2026-01-01T00:00:00+00:00',
      correlation_id: `cli-e2e-host-${apiVersion}`,
      success: true,
      error_code: null,
      data: { api_version: apiVersion, min_supported_provider_version: '0.1.0' },
    };
    writeFileSync(
      bin,
      [
        '#!/bin/sh',
        '[ "$2" = contract-version ] || { echo "unsupported command: $2" >&2; exit 2; }',
        `echo '${JSON.stringify(envelope)}'`,
        '',
      ].join('\n'),
    );
    chmodSync(bin, 0o755);
    return bin;
  }

  it('a host whose contract is too old names both versions', async () => {
    const result = await runCli(['orchestrate', '--mission', project.mission], {
      cwd: project.root,
      env: { ...project.env, SPEC_KITTY_BIN: hostSpeaking('1.2.0') },
    });
    expectCleanFailure(result, 4, ['1.2.0', '1.3.0', /upgrade/i]);
    expectNothingStarted();
  });

  it('a host whose contract major is newer names both versions and the tested hosts', async () => {
    const result = await runCli(['orchestrate', '--mission', project.mission], {
      cwd: project.root,
      env: { ...project.env, SPEC_KITTY_BIN: hostSpeaking('2.0.0') },
    });
    expectCleanFailure(result, 4, ['2.0.0', '1.x', /upgrade spec-kitty-orchestrator/i, '4.0.0rc7']);
    expectNothingStarted();
  });

  it('a mission the host does not know', async () => {
    const result = await runCli(['orchestrate', '--mission', '999-no-such-mission'], {
      cwd: project.root,
      env: project.env,
    });
    expectCleanFailure(result, 4, ['999-no-such-mission', 'not found', 'kitty-specs']);
    expectNothingStarted();
  });

  it('an agent that is not installed (not on PATH)', async () => {
    const pathWithoutFakes = (project.env.PATH ?? '')
      .split(path.delimiter)
      .filter((dir) => dir !== FAKE_AGENTS_BIN)
      .join(path.delimiter);
    // Precondition: no real `claude` or `codex` on the remaining PATH.
    for (const dir of pathWithoutFakes.split(path.delimiter)) {
      for (const binary of ['claude', 'codex'])
        expect(existsSync(path.join(dir, binary)), `${dir}/${binary}`).toBe(false);
    }
    const result = await runCli(['orchestrate', '--mission', project.mission], {
      cwd: project.root,
      env: { ...project.env, PATH: pathWithoutFakes },
    });
    expectCleanFailure(result, 4, ['not installed', 'claude-code', '`claude`', 'PATH']);
    expectNothingStarted();
  });

  it('resume with no saved run', async () => {
    const result = await runCli(['resume'], { cwd: project.root, env: project.env });
    expectCleanFailure(result, 4, ['no saved run', 'orchestrate']);
  });
});

describe('another orchestrator holds the repository (exit 5)', () => {
  let holder: ChildProcess | undefined;
  afterEach(() => {
    holder?.kill('SIGKILL');
    holder = undefined;
  });

  it('names the pid of the holder and changes nothing', async () => {
    holder = await holdLock(project.root);
    const result = await orchestrate();
    expectCleanFailure(result, 5, [`pid ${holder.pid}`, 'another orchestrator', 'other-mission']);
    expect(fakeInvocations(project)).toEqual([]);
    expect(existsSync(runStateFile(project.root))).toBe(false);
  });
});

describe('--debug', () => {
  it('adds the stack trace to an error', async () => {
    const result = await runCli(['orchestrate', '--mission', '999-no-such-mission', '--debug'], {
      cwd: project.root,
      env: project.env,
    });
    expect(result.exitCode, describeRun(result)).toBe(4);
    expect(result.stderr, describeRun(result)).toMatch(STACK_LINE);
  });
});

/** A live process that holds the repository lock, the way a running orchestrator does. */
async function holdLock(root: string): Promise<ChildProcess> {
  const persistence = path.join(PROJECT_ROOT, 'dist', 'actors', 'persistence', 'index.js');
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      [
        `const { acquireRunLock } = await import(${JSON.stringify(persistence)});`,
        `await acquireRunLock(${JSON.stringify(root)}, { mission: 'other-mission', runId: 'cli-e2e-holder' });`,
        "process.stdout.write('held\\n');",
        'setInterval(() => {}, 1 << 30);',
      ].join('\n'),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`the lock holder exited (${code}) before taking the lock`)),
    );
    child.stdout?.once('data', () => resolve());
  });
  return child;
}
