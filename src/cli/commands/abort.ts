/**
 * `abort`: stop a running orchestrator gracefully (SIGTERM: it saves its state and stops its
 * agents), or record the abort of a run that is not running. Host lanes are left as they are.
 * With --cleanup-worktrees, also remove the provider-local state and logs (never the host's
 * worktrees or branches: they hold the agents' committed work and belong to spec-kitty).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineCommand } from 'citty';
import {
  isHolderProcess,
  readLock,
  readRunState,
  removeRunState,
  runStatePath,
  writeRunStateAtomic,
} from '../../actors/persistence/index.js';
import { EXIT } from '../exit-codes.js';
import { logger } from '../logger.js';
import { resolveRepoRoot } from '../runtime/repo-root.js';
import { debugArg, repoRootArg } from './shared-args.js';

const STOP_WAIT_MS = 30_000;
/** Run statuses that mean the run has not ended (a crashed run stays `running`). */
const ABORTABLE = new Set(['running', 'interrupted']);

async function stopRunningOrchestrator(repoRoot: string): Promise<boolean> {
  const lock = await readLock(repoRoot);
  // alive: the pid runs AND is the process that took the lock (its start time matches), so a
  // reused pid is never signalled; the same check guards the wait below.
  if (lock.kind !== 'held' || lock.alive !== true || !lock.sameHost) return false;
  const { holder } = lock;
  const { pid, mission } = holder;
  logger.info(`stopping the orchestrator running mission ${mission} (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_WAIT_MS;
  while (Date.now() < deadline && isHolderProcess(holder)) await sleep(200);
  if (isHolderProcess(holder)) {
    logger.warn(
      `pid ${pid} is still running after ${STOP_WAIT_MS / 1000}s; it will stop once its agents are down`,
    );
  } else {
    logger.success(
      `stopped pid ${pid}; its state is saved (continue with \`spec-kitty-orchestrator resume\`)`,
    );
  }
  return true;
}

export default defineCommand({
  meta: { name: 'abort', description: 'Stop a running orchestrator and record the abort' },
  args: {
    ...repoRootArg,
    'cleanup-worktrees': {
      type: 'boolean',
      description: "Also remove the orchestrator's own state file and logs (host worktrees are kept)",
      default: false,
    },
    ...debugArg,
  },
  async run({ args }) {
    const repoRoot = resolveRepoRoot(args['repo-root']);
    const stopped = await stopRunningOrchestrator(repoRoot);
    const saved = await readRunState(repoRoot);
    if (!stopped) {
      // Only an unfinished run can be aborted: marking a finished one `aborted` would make
      // `orchestrate` refuse to start and `resume` offer to continue a run that is over.
      if (saved.kind === 'ok' && ABORTABLE.has(saved.state.status)) {
        await writeRunStateAtomic(repoRoot, {
          ...saved.state,
          status: 'aborted',
          updatedAt: new Date().toISOString(),
        });
        logger.info(
          `recorded the abort of the run of mission ${saved.state.mission}; host lanes are unchanged`,
        );
      } else if (saved.kind === 'ok' && saved.state.status !== 'aborted') {
        logger.info(
          `the last run of mission ${saved.state.mission} already ended (${saved.state.status}); nothing to abort`,
        );
      } else if (saved.kind === 'missing') {
        logger.info('no orchestrator is running and no run is saved');
      }
    }
    if (!args['cleanup-worktrees']) {
      if (saved.kind !== 'missing')
        logger.info('the run state is kept: `resume` continues it, `abort --cleanup-worktrees` removes it');
      return EXIT.ok;
    }
    const removed: string[] = [];
    if ((await removeRunState(repoRoot)).removed) removed.push(runStatePath(repoRoot));
    const mission = saved.kind === 'ok' ? saved.state.mission : undefined;
    const logs = mission
      ? path.join(repoRoot, '.kittify', 'logs', mission)
      : path.join(repoRoot, '.kittify', 'logs');
    try {
      await rm(logs, { recursive: true });
      removed.push(`${logs}/`);
    } catch {
      // no logs: nothing to say
    }
    if (removed.length === 0) logger.info('nothing to remove');
    for (const item of removed) logger.info(`removed ${item}`);
    logger.info(
      'kept: the host worktrees (.worktrees/) and lane branches, which hold the committed agent work',
    );
    return EXIT.ok;
  },
});
