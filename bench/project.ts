/**
 * A throwaway project for one benchmark run: a git repository with the scenario's mission on the
 * chosen host, the orchestrator config, the fake agents' scenario, and the environment every
 * process of the run gets (fake agents first on PATH, the host in SPEC_KITTY_BIN, offline host).
 */
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { createSimulatedMission } from '../src/host/simulated/create-mission.js';
import { createRealMission } from '../test/support/real-mission.js';
import { createTempRepo, GIT_TEST_ENV, git, hostTestEnv } from '../test/support/temp-repo.js';
import { fakeAgentScenario, type Scenario } from './scenarios.js';

export type HostKind = 'real' | 'simulated';

/** The repository root: the folder holding package.json above this file (source or compiled). */
export function projectRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'fixtures'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the spec-kitty-orchestrator root above the bench');
    dir = parent;
  }
  return dir;
}

export function hostBinFor(host: HostKind): string {
  const root = projectRoot();
  if (host === 'simulated') return path.join(root, 'fixtures', 'bin', 'spec-kitty');
  const bin = process.env.SPEC_KITTY_BIN ?? path.join(root, '.cache', 'host-venv', 'bin', 'spec-kitty');
  if (!existsSync(bin)) {
    throw new Error(
      `the real host is not installed at ${bin}: run \`npm run host:install\` or set SPEC_KITTY_BIN`,
    );
  }
  return bin;
}

export interface BenchProject {
  root: string;
  scratch: string;
  mission: string;
  env: Record<string, string>;
  cleanup(): void;
}

export interface BenchProjectOptions {
  host: HostKind;
  scenario: Scenario;
  concurrency: number;
  agentMs: number;
}

export async function createBenchProject(options: BenchProjectOptions): Promise<BenchProject> {
  const root = projectRoot();
  const repo = createTempRepo('sko-bench-');
  const scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-bench-scratch-')));
  // git's detached auto-gc can still be writing into the repository's .git when a run ends
  // (ENOTEMPTY lost two 500-WP results on 2026-12-06): rmSync retries that, a while.
  const removeAll = { recursive: true, force: true, maxRetries: 10, retryDelay: 300 } as const;
  const cleanup = () => {
    for (const dir of [repo.root, scratch]) {
      try {
        rmSync(dir, removeAll);
      } catch (error) {
        // A result is worth more than a clean /tmp: it survived ten retries, say so and go on.
        process.stderr.write(
          `bench: could not remove ${dir} (${(error as Error).message}); remove it by hand\n`,
        );
      }
    }
  };
  try {
    const home = path.join(scratch, 'host-home');
    const agentState = path.join(scratch, 'agent-state');
    mkdirSync(home);
    mkdirSync(agentState);
    const scenarioFile = path.join(scratch, 'agents-scenario.json');
    writeFileSync(scenarioFile, JSON.stringify(fakeAgentScenario(options.scenario, options.agentMs)));
    const hostBin = hostBinFor(options.host);
    const env: Record<string, string> = {
      ...inheritedEnv(),
      ...GIT_TEST_ENV,
      ...hostTestEnv(home),
      PATH: [path.join(root, 'fixtures', 'agents', 'bin'), process.env.PATH ?? ''].join(path.delimiter),
      SPEC_KITTY_BIN: hostBin,
      FAKE_AGENT_SCENARIO: scenarioFile,
      FAKE_AGENT_STATE_DIR: agentState,
      CI: 'true',
    };
    // The real host refuses to commit planning artifacts on a protected branch (main).
    git(repo.root, 'checkout', '-q', '-b', 'feature/bench');
    mkdirSync(path.join(repo.root, '.kittify'), { recursive: true });
    // The real host names the mission itself (`<name>-<mid8>`).
    let slug = options.scenario.mission.slug;
    if (options.host === 'real') {
      const created = await createRealMission(repo.root, options.scenario.mission, {
        hostBin,
        env: { ...hostTestEnv(home), ...GIT_TEST_ENV },
      });
      slug = created.slug;
    } else {
      await createSimulatedMission(repo.root, options.scenario.mission);
    }
    // Defaults everywhere except the agents and the concurrency under test.
    writeFileSync(
      path.join(repo.root, '.kittify', 'orchestrator.yaml'),
      toYaml({
        agents: { implementation: ['claude-code'], review: ['claude-code'] },
        max_concurrent_wps: options.concurrency,
        timeout_seconds: 3600,
        // Confined fake agents keep their attempt counters here (bubblewrap, where installed).
        sandbox_writable: [agentState],
      }),
    );
    return { root: repo.root, scratch, mission: slug, env, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** What a user's shell would have too; the parent's own settings (NODE_OPTIONS...) stay out. */
function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'TERM', 'SHELL']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}
