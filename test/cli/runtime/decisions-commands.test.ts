/**
 * `decisions`, `decide` and `status` against a scripted host that answers like the real one:
 * every envelope carries `contract_version`, and a verb the host lacks is refused with
 * USAGE_ERROR (what spec-kitty-cli 3.2.7 prints for `orchestrator-api no-such-verb`, exit 2).
 * - A host whose contract predates decisions (1.3.0): `decisions` / `decide` say so in one line
 *   naming both versions (exit 4); `status` shows no decisions.
 * - A host with decisions (1.5.0): `status` lists the open ones with the command that answers
 *   each; a refusal of design-status from such a host stays the host's error (the version, not
 *   any failure, decides).
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeRunStateAtomic } from '../../../src/actors/persistence/index.js';
import { EXIT } from '../../../src/cli/exit-codes.js';
import { runCli } from '../../../src/cli/main.js';
import { createSimWorld, type SimWorld } from '../../machines/support/sim-world.js';
import { createTempRepo, type TempRepo } from '../../support/temp-repo.js';
import { runStateAround, snapshotWithWpInFlight } from '../output/support/in-flight-snapshot.js';

const MISSION = '001-demo';
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

interface Answer {
  data: Record<string, unknown>;
  errorCode?: string;
  exitCode?: number;
}

/**
 * A host executable in `dir` speaking `contract`: each verb in `answers` gets its envelope,
 * contract-version its version, anything else the real host's unknown-verb refusal. It logs
 * every verb it is asked, one a line, in `dir/calls.log`.
 */
function scriptedHost(dir: string, contract: string, answers: Record<string, Answer> = {}): string {
  mkdirSync(dir, { recursive: true });
  const write = (verb: string, answer: Answer) => {
    const envelope = {
      contract_version: contract,
      command: `orchestrator-api.${verb}`,
      timestamp: '2026-01-01T00:00:00+00:00',
      correlation_id: `corr-${verb}`,
      success: answer.errorCode === undefined,
      error_code: answer.errorCode ?? null,
      data: answer.data,
    };
    writeFileSync(path.join(dir, `${verb}.json`), `${JSON.stringify(envelope)}\n`);
    writeFileSync(path.join(dir, `${verb}.rc`), String(answer.exitCode ?? 0));
  };
  write('contract-version', { data: { api_version: contract, min_supported_provider_version: '0.1.0' } });
  write('unknown', {
    data: { message: "No such command 'that-verb'." },
    errorCode: 'USAGE_ERROR',
    exitCode: 2,
  });
  for (const [verb, answer] of Object.entries(answers)) write(verb, answer);
  const bin = path.join(dir, 'spec-kitty');
  writeFileSync(
    bin,
    [
      '#!/bin/sh',
      'dir=$(dirname "$0")',
      'echo "$2" >> "$dir/calls.log"',
      'if [ -f "$dir/$2.json" ]; then cat "$dir/$2.json"; exit "$(cat "$dir/$2.rc")"; fi',
      'cat "$dir/unknown.json"; exit 2',
      '',
    ].join('\n'),
  );
  chmodSync(bin, 0o755);
  return bin;
}

function callsOf(bin: string): string[] {
  try {
    return readFileSync(path.join(path.dirname(bin), 'calls.log'), 'utf8')
      .trim()
      .split('\n');
  } catch {
    return [];
  }
}

