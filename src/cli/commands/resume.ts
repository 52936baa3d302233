/**
 * `resume`: continue the saved run by restoring its actors (`createActor({ snapshot })`): every
 * WP actor comes back with its attempts, agents tried, backoff deadline, review cycle, feedback,
 * workspace and usage. A WP that was sending a lane change or running an agent first reads its
 * host lane and does that step again only if it had not taken effect (machines/restore); the
 * mission re-reads mission-state at once, so the host's lanes win where they disagree with the
 * snapshot. Before any host read, the repository lock is taken, agents a crashed run left running
 * are killed, and host calls it left running are waited for, so the lanes read are final. */
import { defineCommand } from 'citty';
import { type RunState, readRunState } from '../../actors/persistence/index.js';
import { waitForOrphanHostCalls } from '../../actors/process/orphan-host-calls.js';
import { createExecTransport } from '../../host/exec-transport.js';
import { CliError } from '../cli-error.js';
import { EXIT } from '../exit-codes.js';
import { logger } from '../logger.js';
import { launchRun } from '../runtime/launch-run.js';
import { machineVersion } from '../runtime/machine-version.js';
import { loadEffectiveConfig } from '../runtime/preflight.js';
import { resolveRepoRoot } from '../runtime/repo-root.js';
import { lockAndReap } from '../runtime/run-session.js';
import { RESUMABLE_STATUSES, readSavedSnapshot } from '../runtime/saved-run.js';
import {
  agentOverrideArgs,
  agentOverrides,
  debugArg,
  eventLogArg,
  jsonArg,
  repoRootArg,
} from './shared-args.js';

async function loadSavedRun(repoRoot: string): Promise<RunState> {
  const saved = await readRunState(repoRoot);
  if (saved.kind === 'missing') {
    throw new CliError(
      `no saved run in ${repoRoot}`,
      EXIT.environment,
      'start one with `spec-kitty-orchestrator orchestrate --mission <slug>`',
    );
  }
  if (saved.kind === 'invalid') {
    throw new CliError(saved.error.message, EXIT.usage, undefined, { cause: saved.error });
  }
  if (!RESUMABLE_STATUSES.has(saved.state.status)) {
    throw new CliError(
      `the saved run of mission ${saved.state.mission} already ended (${saved.state.status}); nothing to resume`,
      EXIT.environment,
      `start a new run with \`orchestrate --mission ${saved.state.mission}\`; \`status\` shows how it ended`,
    );
  }
  // Refused before the lock and any host call: nothing of the saved run is touched.
  const read = readSavedSnapshot(saved.state);
  if (!read.ok) {
    throw new CliError(
      `the saved run cannot be restored by this version (machines ${machineVersion()}, the run's ${saved.state.machineVersion}): ${read.problem}`,
      EXIT.usage,
      `finish it with the version that started it, or start over with \`orchestrate --mission ${saved.state.mission} --fresh\` (the host's lanes are kept, and so are the reviews the saved run had claimed)`,
    );
  }
  return saved.state;
}

/** Host calls take 1-2 s; one a crashed run left running is over long before this. */
const ORPHAN_HOST_CALL_WAIT_MS = 120_000;

/**
 * A crashed run's last host call may still be running (SIGKILL does not reach it): wait for it,
 * so the lanes read next are final. Called with the lock held, so these calls are no live
 * orchestrator's.
 */
async function settleOrphanHostCalls(repoRoot: string): Promise<void> {
  const settled = await waitForOrphanHostCalls(repoRoot, ORPHAN_HOST_CALL_WAIT_MS, (pids) =>
    logger.info(
      `waiting for ${pids.length} host call(s) an earlier run left running (pid ${pids.join(', ')})`,
    ),
  );
  if (!settled) logger.warn('host calls of an earlier run are still running; resuming anyway');
}

export default defineCommand({
  meta: { name: 'resume', description: 'Continue the saved run (after Ctrl-C, abort, or a crash)' },
  args: {
    actor: {
      type: 'string',
      description: 'Actor name (default: the one the run started with)',
      valueHint: 'id',
    },
    ...repoRootArg,
    ...agentOverrideArgs,
    ...jsonArg,
    ...eventLogArg,
    ...debugArg,
  },
  async run({ args }) {
    const repoRoot = resolveRepoRoot(args['repo-root']);
    const saved = await loadSavedRun(repoRoot);
    // The lock first (a live orchestrator is refused here, its agents untouched), then the earlier
    // run's leftovers, then the host: its first read already sees every lane the earlier run moved.
    const lock = await lockAndReap(repoRoot, saved);
    try {
      await settleOrphanHostCalls(repoRoot);
      const { config } = await loadEffectiveConfig(repoRoot, {
        ...agentOverrides(args),
      });
      return await launchRun({
        repoRoot,
        mission: saved.mission,
        actor: args.actor ?? saved.actor,
        config,
        transport: createExecTransport({ repoRoot }),
        output: { json: args.json, ...(args['event-log'] ? { eventLog: args['event-log'] } : {}) },
        resume: saved,
        lock,
      });
    } finally {
      // The session releases it at its end; this covers a failure before the session started.
      await lock.release();
    }
  },
});
