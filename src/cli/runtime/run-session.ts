/**
 * One orchestration session: the mission actor, its persistence, its observers, and the signal
 * handling around it. Used by `orchestrate`, `resume` and `demo`.
 *
 * Persistence: every `@xstate.snapshot` inspection event (children included; a root subscribe
 * would miss them) schedules a coalesced atomic write of the run-state file.
 * Signals: the first Ctrl-C (or SIGTERM from `abort`) stops every agent at once and sends nothing
 * new, lets the lane changes already sent finish while the actors record their answers, saves the
 * state, then stops the actors; a second one exits at once (agent groups are still killed on the
 * way out).
 */
import { createActor, type InspectionEvent, type Snapshot, toPromise } from 'xstate';
import { excludeRuntimeFiles } from '../../actors/persistence/git-exclude.js';
import {
  type AtomicFs,
  acquireRunLock,
  createSnapshotWriter,
  LockHeldError,
  nodeAtomicFs,
  RUN_STATE_FORMAT_VERSION,
  type RunLock,
  type RunState,
  type RunStatus,
  type SnapshotWriterStats,
  writeRunStateAtomic,
} from '../../actors/persistence/index.js';
import { createAgentRegistry, reapRecordedAgents } from '../../actors/process/agent-registry.js';
import { keepAwake } from '../../actors/process/keep-awake.js';
import { createRunHold } from '../../actors/process/run-hold.js';
import type { SandboxSettings } from '../../actors/sandbox/confine-run.js';
import type { AgentId } from '../../agents/types.js';
import type { HostApi } from '../../host/api.js';
import type { Policy } from '../../host/policy.js';
import { serializePolicy } from '../../host/policy.js';
import type { MissionConfig, MissionInput, MissionOutput } from '../../machines/index.js';
import type { RestorePlan } from '../../machines/restore/make-restore-safe.js';
import { CliError } from '../cli-error.js';
import type { OrchestratorConfig } from '../config/index.js';
import { exitCodeForErrorCode } from '../errors/describe.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { logger } from '../logger.js';
import { isAcceptanceFailure } from '../output/acceptance.js';
import { machineVersion } from './machine-version.js';
import { createMissionLogic } from './mission-logic.js';
import { restorePlan } from './saved-run.js';
import { writePriorityOf } from './state-write-priority.js';

export type InspectObserver = (event: InspectionEvent) => void;

export interface SessionOptions {
  repoRoot: string;
  mission: string;
  actor: string;
  runId: string;
  policy: Policy;
  config: OrchestratorConfig;
  host: HostApi;
  launchers: Partial<Record<AgentId, readonly string[]>>;
  startedAt: string;
  /** WPs in in_review that an earlier run of ours had claimed for review (`orchestrate --fresh`). */
  ownedInReview?: string[];
  /** `resume`: the saved run whose actors are restored (same run id). */
  restoreFrom?: RunState;
  /** Confine agent runs with bubblewrap (chooseSandbox); absent: agents run unconfined. */
  sandbox?: SandboxSettings;
  /** Called for every inspection event (event log, live view, inspector). */
  observers?: InspectObserver[];
  /** Install SIGINT/SIGTERM handlers (the CLI does; in-process tests do not). */
  handleSignals?: boolean;
  graceMs?: number;
  /** The file-system seam of the run-state writes (tests inject failures through it). */
  stateFs?: AtomicFs;
  /**
   * Lane changes and notes already sent to the host: how many, and a wait for them. After Ctrl-C
   * or abort they are let finish (up to SENT_SETTLE_MS) before the process exits.
   */
  sent?: { inFlight(): number; settle(timeoutMs: number): Promise<number> };
  /**
   * The repository lock, when the caller took it (with lockAndReap) before its own host reads;
   * the session then neither takes it nor reaps again, and releases it at its end as usual.
   */
  lock?: RunLock;
}

export interface SessionResult {
  output: MissionOutput | null;
  status: RunStatus;
  exitCode: ExitCode;
  /** The run-state writer's counters (the final write after `stop()` is not in them). */
  writerStats?: SnapshotWriterStats;
}

