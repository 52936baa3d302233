/** The wpMachine's context helpers: initial context, agent choice, backoff and the final output. */
import { describe, expect, it } from 'vitest';
import {
  agentsFor,
  backoffMs,
  buildOutput,
  currentAgent,
  hasNextAgent,
  initialContext,
} from '../../src/machines/wp/context.js';
import { UNIT_CONFIG, UNIT_INPUT, wpContext } from './fixtures/wp-context.js';

describe('initialContext', () => {
  it('starts fresh: both roles at agent 0, attempt 1, optional flags off', () => {
    const context = initialContext(UNIT_INPUT);
    expect(context.implementation).toEqual({ agentIndex: 0, attempt: 1, agentsTried: [], runs: 0 });
    expect(context.review).toEqual({ agentIndex: 0, attempt: 1, agentsTried: [], runs: 0 });
    expect(context.ownedInReview).toBe(false);
    expect(context.announceFlowEnd).toBe(false);
    expect(context.entryLane).toBe('planned');
    expect(context.lane).toBe('planned');
    expect(context.usage).toEqual({ inputTokens: 0, outputTokens: 0, costUsd: 0 });
  });

  it('takes the optional flags when given', () => {
    const context = initialContext({ ...UNIT_INPUT, ownedInReview: true, announceFlowEnd: true });
    expect(context.ownedInReview).toBe(true);
    expect(context.announceFlowEnd).toBe(true);
  });
});

describe('agent choice', () => {
  it('each role uses its own list by default', () => {
    const context = wpContext();
    expect(agentsFor(context, 'implementation')).toEqual(['claude-code', 'codex', 'gemini']);
    expect(agentsFor(context, 'review')).toEqual(['opencode', 'qwen']);
  });

  it('single-agent mode: the reviewer is the implementer in charge, then the others in order', () => {
    const context = wpContext({
      config: { ...UNIT_CONFIG, singleAgentMode: true },
      implementation: { agentIndex: 1, attempt: 1, agentsTried: [], runs: 0 },
    });
    expect(agentsFor(context, 'review')).toEqual(['codex', 'gemini', 'claude-code']);
    expect(agentsFor(context, 'implementation')).toEqual(['claude-code', 'codex', 'gemini']);
  });

  it('single-agent mode with an index past the list keeps the last implementer first', () => {
    const context = wpContext({
      config: { ...UNIT_CONFIG, singleAgentMode: true },
      implementation: { agentIndex: 7, attempt: 1, agentsTried: [], runs: 0 },
    });
    expect(agentsFor(context, 'review')).toEqual(['gemini', 'claude-code', 'codex']);
  });

  it('single-agent mode with no implementer configured gives no reviewer', () => {
    const context = wpContext({
      config: { ...UNIT_CONFIG, singleAgentMode: true, agents: { implementation: [], review: ['qwen'] } },
    });
    expect(agentsFor(context, 'review')).toEqual([]);
  });

  it('currentAgent names the agent at the role index, and fails clearly past the list', () => {
    const context = wpContext({ review: { agentIndex: 1, attempt: 1, agentsTried: [], runs: 0 } });
    expect(currentAgent(context, 'review')).toBe('qwen');
    expect(currentAgent(context, 'implementation')).toBe('claude-code');
    const past = wpContext({ review: { agentIndex: 2, attempt: 1, agentsTried: [], runs: 0 } });
    expect(() => currentAgent(past, 'review')).toThrow(
      'no review agent at index 2 (configure at least one review agent)',
    );
  });

  it('hasNextAgent while a later agent exists', () => {
    const at = (agentIndex: number) =>
      wpContext({ review: { agentIndex, attempt: 1, agentsTried: [], runs: 0 } });
    expect(hasNextAgent(at(0), 'review')).toBe(true);
    expect(hasNextAgent(at(1), 'review')).toBe(false);
  });
});

describe('backoffMs', () => {
  it('doubles per failed attempt from the configured base', () => {
    const context = wpContext();
    expect(backoffMs(context, 1)).toBe(3_000);
    expect(backoffMs(context, 2)).toBe(6_000);
    expect(backoffMs(context, 3)).toBe(12_000);
  });
});

describe('buildOutput', () => {
  it('reports the run: outcome, agents, attempts, duration from first to last seen', () => {
    const context = wpContext({
      outcome: 'done',
      lane: 'done',
      firstSeenAt: 1_000,
      lastSeenAt: 4_500,
      reviewCycle: 2,
      implementation: { agentIndex: 0, attempt: 1, agentsTried: ['claude-code'], runs: 2 },
      review: { agentIndex: 0, attempt: 1, agentsTried: ['opencode'], runs: 3 },
      logPaths: ['/a'],
    });
    const output = buildOutput(context);
    expect(output).toEqual({
      wpId: 'WP07',
      outcome: 'done',
      lane: 'done',
      agents: { implementation: ['claude-code'], review: ['opencode'] },
      attempts: { implementation: 2, review: 3 },
      reviewCycles: 2,
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
      durationMs: 3_500,
      logPaths: ['/a'],
    });
  });

  it('no outcome reads as failed; an unknown start or end gives no duration', () => {
    expect(buildOutput(wpContext({ firstSeenAt: 5 })).durationMs).toBe(0);
    expect(buildOutput(wpContext({ lastSeenAt: 5 })).durationMs).toBe(0);
    expect(buildOutput(wpContext()).outcome).toBe('failed');
  });

  it('carries the reason and the last error; the error code only when failed', () => {
    const lastError = { code: 'WP_LOCKED', message: 'locked' };
    const failed = buildOutput(wpContext({ outcome: 'failed', outcomeReason: 'host refused', lastError }));
    expect(failed.reason).toBe('host refused');
    expect(failed.lastError).toEqual(lastError);
    expect(failed.errorCode).toBe('WP_LOCKED');
    const blocked = buildOutput(wpContext({ outcome: 'blocked', lastError }));
    expect(blocked.lastError).toEqual(lastError);
    expect(blocked).not.toHaveProperty('errorCode');
    expect(blocked).not.toHaveProperty('reason');
  });
});
