import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildImplementationPrompt, buildReviewPrompt } from '../../src/agents/prompts.js';
import { AGENTS } from '../../src/agents/registry.js';
import type { AgentId, AgentResult, AgentRole } from '../../src/agents/types.js';
import { createTempRepo, GIT_TEST_ENV, git, type TempRepo } from '../support/temp-repo.js';

const BIN = path.resolve(import.meta.dirname, '../../fixtures/agents/bin');

/** Every fake binary and the agent (and launcher) it stands for. */
const BINARIES: { bin: string; agent: AgentId; launcher?: string[]; usage: boolean }[] = [
  { bin: 'claude', agent: 'claude-code', usage: true },
  { bin: 'codex', agent: 'codex', usage: true },
  { bin: 'copilot', agent: 'copilot', usage: false },
  { bin: 'gh', agent: 'copilot', launcher: ['gh', 'copilot'], usage: false },
  { bin: 'gemini', agent: 'gemini', usage: true },
  { bin: 'qwen', agent: 'qwen', usage: true },
  { bin: 'opencode', agent: 'opencode', usage: true },
  { bin: 'kilo', agent: 'kilocode', usage: true },
  { bin: 'auggie', agent: 'augment', usage: false },
  { bin: 'cursor-agent', agent: 'cursor', usage: false },
  { bin: 'pi', agent: 'pi', usage: true },
  { bin: 'letta', agent: 'letta', usage: true },
];

const WP_PROMPT = '---\nwork_package_id: WP07\nsubtasks: [T001, T002]\n---\n# WP07: add the thing\n';

let repo: TempRepo;
let scratch: string;
let markStatusLog: string;
let baseEnv: NodeJS.ProcessEnv;

beforeEach(() => {
  repo = createTempRepo('sko-fake-');
  scratch = mkdtempSync(path.join(tmpdir(), 'sko-fake-state-'));
  markStatusLog = path.join(scratch, 'mark-status.log');
  // A stand-in host: records each call, one line per invocation.
  const host = path.join(scratch, 'spec-kitty');
  writeFileSync(host, `#!/bin/sh\necho "$*" >> "${markStatusLog}"\necho '{"ok":true}'\n`);
  chmodSync(host, 0o755);
  baseEnv = {
    PATH: [BIN, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter),
    HOME: scratch,
    SPEC_KITTY_BIN: host,
    ...GIT_TEST_ENV,
  };
});