export function toMissionConfig(config: OrchestratorConfig): MissionConfig {
  return {
    maxConcurrent: config.maxConcurrentWps,
    agents: { implementation: [...config.agents.implementation], review: [...config.agents.review] },
    maxRetries: config.maxRetries,
    retryBackoffSeconds: config.retryBackoffSeconds,
    timeoutSeconds: config.timeoutSeconds,
    singleAgentMode: config.singleAgentMode,
    maxReviewCycles: config.maxReviewCycles,
    acceptOnCompletion: config.acceptOnCompletion,
    pollIntervalSeconds: config.pollIntervalSeconds,
  };
}

export function runStatusFor(output: MissionOutput): RunStatus {
  return output.status;
}

export function exitCodeFor(output: MissionOutput): ExitCode {
  switch (output.status) {
    case 'completed':
      return isAcceptanceFailure(output) ? EXIT.notAccepted : EXIT.ok;
    case 'stalled':
      return EXIT.stalled;
    case 'aborted':
      return EXIT.interrupted;
    case 'failed':
      if (isAcceptanceFailure(output)) return EXIT.notAccepted;
      return output.error ? exitCodeForErrorCode(output.error.code) : EXIT.problems;
    default:
      return EXIT.problems;
  }
}

async function takeLock(repoRoot: string, mission: string, runId: string): Promise<RunLock> {
  try {
    return await acquireRunLock(repoRoot, { mission, runId });
  } catch (error) {
    if (error instanceof LockHeldError) {
      throw new CliError(error.message, EXIT.locked, undefined, { cause: error });
    }
    throw error;
  }
}

/** Agents get this long between SIGTERM and SIGKILL when an earlier run's leftovers are reaped. */
const REAP_GRACE_MS = 5_000;

/**
 * Agent process groups a crashed (SIGKILLed) run left behind are killed, so no two agents ever
 * work in one worktree. Only the lock holder may do this: the registry records the agents of this
 * repository's single orchestrator, so once we hold the lock every live group in it is an orphan
 * (a live orchestrator's agents are safe: its lock refuses us first).
 */
async function reapLeftoverAgents(repoRoot: string, graceMs: number): Promise<void> {
  const report = await reapRecordedAgents(repoRoot, graceMs);
  if (report.unreadable)
    logger.warn(`the record of earlier agent processes was unreadable (${report.unreadable}); replaced`);
  for (const agent of report.reaped) {
    logger.warn(
      `stopped agent ${agent.agent} (${agent.role} of ${agent.wpId}, process group ${agent.pid}) left running by an earlier run`,
    );
  }
}

/** A lane change takes seconds; one still running after this is reported and left to `resume`. */
const SENT_SETTLE_MS = 60_000;

/**
 * After an interrupt, agents are stopped at once but a lane change already sent is let finish:
 * killed half-way it would leave the host's lock and our reconciliation guessing.
 */
async function settleSentMutations(sent: SessionOptions['sent']): Promise<void> {
  const running = sent?.inFlight() ?? 0;
  if (!sent || running === 0) return;
  logger.info(
    `letting ${running} lane change(s) already sent to the host finish (up to ${SENT_SETTLE_MS / 1000} s; Ctrl-C again exits at once)`,
  );
  const left = await sent.settle(SENT_SETTLE_MS);
  if (left === 0) logger.info('the host answered every lane change that was sent');
  else
    logger.warn(
      `${left} lane change(s) still running after ${SENT_SETTLE_MS / 1000} s; \`resume\` checks them`,
    );
}

/** A failure here costs a noisy `git status` (and, on host 4.0, a `git_dirty` refusal), not the run. */
async function keepRuntimeFilesOutOfGit(repoRoot: string): Promise<void> {
  try {
    await excludeRuntimeFiles(repoRoot);
  } catch (error) {
    logger.warn(
      `could not list the orchestrator's runtime files in git's info/exclude (${(error as Error).message}); they will show as untracked`,
    );
  }
}

/**
 * Takes the repository lock, then reaps what a crashed run left running. `resume` calls it before
 * its first host read: an orphan agent still at work would otherwise go on changing its worktree
 * (and marking subtasks) while the lanes are read, and the resumed run would act on a stale view.
 */
