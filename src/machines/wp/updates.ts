/**
 * Pure context updates of the wpMachine, one per thing that happened. The machine wraps each in
 * `assign`; keeping them here keeps the machine file readable and lets tests call them directly.
 */
import type { AgentRole } from '../../agents/types.js';
import type { Lane } from '../../host/lanes.js';
import { describeError } from '../shared/error-info.js';
import type { EpochMs } from '../shared/time.js';
import { backoffMs, currentAgent } from './context.js';
import { feedbackReference, reviewReference } from './references.js';
import { resumeStepAfterRestore } from './restore-steps.js';
import type {
  AttemptFailure,
  CommitLaneWorkOutput,
  PhaseTiming,
  PrepareWorkspaceOutput,
  RoleState,
  RunAgentOutput,
  WorkspaceInfo,
  WpContext,
  WpOutcome,
} from './types.js';

type Update = Partial<WpContext>;

export function seen(context: WpContext, at: EpochMs): Update {
  const lastSeenAt = context.lastSeenAt === null ? at : Math.max(context.lastSeenAt, at);
  return { lastSeenAt, firstSeenAt: context.firstSeenAt ?? at };
}

function widen(timings: Record<string, PhaseTiming>, phase: string, startedAt: EpochMs, finishedAt: EpochMs) {
  const previous = timings[phase];
  return {
    ...timings,
    [phase]: {
      startedAt: previous?.startedAt ?? startedAt,
      finishedAt: Math.max(previous?.finishedAt ?? finishedAt, finishedAt),
    },
  };
}

function patchRole(context: WpContext, role: AgentRole, patch: Partial<RoleState>): Update {
  return { [role]: { ...context[role], ...patch } } as Update;
}

interface LaneData {
  workspace_path: string;
  prompt_path: string;
  lane_id?: string | null | undefined;
  lane_branch?: string | null | undefined;
  lane_base_ref?: string | null | undefined;
}

export function workspaceFrom(data: LaneData): WorkspaceInfo {
  return {
    workspacePath: data.workspace_path,
    promptPath: data.prompt_path,
    laneId: data.lane_id ?? null,
    laneBranch: data.lane_branch ?? null,
    laneBaseRef: data.lane_base_ref ?? null,
  };
}

/** A host call answered: where the WP is now, and when. */
export function laneMoved(context: WpContext, lane: Lane, at: EpochMs): Update {
  return { lane, ...seen(context, at) };
}

export function prepared(context: WpContext, output: PrepareWorkspaceOutput): Update {
  const workspace = context.workspace ? { ...context.workspace, workspacePath: output.workspacePath } : null;
  return {
    workspace,
    promptText: output.promptText,
    subtaskIds: output.subtaskIds,
    // Kept when known: a resumed phase counts the commits it made before the crash too.
    baseHead: context.baseHead ?? output.baseHead,
    ...seen(context, output.at),
  };
}

/** Books one finished agent run (whatever its result): usage, log, timings, who ran. */
export function agentRan(context: WpContext, role: AgentRole, output: RunAgentOutput): Update {
  const { result } = output;
  const state = context[role];
  const agentsTried = state.agentsTried.includes(result.agent)
    ? state.agentsTried
    : [...state.agentsTried, result.agent];
  const usage = {
    inputTokens: context.usage.inputTokens + (result.usage?.inputTokens ?? 0),
    outputTokens: context.usage.outputTokens + (result.usage?.outputTokens ?? 0),
    costUsd: context.usage.costUsd + (result.usage?.costUsd ?? 0),
  };
  return {
    ...patchRole(context, role, { agentsTried, runs: state.runs + 1 }),
    usage,
    logPaths: context.logPaths.includes(result.logPath)
      ? context.logPaths
      : [...context.logPaths, result.logPath],
    timings: widen(context.timings, role, output.startedAt, output.finishedAt),
    ...seen(context, output.finishedAt),
  };
}

function failure(
  context: WpContext,
  role: AgentRole,
  kind: AttemptFailure['kind'],
  message: string,
  at: EpochMs | null,
) {
  return {
    lastFailure: {
      role,
      agent: currentAgent(context, role),
      attempt: context[role].attempt,
      kind,
      message,
      at,
    },
  };
}

/** The agent process ran and reported failure (or, for a reviewer, no verdict). */
export function agentFailed(context: WpContext, role: AgentRole, output: RunAgentOutput): Update {
  const { result } = output;
  const booked = agentRan(context, role, output);
  if (result.success) {
    return {
      ...booked,
      ...failure(context, role, 'no_output', 'review agent reported no verdict', output.finishedAt),
    };
  }
  const message = result.errors[0] ?? `exit code ${result.exitCode ?? 'none'}`;
  return {
    ...booked,
    ...failure(context, role, result.failureKind ?? 'general', message, output.finishedAt),
  };
}

/** The runAgent actor itself threw: counted as a general failure of the agent in charge. */
export function agentCrashed(context: WpContext, role: AgentRole, error: unknown): Update {
  const state = context[role];
  const agent = currentAgent(context, role);
  const agentsTried = state.agentsTried.includes(agent) ? state.agentsTried : [...state.agentsTried, agent];
  return {
    ...patchRole(context, role, { agentsTried, runs: state.runs + 1 }),
    ...failure(context, role, 'general', describeError(error).message, null),
  };
}

export function committed(context: WpContext, output: CommitLaneWorkOutput): Update {
  return { commits: context.commits + output.commitCount, lastFailure: null, ...seen(context, output.at) };
}

