/**
 * Real agent CLIs against the scripted model server. `runRealAgentMission` runs the BUILT CLI's
 * `orchestrate` on the REAL host with a two-WP mission (WP02 after WP01) and the real CLI(s) as
 * implementer and reviewer, configured the way a user configures them (`agent_settings` in
 * .kittify/orchestrator.yaml). `runRealAgentOnce` runs one adapter invocation of the real binary
 * in a throwaway git repository, without the host, for fault classification and argv checks.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAgent } from '../../../src/actors/agents/run-agent.js';
import { probeSandbox } from '../../../src/actors/sandbox/detect-sandbox.js';
import { buildImplementationPrompt, buildReviewPrompt } from '../../../src/agents/prompts.js';
import { getAdapter } from '../../../src/agents/registry.js';
import type { AgentId, AgentResult, AgentRole, AgentSettings } from '../../../src/agents/types.js';
import { type CliResult, runCli } from '../../cli-e2e/support/cli.js';
import { hostMissionState, lanesOf } from '../../cli-e2e/support/inspect.js';
import {
  type CliProject,
  createCliProject,
  TEST_CONFIG,
  twoWpMission,
} from '../../cli-e2e/support/project.js';
import { loadCodecs } from '../../support/model-server/codecs.js';
import type { Scenario } from '../../support/model-server/script.js';
import { type ModelServer, startModelServer } from '../../support/model-server/server.js';
import { createTempRepo, GIT_TEST_ENV, git, hostTestEnv, realHostBin } from '../../support/temp-repo.js';
import { type InstalledAgent, installedAgent, PROJECT_ROOT } from './installed.js';
import type { AgentProfile, AgentSettingsFile, ProfileContext } from './profile.js';
import { recordRealAgentProof } from './proof.js';

export const REAL_AGENT_CONFIG = {
  ...TEST_CONFIG,
  max_concurrent_wps: 2,
  max_retries: 0,
  max_review_cycles: 2,
  // A real CLI against a local server takes seconds; a stuck one must not eat the CI budget.
  timeout_seconds: 240,
};

/** Environment every real CLI gets: no update checks, no colour, no interactive pager. */
const QUIET_ENV: Record<string, string> = {
  NO_COLOR: '1',
  FORCE_COLOR: '0',
  NO_UPDATE_NOTIFIER: '1',
  npm_config_update_notifier: 'false',
  CI: 'true',
};

