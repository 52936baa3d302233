/** Token and cost figures under every key name the usage reader knows. */
import { describe, expect, it } from 'vitest';
import { addUsage, usageFromObject, usageFromRecord } from '../../src/agents/parse/usage.js';

describe('usageFromObject', () => {
  it.each(['input_tokens', 'prompt_tokens', 'inputTokens', 'promptTokens', 'input', 'prompt'])(
    'reads input tokens from %s',
    (key) => {
      expect(usageFromObject({ [key]: 7 })).toEqual({ inputTokens: 7 });
    },
  );

  it.each(['output_tokens', 'completion_tokens', 'outputTokens', 'completionTokens', 'output', 'candidates'])(
    'reads output tokens from %s',
    (key) => {
      expect(usageFromObject({ [key]: 8 })).toEqual({ outputTokens: 8 });
    },
  );

  it.each(['total_cost_usd', 'cost_usd', 'costUsd', 'totalCostUsd', 'cost'])(
    'reads the cost from %s',
    (key) => {
      expect(usageFromObject({ [key]: 0.25 })).toEqual({ costUsd: 0.25 });
    },
  );

  it('reads a nested cost total', () => {
    expect(usageFromObject({ cost: { total: 0.5 } })).toEqual({ costUsd: 0.5 });
  });
});

describe('usageFromRecord', () => {
  it.each(['cost_usd', 'costUsd'])('reads a %s key beside the usage object', (key) => {
    expect(usageFromRecord({ usage: { input_tokens: 1 }, [key]: 0.75 })).toEqual({
      inputTokens: 1,
      costUsd: 0.75,
    });
  });

  it('reads nothing from null', () => {
    expect(usageFromRecord(null)).toBeUndefined();
  });
});

describe('addUsage', () => {
  it('keeps a figure only the first usage knows', () => {
    expect(addUsage({ costUsd: 0.5 }, { inputTokens: 2 })).toEqual({ inputTokens: 2, costUsd: 0.5 });
  });
});