afterEach(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function runAgent(
  entry: (typeof BINARIES)[number],
  role: AgentRole,
  prompt: string,
  env: Record<string, string> = {},
): AgentResult {
  const adapter = AGENTS[entry.agent];
  const launcher = entry.launcher ?? [entry.bin];
  const invocation = adapter.buildInvocation({
    role,
    prompt,
    workspace: repo.root,
    timeoutSeconds: 60,
    launcher,
  });
  const started = Date.now();
  const child = spawnSync(invocation.file, invocation.args, {
    cwd: repo.root,
    env: { ...baseEnv, ...invocation.env, ...env },
    input: invocation.stdinPrompt ?? '',
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return adapter.parseOutcome(
    {
      exitCode: child.status,
      signal: child.signal,
      timedOut: false,
      canceled: false,
      stdoutTail: child.stdout.slice(-256 * 1024),
      stderrTail: child.stderr.slice(-64 * 1024),
      durationMs: Date.now() - started,
      logPath: path.join(scratch, 'agent.log'),
    },
    role,
  );
}

const implementationPrompt = () =>
  buildImplementationPrompt({ wpPrompt: WP_PROMPT, mission: '007-demo', subtaskIds: ['T001', 'T002'] });
const reviewPrompt = () =>
  buildReviewPrompt({ wpPrompt: WP_PROMPT, mission: '007-demo', wpId: 'WP07', diffSummary: ' a | 1 +' });

describe.each(BINARIES)('fake $bin through the $agent adapter', (entry) => {
  it('implements: writes a file, runs mark-status, and the adapter reads a success', () => {
    const result = runAgent(entry, 'implementation', implementationPrompt());
    expect(result.errors).toEqual([]);
    expect(result.success).toBe(true);
    expect(result.resultText ?? '').toMatch(/Implemented WP07/);
    expect(readFileSync(path.join(repo.root, 'fake-agent-output/WP07.txt'), 'utf8')).toMatch(
      new RegExp(`by ${entry.bin}`),
    );
    expect(readFileSync(markStatusLog, 'utf8').trim().split('\n')).toEqual([
      'agent tasks mark-status T001 T002 --status done --mission 007-demo --json',
    ]);
    if (entry.usage) expect(result.usage).toBeDefined();
    // Left uncommitted for the orchestrator by default.
    expect(git(repo.root, 'status', '--porcelain')).toContain('fake-agent-output/');
  });

  it('reports an auth failure the adapter classifies as auth', () => {
    const result = runAgent(entry, 'implementation', implementationPrompt(), {
      FAKE_AGENT_ACTION: 'auth_error',
    });
    expect(result.success).toBe(false);
    expect(result.failureKind).toBe('auth');
    expect(result.errors.length).toBeGreaterThan(0);
    if (entry.bin === 'gemini') expect(result.exitCode).toBe(41);
  });

  it('reviews: approved', () => {
    const result = runAgent(entry, 'review', reviewPrompt());
    expect(result.success).toBe(true);
    expect(result.verdict).toEqual({ verdict: 'approved', feedback: '', decidedBy: 'output' });
    expect(existsSync(markStatusLog)).toBe(false);
  });

  it('reviews: changes requested, with the feedback', () => {
    const result = runAgent(entry, 'review', reviewPrompt(), {
      FAKE_AGENT_ACTION: 'request_changes',
      FAKE_AGENT_FEEDBACK: 'Handle the empty list.',
    });
    expect(result.verdict).toEqual({
      verdict: 'changes_requested',
      feedback: 'Handle the empty list.',
      decidedBy: 'output',
    });
  });
});

describe('fake agent scripting', () => {
  const claude = BINARIES[0]!;

  it('a scenario keyed by attempt fails first and succeeds next, across processes', () => {
    const scenario = path.join(scratch, 'scenario.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        WP07: {
          implementation: [
            { action: 'fail', exitCode: 3, message: 'boom' },
            { action: 'implement', commit: true },
          ],
        },
      }),
    );
    const env = { FAKE_AGENT_SCENARIO: scenario, FAKE_AGENT_STATE_DIR: path.join(scratch, 'state') };
    const first = runAgent(claude, 'implementation', implementationPrompt(), env);
    expect(first).toMatchObject({ success: false, exitCode: 3, failureKind: 'general' });
    expect(first.errors).toContain('boom');
    const second = runAgent(claude, 'implementation', implementationPrompt(), env);
    expect(second.success).toBe(true);
    // It committed its own work this time.
    expect(git(repo.root, 'log', '-1', '--format=%s')).toBe('feat(WP07): work by fake claude');
    expect(git(repo.root, 'status', '--porcelain')).toBe('');
    const invocations = readFileSync(path.join(scratch, 'state', 'invocations.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(invocations.map((i) => [i.agent, i.role, i.wp, i.attempt, i.action])).toEqual([
      ['claude', 'implementation', 'WP07', 1, 'fail'],
      ['claude', 'implementation', 'WP07', 2, 'implement'],
    ]);
  });

  it('agent-specific scenario keys win over the work package key', () => {
    const scenario = path.join(scratch, 'scenario.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        'WP07@codex': { review: { action: 'request_changes', feedback: 'codex says no' } },
        WP07: { review: { action: 'approve' } },
      }),
    );
    expect(
      runAgent(claude, 'review', reviewPrompt(), { FAKE_AGENT_SCENARIO: scenario }).verdict?.verdict,
    ).toBe('approved');
    expect(
      runAgent(BINARIES[1]!, 'review', reviewPrompt(), { FAKE_AGENT_SCENARIO: scenario }).verdict,
    ).toMatchObject({
      verdict: 'changes_requested',
      feedback: 'codex says no',
    });
  });

  it('verdict styles: a VERDICT line, and exit code only', () => {
    const line = runAgent(claude, 'review', reviewPrompt(), {
      FAKE_AGENT_ACTION: 'request_changes',
      FAKE_AGENT_VERDICT_STYLE: 'line',
      FAKE_AGENT_FEEDBACK: 'x',
    });
    expect(line.verdict).toEqual({ verdict: 'changes_requested', feedback: 'x', decidedBy: 'output' });
    const none = runAgent(BINARIES[8]!, 'review', reviewPrompt(), {
      FAKE_AGENT_ACTION: 'request_changes',
      FAKE_AGENT_VERDICT_STYLE: 'none',
      FAKE_AGENT_FEEDBACK: 'needs work',
    });
    expect(none.verdict).toMatchObject({ verdict: 'changes_requested', decidedBy: 'exit_code' });
  });

  it('no_change writes nothing; rate_limit is classified; usage is configurable', () => {
    const none = runAgent(claude, 'implementation', implementationPrompt(), {
      FAKE_AGENT_ACTION: 'no_change',
      FAKE_AGENT_MARK_STATUS: '0',
    });
    expect(none.success).toBe(true);
    expect(git(repo.root, 'status', '--porcelain')).toBe('');
    const limited = runAgent(BINARIES[4]!, 'implementation', implementationPrompt(), {
      FAKE_AGENT_ACTION: 'rate_limit',
    });
    expect(limited.failureKind).toBe('rate_limit');
    const usage = runAgent(claude, 'implementation', implementationPrompt(), {
      FAKE_AGENT_USAGE: '{"inputTokens":7,"outputTokens":8,"costUsd":0.5}',
    });
    expect(usage.usage).toEqual({ inputTokens: 7, outputTokens: 8, costUsd: 0.5 });
  });

  it('huge output still ends with a parsable result', () => {
    const result = runAgent(BINARIES[1]!, 'implementation', implementationPrompt(), {
      FAKE_AGENT_HUGE_OUTPUT_MB: '3',
    });
    expect(result.success).toBe(true);
    expect(result.resultText).toMatch(/Implemented WP07/);
  });

  it('an empty stdin is an error, as a lost prompt must be', () => {
    const child = spawnSync(path.join(BIN, 'claude'), ['-p'], { input: '', env: baseEnv, encoding: 'utf8' });
    expect(child.status).toBe(2);
    expect(child.stderr).toMatch(/no prompt received/);
  });

  it('starts a stubborn grandchild that ignores SIGTERM and records its pid', async () => {
    const pidFile = path.join(scratch, 'stubborn.pid');
    runAgent(claude, 'implementation', implementationPrompt(), {
      FAKE_AGENT_STUBBORN_PID_FILE: pidFile,
      FAKE_AGENT_ACTION: 'no_change',
    });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    try {
      process.kill(pid, 'SIGTERM');
      // Its handler notes the signal: once noted, the signal has come and the process lived on.
      const noted = `${pidFile}.sigterm`;
      for (let i = 0; i < 200 && !existsSync(noted); i++)
        await new Promise((resolve) => setTimeout(resolve, 25));
      expect(readFileSync(noted, 'utf8')).toBe('ignored\n');
      expect(() => process.kill(pid, 0)).not.toThrow(); // still alive: it ignored SIGTERM
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });
});