export async function lockAndReap(
  repoRoot: string,
  lockFor: { mission: string; runId: string },
  graceMs: number = REAP_GRACE_MS,
): Promise<RunLock> {
  // Before the lock directory exists, so it never shows in `git status`.
  await keepRuntimeFilesOutOfGit(repoRoot);
  const lock = await takeLock(repoRoot, lockFor.mission, lockFor.runId);
  try {
    await reapLeftoverAgents(repoRoot, graceMs);
  } catch (error) {
    await lock.release();
    throw error;
  }
  return lock;
}

/** The saved run made safe to restore with this session's facts, or a one-line refusal. */
function restoreOrRefuse(saved: RunState, input: MissionInput): RestorePlan {
  const result = restorePlan(saved, { actor: input.actor, policy: input.policy, config: input.config });
  if (result.ok) return result.plan;
  throw new CliError(
    `the saved run cannot be restored by this version: ${result.problem}`,
    EXIT.usage,
    `finish it with the version that started it, or start over with \`orchestrate --mission ${saved.mission} --fresh\` (the host's lanes are kept, and so are the reviews the saved run had claimed)`,
  );
}

function reportRestore(plan: RestorePlan): void {
  const steps = (list: { wpId: string; step: string }[]) =>
    list.map((entry) => `${entry.wpId} (${entry.step})`).join(', ');
  if (plan.reconciled.length > 0)
    logger.info(`restored; reading the host lane first for ${steps(plan.reconciled)}`);
  if (plan.rerun.length > 0) logger.info(`restored; continuing ${steps(plan.rerun)}`);
  if (plan.folded.length > 0) logger.info(`restored; results taken over for ${plan.folded.join(', ')}`);
}