/** Exit 0 but nothing to commit: the run failed, the WP must not advance. */
export function producedNothing(context: WpContext, output: CommitLaneWorkOutput): Update {
  const message = 'agent exited successfully but left no changes to commit';
  return {
    ...failure(context, 'implementation', 'no_output', message, output.at),
    ...seen(context, output.at),
  };
}

export function scheduleRetry(context: WpContext): Update {
  const failed = context.lastFailure;
  const attempt = failed?.attempt ?? 1;
  const from = failed?.at ?? context.lastSeenAt ?? 0;
  return { retryDeadline: from + backoffMs(context, attempt) };
}

export function nextAttempt(context: WpContext, role: AgentRole, at: EpochMs | null): Update {
  return {
    ...patchRole(context, role, { attempt: context[role].attempt + 1 }),
    retryDeadline: null,
    ...(at === null ? {} : seen(context, at)),
  };
}

export function fallBack(context: WpContext, role: AgentRole): Update {
  return patchRole(context, role, { agentIndex: context[role].agentIndex + 1, attempt: 1 });
}

/** A new implementation phase (first run or rework) starts with attempt 1 of the agent in charge. */
export function restartRole(context: WpContext, role: AgentRole): Update {
  return patchRole(context, role, { attempt: 1 });
}

/** A new implementation phase: attempt 1, and commits are counted from the lane head found next. */
export function restartImplementationPhase(context: WpContext): Update {
  return { ...restartRole(context, 'implementation'), baseHead: null };
}

/** A lane change failed: keep its error until mission-state says whether it took effect. */
export function heldHostError(error: unknown): Update {
  return { lastError: describeError(error) };
}

/**
 * A move from in_review back to in_progress is a rework: a new implementation phase (attempt 1,
 * commits counted from the lane head found next), whether our rework request's answer arrived,
 * was lost, or the run was killed before it came.
 */
function reworkStarted(context: WpContext, lane: Lane): Update {
  return context.lane === 'in_review' && lane === 'in_progress' ? restartImplementationPhase(context) : {};
}

/** The host lane moved although our call failed: start again from it, knowing what we know. */
export function adoptedHostLane(context: WpContext, lane: Lane, at: EpochMs): Update {
  return {
    ...reworkStarted(context, lane),
    entryLane: lane,
    lane,
    reconciles: context.reconciles + 1,
    resumeStep: null,
    lastError: null,
    // Only our own start-review (or a review result we were sending) leaves it in_review now.
    ownedInReview: context.ownedInReview || (lane === 'in_review' && context.reviewCycle > 0),
    ...seen(context, at),
  };
}

/**
 * A restored WP read its host lane (restoring): continue at the saved step when the lane shows it
 * had not taken effect, else from the host lane. A start-review that had not taken effect is
 * entered again, and its entry counts the cycle again, so the cycle it had counted is given back;
 * a rework request that did take effect starts the new implementation phase it would have.
 */
export function restoredHostLane(context: WpContext, lane: Lane, at: EpochMs): Update {
  const step = resumeStepAfterRestore(context.resumeStep, context.lane, lane);
  const claimAgain = step === 'forReview.claimingReview';
  return {
    ...reworkStarted(context, lane),
    entryLane: lane,
    lane,
    resumeStep: step,
    ...(claimAgain ? { reviewCycle: Math.max(0, context.reviewCycle - 1) } : {}),
    ...seen(context, at),
  };
}

export function beginReviewCycle(context: WpContext): Update {
  const cycle = context.reviewCycle + 1;
  return {
    reviewCycle: cycle,
    reviewRef: reviewReference(context.runId, context.wpId, cycle),
    diffSummary: null,
    ...patchRole(context, 'review', { attempt: 1 }),
  };
}

export function reviewApproved(context: WpContext, output: RunAgentOutput): Update {
  return {
    ...agentRan(context, 'review', output),
    lastReviewResult: {
      reviewer: output.result.agent,
      verdict: 'approved',
      reference: context.reviewRef ?? '',
    },
  };
}

export function reviewRejected(context: WpContext, output: RunAgentOutput): Update {
  const feedback = output.result.verdict?.feedback ?? '';
  return {
    ...agentRan(context, 'review', output),
    lastFeedback: feedback,
    lastReviewResult: {
      reviewer: output.result.agent,
      verdict: 'changes_requested',
      reference: feedbackReference(context.runId, context.wpId, context.reviewCycle),
    },
  };
}

export function hostFailed(error: unknown): Update {
  const info = describeError(error);
  return { lastError: info, outcomeReason: `host refused: ${info.code}: ${info.message}` };
}

export function localStepFailed(step: string, error: unknown): Update {
  const info = describeError(error);
  return { lastError: info, blockReason: `${step} failed: ${info.message}` };
}

export function finish(context: WpContext, outcome: WpOutcome): Update {
  const reason =
    outcome === 'blocked' ? context.blockReason : outcome === 'failed' ? context.outcomeReason : null;
  return { outcome, outcomeReason: reason };
}

export function enqueueNote(context: WpContext, note: string): Update {
  return { pendingNotes: [...context.pendingNotes, note] };
}

export function dropWrittenNote(context: WpContext, failed: boolean): Update {
  return {
    pendingNotes: context.pendingNotes.slice(1),
    noteFailures: context.noteFailures + (failed ? 1 : 0),
  };
}
