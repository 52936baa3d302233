/**
 * `demo`: a sample mission on the built-in simulated host with fake agents, in a temporary
 * folder. Needs nothing but `npm install`: no spec-kitty, no real agent, no network.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineCommand } from 'citty';
import { execa } from 'execa';
import { createSimulatedMission, createSimulatedTransport } from '../../host/simulated/index.js';
import { defaultConfig } from '../config/index.js';
import { DEMO_MISSION, demoScenario } from '../demo/demo-mission.js';
import { logger } from '../logger.js';
import { launchRun } from '../runtime/launch-run.js';
import { debugArg, jsonArg } from './shared-args.js';

const fixturesDir = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

async function createDemoRepo(agentMs: number): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'sko-demo-'));
  const git = (...args: string[]) => execa('git', args, { cwd: root });
  await git('init', '-q', '-b', 'main');
  await git('config', 'user.name', 'Demo User');
  await git('config', 'user.email', 'demo@example.invalid');
  await mkdir(path.join(root, '.kittify'), { recursive: true });
  await writeFile(path.join(root, '.gitignore'), '.worktrees/\n.kittify/\n');
  await writeFile(path.join(root, 'README.md'), '# greeter\n');
  await git('add', '.');
  await git('commit', '-q', '-m', 'initial commit');
  await createSimulatedMission(root, DEMO_MISSION);
  const stateDir = path.join(root, '.kittify', 'fake-agent-state');
  await mkdir(stateDir, { recursive: true });
  const scenario = path.join(stateDir, 'scenario.json');
  await writeFile(scenario, JSON.stringify(demoScenario(agentMs), null, 2));
  // The fake agents (and the `spec-kitty` they call to mark subtasks) are found on PATH.
  process.env.PATH = [
    path.join(fixturesDir, 'bin'),
    path.join(fixturesDir, 'agents', 'bin'),
    process.env.PATH,
  ].join(path.delimiter);
  // The fake agents prefer SPEC_KITTY_BIN: a user's real host there would get the demo's
  // mark-status calls for a mission it does not have.
  process.env.SPEC_KITTY_BIN = path.join(fixturesDir, 'bin', 'spec-kitty');
  process.env.FAKE_AGENT_SCENARIO = scenario;
  process.env.FAKE_AGENT_STATE_DIR = stateDir;
  process.env.GIT_AUTHOR_NAME ??= 'Demo Agent';
  process.env.GIT_AUTHOR_EMAIL ??= 'agent@example.invalid';
  process.env.GIT_COMMITTER_NAME ??= 'Demo Agent';
  process.env.GIT_COMMITTER_EMAIL ??= 'agent@example.invalid';
  return root;
}

export default defineCommand({
  meta: { name: 'demo', description: 'Run a sample mission on the built-in simulated host with fake agents' },
  args: {
    'agent-ms': {
      type: 'string',
      description: 'How long each fake agent works (default 1500)',
      valueHint: 'ms',
    },
    'host-ms': {
      type: 'string',
      description: 'Simulated host latency per call (default 200)',
      valueHint: 'ms',
    },
    keep: {
      type: 'boolean',
      description: 'Keep the temporary project folder to look around',
      default: false,
    },
    ...jsonArg,
    ...debugArg,
  },
  async run({ args }) {
    const agentMs = Number(args['agent-ms'] ?? 1500);
    const hostMs = Number(args['host-ms'] ?? 200);
    const repoRoot = await createDemoRepo(Number.isFinite(agentMs) ? agentMs : 1500);
    logger.info(`demo project: ${repoRoot}`);
    const config = defaultConfig();
    config.agents = { implementation: ['claude-code', 'codex'], review: ['claude-code'] };
    config.maxConcurrentWps = 3;
    config.retryBackoffSeconds = 0.5;
    // The fake agents keep their attempt counters here: confined agents may write it too.
    config.sandboxWritable = [path.join(repoRoot, '.kittify', 'fake-agent-state')];
    try {
      return await launchRun({
        repoRoot,
        mission: DEMO_MISSION.slug,
        actor: 'spec-kitty-orchestrator',
        config,
        transport: createSimulatedTransport({ repoRoot, latencyMs: Number.isFinite(hostMs) ? hostMs : 200 }),
        output: { json: args.json },
      });
    } finally {
      if (args.keep) logger.info(`kept the demo project at ${repoRoot}`);
      else await rm(repoRoot, { recursive: true, force: true });
    }
  },
});
