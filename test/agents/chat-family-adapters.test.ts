/**
 * Qwen Code, opencode and Kilo (the OpenAI chat family): what their adapters add beyond the
 * shared samples. Output shapes are the ones the pinned CLIs printed against the scripted model
 * server (qwen 0.24.4, opencode 1.18.33, kilo 7.7.7).
 */
import { describe, expect, it } from 'vitest';
import { READ_ONLY_BASH } from '../../src/agents/adapters/opencode.js';
import { readQwenOutput } from '../../src/agents/adapters/qwen.js';
import { AGENTS } from '../../src/agents/registry.js';
import type { AgentId } from '../../src/agents/types.js';
import { jsonl, outcome } from './outcome.js';

const qwenResult = (fields: Record<string, unknown>) =>
  JSON.stringify([
    { type: 'system', subtype: 'init', session_id: 'q', model: 'm' },
    { type: 'result', subtype: 'success', is_error: false, num_turns: 2, result: 'Done.', ...fields },
  ]);

const invocation = (id: AgentId, role: 'implementation' | 'review', settings = {}) =>
  AGENTS[id].buildInvocation({ role, prompt: 'p', workspace: '/w', timeoutSeconds: 1, settings });

describe('qwen output', () => {
  it('reads a zero cost as unknown: Qwen prices nothing', () => {
    const usage = { input_tokens: 2100, output_tokens: 90, total_tokens: 2190 };
    expect(readQwenOutput(qwenResult({ usage, total_cost_usd: 0 })).usage).toEqual({
      inputTokens: 2100,
      outputTokens: 90,
    });
    // 0.24.4 prints no cost key at all.
    expect(readQwenOutput(qwenResult({ usage })).usage).toEqual({ inputTokens: 2100, outputTokens: 90 });
    // A cost it does report is kept.
    expect(readQwenOutput(qwenResult({ usage, total_cost_usd: 0.25 })).usage?.costUsd).toBe(0.25);
    expect(readQwenOutput(qwenResult({ total_cost_usd: 0 })).usage).toBeUndefined();
  });

  it('classifies the 0.24.4 error record of a rejected key as auth', () => {
    const stdout = JSON.stringify([
      { type: 'system', subtype: 'init', session_id: 'q' },
      {
        type: 'assistant',
        message: {
          role: 'assistant',
          content: [{ type: 'text', text: '[API Error: 401 invalid x-api-key]' }],
        },
      },
      {
        type: 'result',
        subtype: 'error_during_execution',
        is_error: true,
        usage: { input_tokens: 0, output_tokens: 0 },
        error: { message: '[API Error: 401 invalid x-api-key]' },
      },
    ]);
    const result = AGENTS.qwen.parseOutcome(outcome({ exitCode: 1, stdoutTail: stdout }), 'implementation');
    expect(result).toMatchObject({
      success: false,
      failureKind: 'auth',
      errors: ['[API Error: 401 invalid x-api-key]'],
    });
  });
});

describe('opencode / kilo events', () => {
  it.each(['opencode', 'kilocode'] as const)(
    '%s: an error event keeps its HTTP status, so 429 is a rate limit',
    (id) => {
      const stdout = jsonl({
        type: 'error',
        error: { name: 'APIError', data: { message: 'Rate limit exceeded', statusCode: 429 } },
      });
      const result = AGENTS[id].parseOutcome(outcome({ exitCode: 1, stdoutTail: stdout }), 'implementation');
      expect(result.errors).toEqual(['APIError (HTTP 429): Rate limit exceeded']);
      expect(result.failureKind).toBe('rate_limit');
    },
  );

  it('does not report a write the permission rules refused', () => {
    const stdout = jsonl(
      {
        type: 'tool_use',
        part: { tool: 'write', state: { status: 'error', input: { filePath: 'no.txt' } } },
      },
      {
        type: 'tool_use',
        part: { tool: 'edit', state: { status: 'completed', input: { filePath: 'yes.ts' } } },
      },
    );
    expect(
      AGENTS.opencode.parseOutcome(outcome({ stdoutTail: stdout }), 'implementation').filesReported,
    ).toEqual(['yes.ts']);
  });
});

describe('chat family invocations', () => {
  it('passes the model (provider/model for opencode and kilo) and qwen its turn cap', () => {
    expect(invocation('qwen', 'implementation', { model: 'm', maxTurns: 7 }).args).toEqual([
      '--output-format',
      'json',
      '--approval-mode',
      'yolo',
      '--model',
      'm',
      '--max-session-turns',
      '7',
    ]);
    for (const id of ['opencode', 'kilocode'] as const) {
      expect(invocation(id, 'review', { model: 'sko/m', maxTurns: 7 }).args.slice(-2)).toEqual([
        '--model',
        'sko/m',
      ]);
      expect(AGENTS[id].supportsMaxTurns).toBe(false);
      expect(AGENTS[id].helpCommands).toEqual([['run', '--help']]);
    }
    expect(AGENTS.kilocode.binary).toBe('kilo');
  });

  it("narrows opencode's plan agent to a read-only shell, denials last", () => {
    const env = invocation('opencode', 'review').env ?? {};
    const config = JSON.parse(env.OPENCODE_CONFIG_CONTENT ?? '{}') as {
      agent?: { plan?: { permission?: { bash?: Record<string, string> } } };
    };
    const bash = config.agent?.plan?.permission?.bash ?? {};
    expect(bash).toEqual(READ_ONLY_BASH);
    const keys = Object.keys(bash);
    // opencode applies the last matching rule: deny-all first, the redirect / chain denials last.
    expect(keys[0]).toBe('*');
    expect(bash['*']).toBe('deny');
    expect(keys.indexOf('*>*')).toBeGreaterThan(keys.indexOf('cat *'));
    expect(bash['git diff*']).toBe('allow');
    // The user's env still wins over ours.
    const mine = invocation('opencode', 'review', { env: { OPENCODE_CONFIG_CONTENT: '{}' } }).env;
    expect(mine?.OPENCODE_CONFIG_CONTENT).toBe('{}');
  });
});