export async function runSession(options: SessionOptions): Promise<SessionResult> {
  const lock =
    options.lock ?? (await lockAndReap(options.repoRoot, options, options.graceMs ?? REAP_GRACE_MS));
  const input: MissionInput = {
    mission: options.mission,
    actor: options.actor,
    policy: serializePolicy(options.policy),
    config: toMissionConfig(options.config),
    repoRoot: options.repoRoot,
    runId: options.runId,
    ...(options.ownedInReview?.length ? { ownedInReview: [...options.ownedInReview].sort() } : {}),
  };
  const restore = options.restoreFrom ? restoreOrRefuse(options.restoreFrom, input) : undefined;
  const agentRegistry = createAgentRegistry(options.repoRoot);
  // Ctrl-C or abort: agents stop at once, nothing new is sent, sent lane changes finish (RunHold).
  const hold = createRunHold();
  // Bound once the writer exists (below); the logic is built first because the actor needs it.
  let writeAhead: () => Promise<void> = async () => {};
  const logic = createMissionLogic({
    host: options.host,
    repoRoot: options.repoRoot,
    launchers: options.launchers,
    agentSettings: options.config.agentSettings,
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
    // Throwing here stops the agent at once: one we could not record, we could not reap.
    onAgentStart: (start) => agentRegistry.record(start),
    // Resuming our own run: a WP left in_progress with a killed agent's edits is ours to finish.
    adoptDirtyInProgress: restore !== undefined || input.ownedInReview !== undefined,
    // Every lane mutation waits for the state naming it to be on disk (see WriteAhead).
    writeAhead: () => writeAhead(),
    hold,
  });

  let status: RunStatus = 'running';
  let actorRef: ReturnType<typeof createActor<typeof logic>> | undefined;
  const buildState = (): RunState => ({
    format: 'spec-kitty-orchestrator/run-state',
    formatVersion: RUN_STATE_FORMAT_VERSION,
    machineVersion: machineVersion(),
    runId: options.runId,
    mission: options.mission,
    actor: options.actor,
    policy: options.policy as Record<string, unknown>,
    repoRoot: options.repoRoot,
    startedAt: options.startedAt,
    updatedAt: new Date().toISOString(),
    status,
    pid: process.pid,
    // Serialized at once by writeRunStateAtomic (before its first await), so no copy is needed.
    snapshot: (actorRef?.getPersistedSnapshot() ?? { status: 'active', value: {} }) as RunState['snapshot'],
  });
  const stateFs = options.stateFs ?? nodeAtomicFs;
  const saveState = () => writeRunStateAtomic(options.repoRoot, buildState(), stateFs);
  // A failed write leaves the previous file in place (atomic replace), so resume still works from
  // it; say so once when writes start failing and once when they work again, not on every snapshot.
  let failingSince: number | null = null;
  const writer = createSnapshotWriter<null>({
    write: async () => {
      const receipt = await saveState();
      if (failingSince !== null) {
        logger.info(
          `the run state is saved again (${writer.stats().failedWrites - failingSince} write(s) had failed)`,
        );
        failingSince = null;
      }
      return receipt;
    },
    onError: (error) => {
      if (failingSince === null)
        logger.warn(`could not save the run state (the last saved state is kept): ${String(error)}`);
      failingSince ??= writer.stats().failedWrites - 1;
    },
  });

  // A failed write is reported by onError and the mutation still goes out: the previous file
  // stays, and the resumed WP reconciles with the host as it did before write-ahead existed.
  writeAhead = () => {
    writer.schedule(null, 'prompt');
    return writer.flush();
  };

  const observers = options.observers ?? [];
  const inspect = (event: InspectionEvent) => {
    const priority = writePriorityOf(event);
    if (priority) writer.schedule(null, priority);
    for (const observe of observers) {
      try {
        observe(event);
      } catch (error) {
        logger.debug(`observer failed: ${String(error)}`);
      }
    }
  };
  // Resume restores the saved actors themselves (made safe first: see makeRestoreSafe).
  const actor = restore
    ? createActor(logic, { input, snapshot: restore.mission as unknown as Snapshot<unknown>, inspect })
    : createActor(logic, { input, inspect });
  actorRef = actor;
  if (restore) reportRestore(restore);

  let interrupt: ((reason: RunStatus) => void) | undefined;
  const interrupted = new Promise<RunStatus>((resolve) => {
    interrupt = resolve;
  });
  let signalCount = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signalCount += 1;
    if (signalCount > 1) {
      const left = options.sent?.inFlight() ?? 0;
      logger.warn(
        left > 0
          ? `second interrupt: exiting now; ${left} lane change(s) sent to the host keep running and finish on their own (\`resume\` waits for them)`
          : 'second interrupt: exiting now',
      );
      lock.releaseSync();
      process.exit(EXIT.interrupted);
    }
    logger.warn(`${signal}: saving the run state and stopping agents (press Ctrl-C again to exit at once)`);
    interrupt?.(signal === 'SIGTERM' ? 'aborted' : 'interrupted');
  };
  if (options.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  // Started beside the run: finding out whether the inhibitor holds takes a moment.
  const awake = keepAwake({ why: `orchestrating mission ${options.mission}` }).then((held) => {
    if (held.tool) logger.info(`keeping the machine awake while the run lasts (${held.tool})`);
    else logger.debug('no sleep inhibitor available (systemd-inhibit / caffeinate): the machine may sleep');
    return held;
  });
  try {
    actor.start();
    const finished = toPromise(actor).then((output) => ({ kind: 'done' as const, output }));
    const stopped = interrupted.then((reason) => ({ kind: 'interrupted' as const, reason }));
    const outcome = await Promise.race([finished, stopped]);
    if (outcome.kind === 'interrupted') {
      // Agents stop now and nothing new is sent; the lane changes already sent finish and the
      // actors record their answers, so the state saved next says where each WP really is (a
      // WP whose change went through is not checked again by resume). Then every actor stops.
      status = outcome.reason;
      hold.begin();
      await settleSentMutations(options.sent);
      await new Promise((resolve) => setImmediate(resolve));
      await writer.flush();
      await writer.stop();
      await saveState().catch((error) => logger.warn(`could not save the run state: ${String(error)}`));
      actor.stop();
      return { output: null, status, exitCode: EXIT.interrupted, writerStats: writer.stats() };
    }
    status = runStatusFor(outcome.output);
    await writer.flush();
    await writer.stop();
    await saveState().catch((error) => logger.warn(`could not save the final run state: ${String(error)}`));
    return {
      output: outcome.output,
      status,
      exitCode: exitCodeFor(outcome.output),
      writerStats: writer.stats(),
    };
  } finally {
    if (options.handleSignals) {
      // After an interrupt the process still waits for agent groups to die (their grace
      // period): keep listening, so a second Ctrl-C exits at once instead of being ignored.
      if (signalCount === 0) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    }
    actor.stop();
    (await awake).release();
    await lock.release();
  }
}
