/** `orchestrate`: run a mission to completion. */
import { randomUUID } from 'node:crypto';
import { defineCommand } from 'citty';
import { LockHeldError, lockPath, readLock, readRunState } from '../../actors/persistence/index.js';
import { detectAgents } from '../../agents/detect.js';
import { probeAgentFlags } from '../../agents/probe-flags.js';
import { createExecTransport } from '../../host/exec-transport.js';
import { CliError } from '../cli-error.js';
import { EXIT } from '../exit-codes.js';
import { parseInspectPort } from '../runtime/inspect-port.js';
import { launchRun } from '../runtime/launch-run.js';
import { printPlan } from '../runtime/plan.js';
import { loadEffectiveConfig } from '../runtime/preflight.js';
import { resolveRepoRoot } from '../runtime/repo-root.js';
import { lockAndReap } from '../runtime/run-session.js';
import { ownedInReviewFrom, RESUMABLE_STATUSES } from '../runtime/saved-run.js';
import {
  actorArg,
  agentOverrideArgs,
  agentOverrides,
  debugArg,
  eventLogArg,
  jsonArg,
  repoRootArg,
} from './shared-args.js';

/** Exit 5 with the holder's pid when a live orchestrator holds this repository's lock. */
async function refuseIfLocked(repoRoot: string): Promise<void> {
  const lock = await readLock(repoRoot);
  if (lock.kind === 'held' && lock.alive !== false) {
    const held = new LockHeldError(lockPath(repoRoot), lock.holder, lock.sameHost);
    throw new CliError(held.message, EXIT.locked, undefined, { cause: held });
  }
}

export default defineCommand({
  meta: { name: 'orchestrate', description: 'Drive a mission to completion with AI coding agents' },
  args: {
    mission: {
      type: 'string',
      alias: 'm',
      description: 'Mission slug exactly as spec-kitty names it (e.g. 001-my-feature)',
      required: true,
      valueHint: 'slug',
    },
    ...agentOverrideArgs,
    ...actorArg,
    ...repoRootArg,
    'dry-run': {
      type: 'boolean',
      description: 'Check everything and print the plan; change nothing',
      default: false,
    },
    ...jsonArg,
    ...eventLogArg,
    inspect: {
      type: 'string',
      description: 'Relay the live actors to the Stately inspector on this port (default 8080)',
      valueHint: 'port',
    },
    accept: {
      type: 'boolean',
      description: 'Accept the mission when every WP is done',
      default: true,
      negativeDescription: 'Do not accept the mission at the end',
    },
    fresh: {
      type: 'boolean',
      description: 'Start a new run even if an unfinished one is saved',
      default: false,
    },
    ...debugArg,
  },
  async run({ args, rawArgs }) {
    const repoRoot = resolveRepoRoot(args['repo-root']);
    const { config, warnings } = await loadEffectiveConfig(repoRoot, {
      ...agentOverrides(args),
      ...(args.accept === false ? { acceptOnCompletion: false } : {}),
    });
    for (const warning of warnings) console.warn(warning);
    const inspectPort = parseInspectPort(rawArgs, args.inspect);

    const saved = args['dry-run'] ? undefined : await readRunState(repoRoot);
    const unfinished =
      saved?.kind === 'ok' &&
      saved.state.mission === args.mission &&
      RESUMABLE_STATUSES.has(saved.state.status)
        ? saved.state
        : undefined;
    if (unfinished && !args.fresh) {
      // A `running` run may really be running: then the lock, not `resume`, is the answer.
      await refuseIfLocked(repoRoot);
      throw new CliError(
        `mission ${args.mission} has an unfinished run (${unfinished.status}, started ${unfinished.startedAt})`,
        EXIT.usage,
        'continue it with `spec-kitty-orchestrator resume`, or start over with `orchestrate --fresh` (host lanes are kept)',
      );
    }

    // A real run takes the repository lock and stops agents a killed run left behind before its
    // first host read (a second orchestrator is refused at once, its agents untouched); a dry run
    // changes nothing and needs neither.
    const runId = randomUUID();
    const lock = args['dry-run'] ? undefined : await lockAndReap(repoRoot, { mission: args.mission, runId });
    try {
      return await launchRun({
        repoRoot,
        mission: args.mission,
        actor: args.actor,
        runId,
        ...(lock ? { lock } : {}),
        // --fresh: the replaced run's review claims stay ours (mission-state cannot tell whose).
        ...(unfinished ? { ownedInReview: ownedInReviewFrom(unfinished) } : {}),
        config,
        transport: createExecTransport({ repoRoot }),
        output: {
          json: args.json,
          ...(args['event-log'] ? { eventLog: args['event-log'] } : {}),
          ...(inspectPort ? { inspectPort } : {}),
        },
        ...(args['dry-run']
          ? {
              beforeStart: async (facts) => {
                const wanted = [...new Set([...config.agents.implementation, ...config.agents.review])];
                const agentChecks = await probeAgentFlags(
                  await detectAgents({ agents: wanted }),
                  config.agentSettings,
                );
                await printPlan({
                  agentChecks,
                  sandbox: {
                    sandboxed: facts.sandbox.settings !== undefined,
                    summary: facts.sandbox.summary,
                  },
                  repoRoot,
                  mission: args.mission,
                  config,
                  missionState: facts.missionState,
                  json: args.json,
                });
                return EXIT.ok;
              },
            }
          : {}),
      });
    } finally {
      // The session releases it at its end; this covers a failure before the session started.
      await lock?.release();
    }
  },
});