/** Runs the CLI in-process against the scripted host (its own, not an installed one). */
async function cli(args: string[], hostBin: string) {
  const env: Record<string, string> = { SPEC_KITTY_BIN: hostBin, NO_COLOR: '1' };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
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

let world: SimWorld;
let snapshot: unknown;
const repos: TempRepo[] = [];

beforeAll(async () => {
  world = await createSimWorld([
    { id: 'WP01', title: 'First' },
    { id: 'WP02', title: 'Second' },
    { id: 'WP03', title: 'Third', dependencies: ['WP01', 'WP02'] },
  ]);
  snapshot = await snapshotWithWpInFlight(world);
});
afterAll(() => {
  world?.cleanup();
  for (const repo of repos) repo.cleanup();
});
afterEach(() => {
  process.exitCode = undefined;
});

/** A spec-kitty project (`.kittify/`), with a recorded run of MISSION when asked. */
async function project(options: { withRun?: boolean } = {}): Promise<string> {
  const repo = createTempRepo('sko-dcmd-');
  repos.push(repo);
  mkdirSync(path.join(repo.root, '.kittify'), { recursive: true });
  if (options.withRun) await writeRunStateAtomic(repo.root, runStateAround(snapshot, repo.root));
  return repo.root;
}

describe('a host whose contract has no decision verbs (1.3.0)', () => {
  it('`decisions` says in one line that this host has none, naming 1.3.0 and 1.4.0 (exit 4)', async () => {
    const root = await project();
    const host = scriptedHost(path.join(root, '.host'), '1.3.0');
    const result = await cli(['decisions', '--mission', MISSION, '--repo-root', root], host);
    expect(result.code).toBe(EXIT.environment);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/no design decisions/);
    expect(lines[0]).toContain('1.3.0');
    expect(lines[0]).toContain('1.4.0');
    // Not the host's raw refusal: the person learns what the host lacks, not a usage error.
    expect(result.stderr).not.toContain('USAGE_ERROR');
    expect(result.stderr).not.toMatch(STACK_LINE);
    // Decided from the refusal's own envelope: no extra contract-version start-up.
    expect(callsOf(host)).toEqual(['design-status']);
  });

  it('`decide` says the same and nothing else (exit 4)', async () => {
    const root = await project();
    const host = scriptedHost(path.join(root, '.host'), '1.3.0');
    const result = await cli(
      ['decide', '--mission', MISSION, '--decision', '01ABC', '--answer', 'sqlite', '--repo-root', root],
      host,
    );
    expect(result.code).toBe(EXIT.environment);
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/no design decisions/);
    expect(lines[0]).toContain('1.3.0');
    expect(lines[0]).toContain('1.4.0');
    expect(result.stderr).not.toContain('USAGE_ERROR');
    expect(callsOf(host)).toEqual(['resolve-decision']);
  });

  it('`status` shows the run and no decisions', async () => {
    const root = await project({ withRun: true });
    const host = scriptedHost(path.join(root, '.host'), '1.3.0');
    const text = await cli(['status', '--repo-root', root], host);
    expect(text.code).toBe(EXIT.ok);
    expect(text.stdout).toContain(`Run run-status-1: mission ${MISSION}`);
    expect(text.stdout).not.toMatch(/design decision/i);
    expect(text.stderr).toBe('');
    const json = await cli(['status', '--repo-root', root, '--json'], host);
    expect(json.code).toBe(EXIT.ok);
    expect((JSON.parse(json.stdout) as { openDecisions: unknown }).openDecisions).toBeNull();
  });
});

describe('a host with decision verbs (1.5.0)', () => {
  const OPEN = [
    { decision_id: '01M8XRQ85PCB5BNP9JHJXNGSH7', origin: 'plan' },
    { decision_id: '01M8XRQ85PCB5BNP9JHJXNGSH8', origin: null },
  ];
  const designStatus: Answer = {
    data: {
      mission_slug: MISSION,
      current_phase: 'tasks',
      next_action: 'resolve-decision',
      open_decisions: OPEN,
    },
  };

  it('`status` lists the open decisions, each with the command that answers it', async () => {
    const root = await project({ withRun: true });
    const host = scriptedHost(path.join(root, '.host'), '1.5.0', { 'design-status': designStatus });
    const text = await cli(['status', '--repo-root', root], host);
    expect(text.code).toBe(EXIT.ok);
    expect(text.stdout).toContain(`2 design decisions are waiting for a person (mission ${MISSION}):`);
    expect(text.stdout).toContain(
      `  01M8XRQ85PCB5BNP9JHJXNGSH7 (from plan): answer with \`spec-kitty-orchestrator decide --mission ${MISSION} --decision 01M8XRQ85PCB5BNP9JHJXNGSH7 --answer '<your answer>'\``,
    );
    expect(text.stdout).toContain(
      `  01M8XRQ85PCB5BNP9JHJXNGSH8: answer with \`spec-kitty-orchestrator decide --mission ${MISSION} --decision 01M8XRQ85PCB5BNP9JHJXNGSH8`,
    );
    // Below the run, above the state file's path.
    expect(text.stdout.indexOf('design decisions are waiting')).toBeGreaterThan(
      text.stdout.indexOf('Run run-status-1'),
    );
    expect(text.stdout.indexOf('design decisions are waiting')).toBeLessThan(
      text.stdout.indexOf('(run state:'),
    );

    const json = await cli(['status', '--repo-root', root, '--json'], host);
    expect((JSON.parse(json.stdout) as { openDecisions: unknown }).openDecisions).toEqual(OPEN);
  });

  it('`status` with none open prints no decisions section', async () => {
    const root = await project({ withRun: true });
    const host = scriptedHost(path.join(root, '.host'), '1.5.0', {
      'design-status': { data: { ...designStatus.data, open_decisions: [] } },
    });
    const text = await cli(['status', '--repo-root', root], host);
    expect(text.code).toBe(EXIT.ok);
    expect(text.stdout).not.toMatch(/design decision/i);
  });

  it('a refusal of design-status from a host that has it stays the host error', async () => {
    const root = await project();
    const host = scriptedHost(path.join(root, '.host'), '1.5.0', {
      'design-status': {
        data: { message: `Mission '${MISSION}' not found` },
        errorCode: 'MISSION_NOT_FOUND',
        exitCode: 1,
      },
    });
    const result = await cli(['decisions', '--mission', MISSION, '--repo-root', root], host);
    expect(result.code).toBe(EXIT.environment);
    expect(result.stderr).toContain('MISSION_NOT_FOUND');
    expect(result.stderr).not.toMatch(/no design decisions/);
  });
});
