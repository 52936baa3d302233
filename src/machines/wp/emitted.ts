/**
 * The domain events the wpMachine emits (XState `emit`): what happened to a WP, told by the
 * machine at the transition that decided it, so nobody downstream has to rebuild it by comparing
 * contexts or reading state names. The JSONL records (src/cli/output/events.ts), the live view
 * and the summary are made from these. Pure builders over context and actor outputs; each is
 * called by an action placed where its fact is decided (see setup.ts for which runs when).
 */
import type { AgentId, AgentRole, AgentUsage, FailureKind } from '../../agents/types.js';
import { describeError } from '../shared/error-info.js';
import type { EpochMs } from '../shared/time.js';
import { agentsFor, buildOutput } from './context.js';
import type { RunAgentOutput, WpContext, WpOutput } from './types.js';

/** Which run of which agent an event is about. */
export interface AgentRunRef {
  wpId: string;
  role: AgentRole;
  /** Null only when the role's agent list has no agent at that index (a configuration error). */
  agent: AgentId | null;
  attempt: number;
  reviewCycle: number;
}

/** An agent process is about to run (entry of implementing / reviewing). */
export interface AgentStarted extends AgentRunRef {
  type: 'wp.agentStarted';
}

/**
 * An agent run ended, as the machine judged it: a reviewer that exited 0 without a verdict did
 * not succeed (`no_output`); `crashed` means the runAgent actor itself threw.
 */
export interface AgentFinished extends AgentRunRef {
  type: 'wp.agentFinished';
  success: boolean;
  failureKind: FailureKind | 'crashed' | null;
  exitCode: number | null;
  /** The first error the agent reported, or why it could not run (full text). */
  error: string | null;
  durationMs: number | null;
  usage: AgentUsage | null;
  logPath: string | null;
}

/** A failed run will be tried again by the same agent once the backoff deadline passes. */
export interface RetryScheduled {
  type: 'wp.retryScheduled';
  wpId: string;
  role: AgentRole;
  agent: AgentId;
  failedAttempt: number;
  nextAttempt: number;
  failureKind: FailureKind;
  message: string;
  /** The backoff deadline the machine keeps in context (epoch ms). */
  retryAt: EpochMs | null;
}

/** The agent in charge is out of retries (or cannot be retried): the next one in the list takes over. */
export interface FellBack {
  type: 'wp.fellBack';
  wpId: string;
  role: AgentRole;
  fromAgent: AgentId | null;
  toAgent: AgentId | null;
  failureKind: FailureKind | null;
  message: string | null;
}

/** start-review is about to be sent for a new review cycle. */
export interface ReviewCycleStarted {
  type: 'wp.reviewCycleStarted';
  wpId: string;
  reviewCycle: number;
  /** The review reference sent with start-review. */
  reference: string | null;
  reviewer: AgentId | null;
}

/** A reviewer's verdict was read, and how: from its output, or inferred from its exit code. */
export interface VerdictRead {
  type: 'wp.verdictRead';
  wpId: string;
  reviewCycle: number;
  /** The agent that gave the verdict, as the review result names it. */
  reviewer: string;
  verdict: 'approved' | 'changes_requested';
  decidedBy: 'output' | 'exit_code' | null;
  /** The review reference the lane change carries (the feedback reference for a rejection). */
  reference: string;
  /** The reviewer's feedback (rejections only; full text). */
  feedback: string | null;
}

/** The lane flow is over (done, blocked or failed); history notes may still be queued. */
export interface FlowEnded {
  type: 'wp.flowEnded';
  output: WpOutput;
}

export type WpEmitted =
  | AgentStarted
  | AgentFinished
  | RetryScheduled
  | FellBack
  | ReviewCycleStarted
  | VerdictRead
  | FlowEnded;

function agentAt(context: WpContext, role: AgentRole, index: number): AgentId | null {
  return agentsFor(context, role)[index] ?? null;
}

function runRef(context: WpContext, role: AgentRole): AgentRunRef {
  return {
    wpId: context.wpId,
    role,
    agent: agentAt(context, role, context[role].agentIndex),
    attempt: context[role].attempt,
    reviewCycle: context.reviewCycle,
  };
}

export function agentStarted(context: WpContext, role: AgentRole): AgentStarted {
  return { type: 'wp.agentStarted', ...runRef(context, role) };
}

/** Built from the context before the run is booked (attempt and agent of the run that ended). */
export function agentFinished(context: WpContext, role: AgentRole, output: RunAgentOutput): AgentFinished {
  const { result } = output;
  const noVerdict = role === 'review' && result.success && result.verdict === undefined;
  const success = result.success && !noVerdict;
  return {
    type: 'wp.agentFinished',
    ...runRef(context, role),
    agent: result.agent,
    success,
    failureKind: success ? null : noVerdict ? 'no_output' : (result.failureKind ?? 'general'),
    exitCode: result.exitCode,
    error: result.errors[0] ?? null,
    durationMs: Math.max(0, output.finishedAt - output.startedAt),
    usage: result.usage ?? null,
    logPath: result.logPath,
  };
}

export function agentCrashed(context: WpContext, role: AgentRole, error: unknown): AgentFinished {
  return {
    type: 'wp.agentFinished',
    ...runRef(context, role),
    success: false,
    failureKind: 'crashed',
    exitCode: null,
    error: describeError(error).message,
    durationMs: null,
    usage: null,
    logPath: null,
  };
}

/** Built after scheduleRetry: the deadline is in context, the attempt not yet counted up. */
export function retryScheduled(context: WpContext, role: AgentRole): RetryScheduled | null {
  const failure = context.lastFailure;
  if (!failure) return null;
  return {
    type: 'wp.retryScheduled',
    wpId: context.wpId,
    role,
    agent: failure.agent,
    failedAttempt: failure.attempt,
    nextAttempt: failure.attempt + 1,
    failureKind: failure.kind,
    message: failure.message,
    retryAt: context.retryDeadline,
  };
}

/** Built before the fallback is applied: from the agent in charge to the next one. */
export function fellBack(context: WpContext, role: AgentRole): FellBack {
  const index = context[role].agentIndex;
  const failure = context.lastFailure;
  return {
    type: 'wp.fellBack',
    wpId: context.wpId,
    role,
    fromAgent: agentAt(context, role, index),
    toAgent: agentAt(context, role, index + 1),
    failureKind: failure?.kind ?? null,
    message: failure?.message ?? null,
  };
}

/** Built after beginReviewCycle: the new cycle's number and reference are in context. */
export function reviewCycleStarted(context: WpContext): ReviewCycleStarted {
  return {
    type: 'wp.reviewCycleStarted',
    wpId: context.wpId,
    reviewCycle: context.reviewCycle,
    reference: context.reviewRef,
    reviewer: agentAt(context, 'review', context.review.agentIndex),
  };
}

/** Built after the verdict is recorded (lastReviewResult and lastFeedback are this review's). */
export function verdictRead(context: WpContext, output: RunAgentOutput): VerdictRead | null {
  const review = context.lastReviewResult;
  if (!review) return null;
  const rejected = review.verdict === 'changes_requested';
  return {
    type: 'wp.verdictRead',
    wpId: context.wpId,
    reviewCycle: context.reviewCycle,
    reviewer: review.reviewer,
    verdict: review.verdict,
    decidedBy: output.result.verdict?.decidedBy ?? null,
    reference: review.reference,
    feedback: rejected ? (context.lastFeedback ?? '') : null,
  };
}

export function flowEnded(context: WpContext): FlowEnded {
  return { type: 'wp.flowEnded', output: buildOutput(context) };
}
