/** Pure helpers over WpContext: initial context, agent choice, the final output. */
import type { AgentId, AgentRole } from '../../agents/types.js';
import type { RoleState, WpContext, WpInput, WpOutput } from './types.js';

function freshRole(): RoleState {
  return { agentIndex: 0, attempt: 1, agentsTried: [], runs: 0 };
}

export function initialContext(input: WpInput): WpContext {
  return {
    wpId: input.wpId,
    mission: input.mission,
    actor: input.actor,
    policy: input.policy,
    repoRoot: input.repoRoot,
    runId: input.runId,
    config: input.config,
    entryLane: input.lane,
    ownedInReview: input.ownedInReview ?? false,
    announceFlowEnd: input.announceFlowEnd ?? false,
    resumeStep: null,
    reconciles: 0,
    lane: input.lane,
    workspace: null,
    promptText: null,
    subtaskIds: [],
    baseHead: null,
    diffSummary: null,
    implementation: freshRole(),
    review: freshRole(),
    reviewCycle: 0,
    reviewRef: null,
    lastFeedback: null,
    lastReviewResult: null,
    lastFailure: null,
    retryDeadline: null,
    blockReason: null,
    lastError: null,
    logPaths: [],
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    commits: 0,
    timings: {},
    lastSeenAt: null,
    firstSeenAt: null,
    pendingNotes: [],
    lastStartNote: null,
    noteFailures: 0,
    outcome: null,
    outcomeReason: null,
  };
}

/** The agents a role may use, in fallback order. */
export function agentsFor(context: WpContext, role: AgentRole): AgentId[] {
  const { implementation, review } = context.config.agents;
  if (role === 'implementation' || !context.config.singleAgentMode) {
    return role === 'implementation' ? implementation : review;
  }
  // Single-agent mode: the reviewer is the implementer in charge, then its fallbacks in order.
  const start = Math.min(context.implementation.agentIndex, Math.max(0, implementation.length - 1));
  return [...implementation.slice(start), ...implementation.slice(0, start)];
}

export function currentAgent(context: WpContext, role: AgentRole): AgentId {
  const agents = agentsFor(context, role);
  const agent = agents[context[role].agentIndex];
  if (agent === undefined) {
    throw new Error(
      `no ${role} agent at index ${context[role].agentIndex} (configure at least one ${role} agent)`,
    );
  }
  return agent;
}

export function hasNextAgent(context: WpContext, role: AgentRole): boolean {
  return context[role].agentIndex + 1 < agentsFor(context, role).length;
}

/** Backoff before the next attempt, after `failedAttempt` failed. */
export function backoffMs(context: WpContext, failedAttempt: number): number {
  return context.config.retryBackoffSeconds * 1000 * 2 ** (failedAttempt - 1);
}

export function buildOutput(context: WpContext): WpOutput {
  const durationMs =
    context.firstSeenAt !== null && context.lastSeenAt !== null
      ? context.lastSeenAt - context.firstSeenAt
      : 0;
  const output: WpOutput = {
    wpId: context.wpId,
    outcome: context.outcome ?? 'failed',
    lane: context.lane,
    agents: { implementation: context.implementation.agentsTried, review: context.review.agentsTried },
    attempts: { implementation: context.implementation.runs, review: context.review.runs },
    reviewCycles: context.reviewCycle,
    usage: context.usage,
    durationMs,
    logPaths: context.logPaths,
  };
  if (context.outcomeReason !== null) output.reason = context.outcomeReason;
  if (context.lastError !== null) {
    output.lastError = context.lastError;
    if (context.outcome === 'failed') output.errorCode = context.lastError.code;
  }
  return output;
}