function writeHomeFiles(
  profiles: readonly AgentProfile[],
  contextOf: (p: AgentProfile) => ProfileContext,
): void {
  for (const profile of profiles) {
    const files = profile.homeFiles?.(contextOf(profile)) ?? {};
    for (const [relative, content] of Object.entries(files)) {
      const file = path.join(contextOf(profile).home, relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }
}

/**
 * PATH for a real run: the agents' bin folders first, then the host's venv when the run has a
 * mission for it; never the fake agents.
 */
function realPath(agents: readonly InstalledAgent[], withHost: boolean): string {
  const rest = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.includes(`fixtures${path.sep}agents`));
  const host = withHost ? [path.dirname(realHostBin())] : [];
  return [...agents.map((agent) => agent.binDir), ...host, ...rest].join(path.delimiter);
}

export interface RealMissionOptions {
  /** The agent under test (implementer and reviewer unless the lists below say otherwise). */
  profile: AgentProfile;
  /** More agents the run may use (e.g. a fallback); each needs its own profile. */
  otherProfiles?: readonly AgentProfile[];
  implementation?: readonly AgentId[];
  review?: readonly AgentId[];
  scenario?: Scenario;
  config?: Record<string, unknown>;
  slug?: string;
}

export interface RealMissionRun {
  project: CliProject;
  server: ModelServer;
  result: CliResult;
  home: string;
  /** JSONL event records of the run (--event-log). */
  events: Record<string, unknown>[];
  hostLanes(): Promise<Record<string, string>>;
  /** Whether some lane branch of the mission holds this file with this text in it. */
  laneBranchHolds(file: string, text?: string): boolean;
  versions: Record<string, string>;
  cleanup(): Promise<void>;
}

function settingsOf(file: AgentSettingsFile): Record<string, unknown> {
  return Object.fromEntries(Object.entries(file).filter(([, value]) => value !== undefined));
}

export async function runRealAgentMission(options: RealMissionOptions): Promise<RealMissionRun> {
  const profiles = [options.profile, ...(options.otherProfiles ?? [])];
  const installed = profiles.map((profile) => installedAgent(profile.id));
  const server = await startModelServer({
    codecs: await loadCodecs(profiles.map((profile) => profile.family)),
    ...(options.scenario ? { scenario: options.scenario } : {}),
  });
  const slug = options.slug ?? `001-real-${options.profile.id}`;
  const project = await createCliProject({ host: 'real', mission: twoWpMission(slug) });
  const home = realpathSync(mkdtempSync(path.join(tmpdir(), `sko-real-${options.profile.id}-home-`)));
  const contextOf = (profile: AgentProfile): ProfileContext => ({
    baseUrl: server.baseUrl(profile.id),
    home,
  });
  writeHomeFiles(profiles, contextOf);
  const agentSettings = Object.fromEntries(
    profiles.map((profile) => [profile.id, settingsOf(profile.settings(contextOf(profile)))]),
  );
  project.writeConfig({
    ...REAL_AGENT_CONFIG,
    agents: {
      implementation: [...(options.implementation ?? [options.profile.id])],
      review: [...(options.review ?? [options.profile.id])],
    },
    agent_settings: agentSettings,
    ...(options.config ?? {}),
  });
  const eventLog = path.join(home, 'events.jsonl');
  const env: Record<string, string> = {
    ...project.env,
    ...QUIET_ENV,
    ...hostTestEnv(path.join(home, '.spec-kitty-home')),
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    PATH: realPath(installed, true),
  };
  const result = await runCli(['orchestrate', '--mission', project.mission, '--event-log', eventLog], {
    cwd: project.root,
    env,
  });
  // The real CLIs run confined, as a user's default run does where bubblewrap works (CI
  // installs it): a mission that passed unconfined would prove nothing about the sandbox.
  if ((await probeSandbox()).available && !result.stderr.includes('agents run confined by bubblewrap')) {
    throw new Error(
      `the run was not confined by bubblewrap although it is installed:\n${result.stderr.slice(-2000)}`,
    );
  }
  let events: Record<string, unknown>[] = [];
  try {
    events = readFileSync(eventLog, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  } catch {
    events = [];
  }
  const lanePrefix = `kitty/mission-${project.mission}-lane-`;
  return {
    project,
    server,
    result,
    home,
    events,
    hostLanes: async () => lanesOf(await hostMissionState(project)),
    laneBranchHolds: (file, text) => {
      const lanes = git(project.root, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/')
        .split('\n')
        .filter((name) => name.startsWith(lanePrefix));
      return lanes.some((lane) => {
        try {
          const content = git(project.root, 'show', `${lane}:${file}`);
          return text === undefined || content.includes(text);
        } catch {
          return false;
        }
      });
    },
    versions: Object.fromEntries(installed.map((agent) => [agent.id, agent.version])),
    cleanup: async () => {
      await server.close();
      project.cleanup();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface RealOnceOptions {
  profile: AgentProfile;
  role: AgentRole;
  scenario?: Scenario;
  timeoutSeconds?: number;
  /** Replace the profile's settings (e.g. no credentials at all). */
  settings?: AgentSettingsFile;
  /** Skip the profile's HOME files (an empty HOME: no credentials, no config). */
  emptyHome?: boolean;
  /** More environment for the agent process (e.g. a fake agent's FAKE_AGENT_ACTION). */
  env?: Record<string, string>;
}

export interface RealOnceRun {
  result: AgentResult;
  /**
   * Files that appeared in the directory the run was started from (its PWD, as a user's shell
   * sets it): an agent must work in its workspace (cwd), never there.
   */
  strayFiles: string[];
  /** What the run changed in its workspace (`git status --porcelain` paths). */
  workspaceChanges: string[];
  server: ModelServer;
  log: string;
  version: string;
  argv: string[];
}

function toAgentSettings(file: AgentSettingsFile): AgentSettings {
  return {
    ...(file.model !== undefined ? { model: file.model } : {}),
    ...(file.review_model !== undefined ? { reviewModel: file.review_model } : {}),
    ...(file.max_turns !== undefined ? { maxTurns: file.max_turns } : {}),
    ...(file.extra_args !== undefined ? { extraArgs: file.extra_args } : {}),
    ...(file.env !== undefined ? { env: file.env } : {}),
  };
}

const ONCE_WP_PROMPT = [
  '---',
  'work_package_id: WP01',
  'subtasks:',
  '  - T001',
  '---',
  '# WP01 Core module',
  '',
  'Implement the core module.',
  '',
].join('\n');

/**
 * One run of the real binary with our exact argv and prompt, in a fresh git repository. There is
 * no mission and no host on PATH: the prompt's mark-status line fails harmlessly ("not found"),
 * where a real host would start (3 s of CPU on a loaded machine) only to say the mission is unknown.
 */
export async function runRealAgentOnce(options: RealOnceOptions): Promise<RealOnceRun> {
  return runOnce(options, installedAgent(options.profile.id));
}

export const FAKE_AGENTS_BIN = path.join(PROJECT_ROOT, 'fixtures', 'agents', 'bin');

/**
 * The same run with our fake agent standing in for the real binary (same adapter, same argv,
 * same prompt): what the fake-versus-real contract test compares.
 */
export async function runFakeAgentOnce(options: RealOnceOptions): Promise<RealOnceRun> {
  const binary = path.join(FAKE_AGENTS_BIN, getAdapter(options.profile.id).binary);
  return runOnce(options, {
    id: options.profile.id,
    package: 'fixtures/agents',
    version: 'fake',
    binary,
    binDir: FAKE_AGENTS_BIN,
  });
}

async function runOnce(options: RealOnceOptions, agent: InstalledAgent): Promise<RealOnceRun> {
  const server = await startModelServer({
    codecs: await loadCodecs([options.profile.family]),
    ...(options.scenario ? { scenario: options.scenario } : {}),
  });
  const repo = createTempRepo(`sko-real-once-${options.profile.id}-`);
  const home = realpathSync(mkdtempSync(path.join(tmpdir(), `sko-real-once-${options.profile.id}-home-`)));
  const startedFrom = realpathSync(
    mkdtempSync(path.join(tmpdir(), `sko-real-once-${options.profile.id}-pwd-`)),
  );
  const context: ProfileContext = { baseUrl: server.baseUrl(options.profile.id), home };
  try {
    if (!options.emptyHome) writeHomeFiles([options.profile], () => context);
    const settings = toAgentSettings(options.settings ?? options.profile.settings(context));
    const prompt =
      options.role === 'review'
        ? buildReviewPrompt({ wpPrompt: ONCE_WP_PROMPT, mission: '001-once', wpId: 'WP01', diffSummary: '' })
        : buildImplementationPrompt({ wpPrompt: ONCE_WP_PROMPT, mission: '001-once', subtaskIds: ['T001'] });
    const logPath = path.join(home, 'agent.log');
    const savedEnv = { ...process.env };
    // A temp folder of the run's own, as the sandbox gives: Codex (0.169, 0.171) refuses to set up
    // its helper links in a CODEX_HOME under the temp folder ("Refusing to create helper binaries
    // under temporary dir"), and without them its own bubblewrap (the system one, where
    // installed) cannot start its commands. A user's HOME is never under /tmp; the tests' is.
    const privateTmp = path.join(home, 'tmp');
    mkdirSync(privateTmp, { recursive: true });
    // runAgent gives the agent this process's environment plus the adapter's: isolate it.
    Object.assign(process.env, {
      TMPDIR: privateTmp,
      ...QUIET_ENV,
      ...GIT_TEST_ENV,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      XDG_STATE_HOME: path.join(home, '.local', 'state'),
      PATH: realPath([agent], false),
      // The fake agent runs the host named here: none, like the real CLI without it on PATH.
      SPEC_KITTY_BIN: 'spec-kitty',
      PWD: startedFrom,
      ...(options.env ?? {}),
    });
    let result: AgentResult;
    try {
      result = await runAgent({
        agent: options.profile.id,
        role: options.role,
        prompt,
        workspacePath: repo.root,
        logPath,
        timeoutSeconds: options.timeoutSeconds ?? 120,
        launcher: [agent.binary],
        settings,
        repoRoot: repo.root,
        mission: '001-once',
      });
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
      Object.assign(process.env, savedEnv);
    }
    let log = '';
    try {
      log = readFileSync(logPath, 'utf8');
    } catch {
      log = '';
    }
    const invocation = getAdapter(options.profile.id).buildInvocation({
      role: options.role,
      prompt,
      workspace: repo.root,
      timeoutSeconds: options.timeoutSeconds ?? 120,
      launcher: [agent.binary],
      settings,
      repoRoot: repo.root,
      mission: '001-once',
    });
    return {
      result,
      server,
      log,
      version: agent.version,
      argv: invocation.args,
      strayFiles: readdirSync(startedFrom, { recursive: true, encoding: 'utf8' }),
      workspaceChanges: git(repo.root, 'status', '--porcelain', '-uall')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.slice(3)),
    };
  } finally {
    await server.close();
    repo.cleanup();
    rmSync(home, { recursive: true, force: true });
    rmSync(startedFrom, { recursive: true, force: true });
  }
}

export { recordRealAgentProof };

/**
 * How long one real-agent mission may take: a few minutes on a quiet machine, but CI runs it next
 * to the host's CPU-bound start-ups and other agents' Node start-ups on 2 cores (opencode and
 * kilo needed more than 240 s there).
 */
export const REAL_AGENT_MISSION_TIMEOUT_MS = 420_000;
