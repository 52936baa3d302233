/**
 * Real fake-agent processes for end-to-end missions. Each run gets its own folder with the
 * scenario file, the fake agent's state (attempt counters, invocations.jsonl) and one launcher
 * script per agent, passed to createMissionLogic as `launchers` (absolute paths, so the test
 * process's PATH and environment stay untouched). A launcher bakes in the environment the fake
 * agent needs (scenario, state dir, which host binary its mark-status calls use), records its
 * pid and the prompt it received, then `exec`s the fake agent: same pid, same process group, so
 * the supervisor's group kill reaches it exactly as it would reach a real agent.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../../../src/agents/types.js';
import { GIT_TEST_ENV } from '../../support/temp-repo.js';

const FAKE_AGENT_SCRIPT = path.resolve(import.meta.dirname, '../../../fixtures/agents/fake-agent.mjs');

/** Adapter id -> the binary name the fake agent impersonates (scenario keys use the latter). */
const FAKE_NAMES = { 'claude-code': 'claude', codex: 'codex' } as const satisfies Partial<
  Record<AgentId, string>
>;
export type E2eAgentId = keyof typeof FAKE_NAMES;

/** The fake agent's scenario format (fixtures/agents/README.md). */
export interface FakeAgentStep {
  action?:
    | 'implement'
    | 'no_change'
    | 'fail'
    | 'auth_error'
    | 'rate_limit'
    | 'hang'
    | 'approve'
    | 'request_changes';
  files?: Record<string, string>;
  commit?: boolean;
  markStatus?: boolean;
  exitCode?: number;
  message?: string;
  feedback?: string;
  verdictStyle?: 'json' | 'line' | 'none';
  sleepMs?: number;
}
export type FakeAgentScenario = Record<
  string,
  { implementation?: FakeAgentStep | FakeAgentStep[]; review?: FakeAgentStep | FakeAgentStep[] }
>;

/** One line of the fake agent's invocations.jsonl. */
export interface FakeInvocation {
  agent: string;
  role: 'implementation' | 'review';
  wp: string;
  attempt: number;
  action: string;
  cwd: string;
}

export interface RecordedPrompt {
  agent: string;
  pid: number;
  text: string;
}

export interface FakeAgentHarness {
  launchers: Record<E2eAgentId, readonly string[]>;
  /** Every agent run, in start order. */
  invocations(): FakeInvocation[];
  /** The prompt every run received on stdin. */
  prompts(): RecordedPrompt[];
  /** The pid (= process group id) of every agent process started. */
  pids(): number[];
}

export interface FakeAgentHarnessOptions {
  /** A folder of the test's own (removed with it). */
  dir: string;
  scenario: FakeAgentScenario;
  /** The host binary the agents' mark-status commands run (real or simulated). */
  hostBin: string;
  /** Extra environment for those host calls (SPEC_KITTY_HOME...). */
  hostEnv: Readonly<Record<string, string>>;
}

export function createFakeAgentHarness(options: FakeAgentHarnessOptions): FakeAgentHarness {
  const { dir } = options;
  const stateDir = path.join(dir, 'state');
  const promptDir = path.join(dir, 'prompts');
  const pidDir = path.join(dir, 'pids');
  const binDir = path.join(dir, 'bin');
  for (const folder of [stateDir, promptDir, pidDir, binDir]) mkdirSync(folder, { recursive: true });
  const scenarioFile = path.join(dir, 'scenario.json');
  writeFileSync(scenarioFile, `${JSON.stringify(options.scenario, null, 2)}\n`);

  const env: Record<string, string> = {
    ...GIT_TEST_ENV,
    ...options.hostEnv,
    FAKE_AGENT_SCENARIO: scenarioFile,
    FAKE_AGENT_STATE_DIR: stateDir,
    SPEC_KITTY_BIN: options.hostBin,
  };
  const launchers = {} as Record<E2eAgentId, readonly string[]>;
  for (const [agentId, fakeName] of Object.entries(FAKE_NAMES) as [E2eAgentId, string][]) {
    const file = path.join(binDir, fakeName);
    writeFileSync(file, launcherScript(fakeName, env, promptDir, pidDir));
    chmodSync(file, 0o755);
    launchers[agentId] = [file];
  }

  return {
    launchers,
    invocations() {
      const file = path.join(stateDir, 'invocations.jsonl');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as FakeInvocation);
    },
    prompts() {
      return readdirSync(promptDir).map((name) => {
        const match = /^(.+)-(\d+)\.txt$/.exec(name);
        if (!match) throw new Error(`unexpected prompt file ${name}`);
        return {
          agent: match[1] ?? '',
          pid: Number(match[2]),
          text: readFileSync(path.join(promptDir, name), 'utf8'),
        };
      });
    },
    pids: () => readdirSync(pidDir).map(Number),
  };
}

/** Single quotes for sh: nothing inside is special except the quote itself. */
function shQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function launcherScript(
  fakeName: string,
  env: Readonly<Record<string, string>>,
  promptDir: string,
  pidDir: string,
): string {
  const promptFile = `${shQuote(path.join(promptDir, `${fakeName}-`))}"$$".txt`;
  return [
    '#!/bin/sh',
    `# Fake ${fakeName} for the e2e missions: records its pid and prompt, then becomes the fake agent.`,
    ...Object.entries({ ...env, FAKE_AGENT_NAME: fakeName }).map(
      ([key, value]) => `${key}=${shQuote(value)}; export ${key}`,
    ),
    `: > ${shQuote(`${pidDir}/`)}"$$"`,
    `cat > ${promptFile}`,
    // exec keeps the pid, so the supervisor's process group is the fake agent itself.
    `exec ${shQuote(process.execPath)} ${shQuote(FAKE_AGENT_SCRIPT)} "$@" < ${promptFile}`,
    '',
  ].join('\n');
}
