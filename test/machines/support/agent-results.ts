/** AgentResult builders for scripted agent runs. */
import type { AgentId, AgentResult, AgentRole, FailureKind } from '../../../src/agents/types.js';

function base(agent: AgentId, role: AgentRole): AgentResult {
  return {
    agent,
    role,
    success: true,
    exitCode: 0,
    durationMs: 5,
    errors: [],
    warnings: [],
    filesReported: [],
    commitsReported: [],
    usage: { inputTokens: 100, outputTokens: 10, costUsd: 0.01 },
    logPath: `/logs/${agent}-${role}.log`,
  };
}

export function succeeded(agent: AgentId, role: AgentRole = 'implementation'): AgentResult {
  return base(agent, role);
}

export function failed(agent: AgentId, kind: FailureKind, role: AgentRole = 'implementation'): AgentResult {
  return {
    ...base(agent, role),
    success: false,
    exitCode: kind === 'timeout' ? 124 : 1,
    errors: [`${kind} trouble`],
    failureKind: kind,
  };
}

export function approved(agent: AgentId): AgentResult {
  return { ...base(agent, 'review'), verdict: { verdict: 'approved', feedback: '', decidedBy: 'output' } };
}

export function rejected(agent: AgentId, feedback: string): AgentResult {
  return {
    ...base(agent, 'review'),
    verdict: { verdict: 'changes_requested', feedback, decidedBy: 'output' },
  };
}
