/**
 * A throwaway spec-kitty project for the CLI to run in: a git repository with a mission created
 * on the chosen host, the orchestrator's config file, a fake-agent scenario, and the exact
 * environment the CLI subprocess gets (fake agents first on PATH, the host binary in
 * SPEC_KITTY_BIN, an offline host home, git identity, CI=true).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { createSimulatedMission, type MissionSpecInput } from '../../../src/host/simulated/index.js';
import { realHosts } from '../../support/real-hosts.js';
import {
  createRealMission,
  type NormalizedLaneEvent,
  readRealLaneEvents,
  readSimulatedLaneEvents,
} from '../../support/real-mission.js';
import { createTempRepo, GIT_TEST_ENV, git, hostTestEnv, realHostBin } from '../../support/temp-repo.js';
import { PROJECT_ROOT } from './cli.js';
import { killFakeAgents } from './processes.js';

export type HostKind = 'real' | 'simulated';

export const FAKE_AGENTS_BIN = path.join(PROJECT_ROOT, 'fixtures', 'agents', 'bin');
export const SIMULATED_HOST_BIN = path.join(PROJECT_ROOT, 'fixtures', 'bin', 'spec-kitty');

/** The fake agent's scenario format (fixtures/agents/README.md). */
export interface FakeStep {
  action?:
    | 'implement'
    | 'no_change'
    | 'fail'
    | 'auth_error'
    | 'rate_limit'
    | 'hang'
    | 'approve'
    | 'request_changes';
  commit?: boolean;
  sleepMs?: number;
  stubbornChildPidFile?: string;
  /** Files the agent tries to append to before acting (write-attempts.jsonl records each outcome). */
  tryWrites?: string[];
  exitCode?: number;
  message?: string;
  feedback?: string;
}
export type FakeScenario = Record<
  string,
  { implementation?: FakeStep | FakeStep[]; review?: FakeStep | FakeStep[] }
>;

/** Settings written to .kittify/orchestrator.yaml (snake_case, as users write them). */
export type ConfigFile = Record<string, unknown>;

/**
 * Fast and deterministic: small backoff, one retry, and a safety-net poll far beyond any run
 * (a dependent WP starts because its dependency finished, never because a poll came round).
 */
export const TEST_CONFIG: ConfigFile = {
  agents: { implementation: ['claude-code', 'codex'], review: ['claude-code'] },
  max_concurrent_wps: 2,
  max_retries: 1,
  retry_backoff_seconds: 0.05,
  max_review_cycles: 2,
  timeout_seconds: 600,
  poll_interval_seconds: 600,
};

export interface CliProject {
  root: string;
  host: HostKind;
  mission: string;
  /** Environment of the CLI subprocess. */
  env: Record<string, string>;
  /** The fake agents' attempt counters and invocations.jsonl. */
  agentStateDir: string;
  /** Replace the fake agents' scenario (later runs read the new one). */
  writeScenario(scenario: FakeScenario): void;
  /** Replace .kittify/orchestrator.yaml with these settings, or raw text. */
  writeConfig(config: ConfigFile | string): void;
  /** Lane moves the host recorded, bootstrap included. */
  laneEvents(): NormalizedLaneEvent[];
  cleanup(): void;
}

export interface CliProjectOptions {
  host: HostKind;
  /**
   * The real host's process: `warm` (default; forked from a started host, test/support/
   * warm-host.ts) or `cold`, the installed script as a user's shell starts it, for the tests of
   * what a user runs (the installed package, the README's commands).
   */
  hostProcess?: 'warm' | 'cold';
  mission?: MissionSpecInput;
  scenario?: FakeScenario;
  config?: ConfigFile;
}

/** One WP with one subtask; its prompt names the file the fake agent writes. */
export function workPackage(id: string, title: string, subtask: string, dependencies: string[] = []) {
  return {
    id,
    title,
    dependencies,
    subtasks: [subtask],
    prompt: `# ${id} ${title}\n\nImplement ${title.toLowerCase()}.\n`,
  };
}

