/** Builds each invoked actor's input from context: pure, JSON-serializable, host argument shapes. */
import type { AgentRole } from '../../agents/types.js';
import { type Lane, POLICY_LANES } from '../../host/lanes.js';
import { currentAgent } from './context.js';
import { feedbackExcerpt, startNote } from './notes.js';
import type {
  CommitLaneWorkInput,
  HostAppendHistoryInput,
  HostResolveWorkspaceInput,
  HostStartImplementationInput,
  HostStartReviewInput,
  HostTransitionInput,
  HostWpLaneInput,
  LaneDiffSummaryInput,
  PrepareWorkspaceInput,
  ReviewResult,
  RunAgentInput,
  WorkspaceInfo,
  WpContext,
} from './types.js';

function wpRef(context: WpContext) {
  return { mission: context.mission, wp: context.wpId, actor: context.actor };
}

function requireWorkspace(context: WpContext): WorkspaceInfo {
  if (!context.workspace) throw new Error(`${context.wpId}: no workspace known yet (host gave none)`);
  return context.workspace;
}

export function startImplementationInput(context: WpContext): HostStartImplementationInput {
  return { ...wpRef(context), policy: context.policy };
}

export function resolveWorkspaceInput(context: WpContext): HostResolveWorkspaceInput {
  return { mission: context.mission, wp: context.wpId };
}

export function wpLaneInput(context: WpContext): HostWpLaneInput {
  return { mission: context.mission, wp: context.wpId };
}

export function startReviewInput(context: WpContext): HostStartReviewInput {
  return { ...wpRef(context), policy: context.policy, reviewRef: context.reviewRef ?? undefined };
}

function transition(context: WpContext, to: Lane, extra: Partial<HostTransitionInput>): HostTransitionInput {
  const args: HostTransitionInput = { ...wpRef(context), to, ...extra };
  if (POLICY_LANES.has(to)) args.policy = context.policy;
  return args;
}

export function submitInput(context: WpContext): HostTransitionInput {
  const agent = currentAgent(context, 'implementation');
  const what =
    context.reviewCycle > 0 ? `Rework after review cycle ${context.reviewCycle}` : 'Implementation';
  const attempt = `attempt ${context.implementation.attempt} of ${context.config.maxRetries + 1}`;
  return transition(context, 'for_review', {
    note: `${what} by ${agent} (${attempt}) complete (${context.commits} commit(s) on lane)`,
  });
}

export function recoverReviewInput(context: WpContext): HostTransitionInput {
  return transition(context, 'for_review', {
    force: true,
    note: 'recovery: the reviewer of an earlier orchestrator run died; review starts again',
  });
}

function requireReviewResult(context: WpContext): ReviewResult {
  if (!context.lastReviewResult) throw new Error(`${context.wpId}: no review result recorded`);
  return context.lastReviewResult;
}

export function completeInput(context: WpContext): HostTransitionInput {
  const result = requireReviewResult(context);
  return transition(context, 'done', {
    reviewRef: result.reference,
    reviewResult: result,
    evidence: { review: result },
    note: `Review approved by ${result.reviewer} in cycle ${context.reviewCycle}`,
  });
}

export function requestChangesInput(context: WpContext): HostTransitionInput {
  const result = requireReviewResult(context);
  const excerpt = feedbackExcerpt(context.lastFeedback ?? '');
  return transition(context, 'in_progress', {
    reviewRef: result.reference,
    reviewResult: result,
    note: `Review cycle ${context.reviewCycle} rejected by ${result.reviewer}. Feedback: ${excerpt || '(none given)'}`,
  });
}

/** Leaving in_review needs a changes_requested review result even when the reviewers crashed. */
export function blockInput(context: WpContext): HostTransitionInput {
  const note = context.blockReason ?? 'blocked by the orchestrator';
  if (context.lane !== 'in_review') return transition(context, 'blocked', { note });
  const reference = context.reviewRef ?? `review-${context.wpId}-cycle${context.reviewCycle}`;
  const result: ReviewResult =
    context.lastReviewResult?.verdict === 'changes_requested'
      ? context.lastReviewResult
      : { reviewer: currentAgent(context, 'review'), verdict: 'changes_requested', reference };
  return transition(context, 'blocked', { note, reviewRef: result.reference, reviewResult: result });
}

export function prepareInput(context: WpContext): PrepareWorkspaceInput {
  const workspace = requireWorkspace(context);
  return {
    repoRoot: context.repoRoot,
    mission: context.mission,
    wpId: context.wpId,
    workspacePath: workspace.workspacePath,
    promptPath: workspace.promptPath,
    laneBranch: workspace.laneBranch,
    laneBaseRef: workspace.laneBaseRef,
  };
}

export function runAgentInput(context: WpContext, role: AgentRole): RunAgentInput {
  const workspace = requireWorkspace(context);
  const attempt = context[role].attempt;
  return {
    agent: currentAgent(context, role),
    role,
    mission: context.mission,
    wpId: context.wpId,
    workspacePath: workspace.workspacePath,
    promptPath: workspace.promptPath,
    timeoutSeconds: context.config.timeoutSeconds,
    attempt,
    prompt: {
      wpPromptText: context.promptText ?? '',
      subtaskIds: role === 'implementation' ? context.subtaskIds : [],
      feedback: role === 'implementation' ? context.lastFeedback : null,
      diffSummary: role === 'review' ? context.diffSummary : null,
      reviewCycle: context.reviewCycle,
    },
    log: { mission: context.mission, wpId: context.wpId, role, attempt, reviewCycle: context.reviewCycle },
  };
}

export function commitInput(context: WpContext): CommitLaneWorkInput {
  const workspace = requireWorkspace(context);
  return {
    workspacePath: workspace.workspacePath,
    laneBranch: workspace.laneBranch,
    baseHead: context.baseHead,
    wpId: context.wpId,
    agent: currentAgent(context, 'implementation'),
    kind: context.reviewCycle > 0 ? 'rework' : 'implementation',
  };
}

export function diffSummaryInput(context: WpContext): LaneDiffSummaryInput {
  const workspace = requireWorkspace(context);
  return {
    workspacePath: workspace.workspacePath,
    laneBranch: workspace.laneBranch,
    laneBaseRef: workspace.laneBaseRef,
  };
}

export function noteInput(context: WpContext): HostAppendHistoryInput {
  return { ...wpRef(context), note: context.pendingNotes[0] ?? '' };
}

/**
 * The note of an agent run that no lane change tells: a retry of the same agent or a fallback to
 * the next one, after a failed run of that role. A first run, and a rework after review, is told
 * by the note on the lane change that ends it (for_review, done, in_progress), so it costs no host
 * process of its own. Null when the run needs no note.
 */
export function retryOrFallbackNote(context: WpContext, role: AgentRole): string | null {
  if (context.lastFailure?.role !== role) return null;
  return startNote({
    role,
    agent: currentAgent(context, role),
    attempt: context[role].attempt,
    maxAttempts: context.config.maxRetries + 1,
    reviewCycle: context.reviewCycle,
    previous: context.lastFailure,
    rework: role === 'implementation' && context.reviewCycle > 0,
  });
}
