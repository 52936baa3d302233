/**
 * `resume`: continue the saved run. The host's lanes win: every unfinished WP is picked up from
 * the lane the host reports (a claimed or in_progress WP is implemented again in the same
 * worktree, keeping partial edits; a for_review WP goes straight to review), and reviews this
 * run had claimed (in_review) are returned to for_review and reviewed again. Each WP actor starts
 * with what the saved run's actor knew (workspace, lane base, attempts, review cycle, feedback,
 * usage: see carriedWpsFrom). Before any host read, the repository lock is taken, agents a crashed
 * run left running are killed, and host calls it left running are waited for, so the lanes read
 * are final and nothing of the earlier run changes them any more.
 */
import { defineCommand } from 'citty';
import { type RunState, readRunState } from '../../actors/persistence/index.js';
import { waitForOrphanHostCalls } from '../../actors/process/orphan-host-calls.js';
import { createExecTransport } from '../../host/exec-transport.js';
import { CliError } from '../cli-error.js';
import { EXIT } from '../exit-codes.js';
import { logger } from '../logger.js';
import { launchRun } from '../runtime/launch-run.js';
import { machineVersion, resumableMachineVersion } from '../runtime/machine-version.js';
import { loadEffectiveConfig } from '../runtime/preflight.js';
import { resolveRepoRoot } from '../runtime/repo-root.js';
import { lockAndReap } from '../runtime/run-session.js';
import { ownedInReviewFrom, RESUMABLE_STATUSES } from '../runtime/saved-run.js';
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
  if (!resumableMachineVersion(saved.state.machineVersion)) {
    throw new CliError(
      `the saved run was written by different orchestrator machines (${saved.state.machineVersion}, this version has ${machineVersion()})`,
      EXIT.usage,
      `finish it with the version that started it, or start over with \`orchestrate --mission ${saved.state.mission} --fresh\` (the host's lanes are kept)`,
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
        resume: {
          runId: saved.runId,
          startedAt: saved.startedAt,
          ownedInReview: ownedInReviewFrom(saved),
        },
        lock,
      });
    } finally {
      // The session releases it at its end; this covers a failure before the session started.
      await lock.release();
    }
  },
});