/** The standard small mission: WP02 depends on WP01. */
export function twoWpMission(slug: string): MissionSpecInput {
  return {
    slug,
    title: `CLI e2e ${slug}`,
    workPackages: [
      workPackage('WP01', 'Core module', 'T001'),
      workPackage('WP02', 'Core API', 'T002', ['WP01']),
    ],
  };
}

/**
 * The fake agents keep their attempt counters and invocation log outside the worktree: where
 * bubblewrap is installed (CI installs it) the CLI confines them, so the config lets them write
 * there, as a user's config would name a build cache. A config that says otherwise wins.
 */
function withAgentStateWritable(config: ConfigFile, agentStateDir: string): ConfigFile {
  return 'sandbox_writable' in config ? config : { ...config, sandbox_writable: [agentStateDir] };
}

export async function createCliProject(options: CliProjectOptions): Promise<CliProject> {
  const repo = createTempRepo('sko-cli-e2e-');
  const scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-cli-e2e-scratch-')));
  const agentStateDir = path.join(scratch, 'agent-state');
  const cleanup = () => {
    killFakeAgents(agentStateDir);
    repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const home = path.join(scratch, 'host-home');
    mkdirSync(home);
    mkdirSync(agentStateDir);
    const scenarioFile = path.join(scratch, 'scenario.json');
    const realBin = options.hostProcess === 'cold' ? coldRealHostBin() : realHostBin();
    const hostBin = options.host === 'real' ? realBin : SIMULATED_HOST_BIN;
    const env: Record<string, string> = {
      ...inheritedEnv(),
      ...GIT_TEST_ENV,
      ...hostTestEnv(home),
      PATH: [FAKE_AGENTS_BIN, process.env.PATH ?? ''].join(path.delimiter),
      SPEC_KITTY_BIN: hostBin,
      FAKE_AGENT_SCENARIO: scenarioFile,
      FAKE_AGENT_STATE_DIR: agentStateDir,
      CI: 'true',
    };
    const mission = options.mission ?? twoWpMission('001-cli-e2e');
    // The real host refuses to commit planning artifacts on a protected branch (main).
    git(repo.root, 'checkout', '-q', '-b', 'feature/cli-e2e');
    mkdirSync(path.join(repo.root, '.kittify'), { recursive: true });
    // The real host names the mission itself (`<name>-<mid8>`); the simulated one takes the slug.
    let slug = mission.slug;
    if (options.host === 'real') {
      const created = await createRealMission(repo.root, mission, {
        hostBin,
        env: { ...hostTestEnv(home), ...GIT_TEST_ENV },
      });
      slug = created.slug;
    } else {
      await createSimulatedMission(repo.root, mission);
    }
    const project: CliProject = {
      root: repo.root,
      host: options.host,
      mission: slug,
      env,
      agentStateDir,
      writeScenario: (scenario) => writeFileSync(scenarioFile, `${JSON.stringify(scenario, null, 2)}\n`),
      writeConfig: (config) =>
        writeFileSync(
          path.join(repo.root, '.kittify', 'orchestrator.yaml'),
          typeof config === 'string' ? config : toYaml(withAgentStateWritable(config, agentStateDir)),
        ),
      laneEvents: () =>
        options.host === 'real'
          ? readRealLaneEvents(repo.root, slug)
          : readSimulatedLaneEvents(repo.root, slug),
      cleanup,
    };
    project.writeScenario(options.scenario ?? {});
    project.writeConfig(options.config ?? TEST_CONFIG);
    return project;
  } catch (error) {
    cleanup();
    throw error;
  }
}

/**
 * The parts of the test runner's environment a user's shell would have too; the runner's own
 * variables (VITEST_*, the host the global setup chose, NODE_OPTIONS) stay out.
 */
function inheritedEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'TERM', 'SHELL'];
  const env: Record<string, string> = {};
  for (const key of keep) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/** The default real host's installed script itself (not the warm one). */
function coldRealHostBin(): string {
  const host = realHosts()[0];
  if (host === undefined) throw new Error('no real host installed: run node scripts/ensure-host.mjs');
  return host.coldBin;
}
