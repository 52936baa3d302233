/** Token and cost figures, from whichever key names an agent uses. */
import type { AgentUsage } from '../types.js';
import { firstNumber } from './fields.js';
import { isRecord } from './json.js';

const INPUT_KEYS = ['input_tokens', 'prompt_tokens', 'inputTokens', 'promptTokens', 'input', 'prompt'];
const OUTPUT_KEYS = [
  'output_tokens',
  'completion_tokens',
  'outputTokens',
  'completionTokens',
  'output',
  'candidates',
];
const COST_KEYS = ['total_cost_usd', 'cost_usd', 'costUsd', 'totalCostUsd', 'cost.total', 'cost'];

/** Reads a usage object such as `{input_tokens, output_tokens}` or `{prompt_tokens, completion_tokens}`. */
export function usageFromObject(usage: unknown): AgentUsage | undefined {
  if (!isRecord(usage)) return undefined;
  return compactUsage({
    inputTokens: firstNumber(usage, INPUT_KEYS),
    outputTokens: firstNumber(usage, OUTPUT_KEYS),
    costUsd: firstNumber(usage, COST_KEYS),
  });
}

/** Usage of a result record: its `usage` object plus a cost key beside it. */
export function usageFromRecord(record: unknown): AgentUsage | undefined {
  if (!isRecord(record)) return undefined;
  const fromUsage = usageFromObject(record.usage) ?? {};
  return compactUsage({
    ...fromUsage,
    costUsd: firstNumber(record, ['total_cost_usd', 'cost_usd', 'costUsd']) ?? fromUsage.costUsd,
  });
}

/** Sums two partial usages; a field stays unknown only if both are unknown. */
export function addUsage(a: AgentUsage | undefined, b: AgentUsage | undefined): AgentUsage | undefined {
  if (!a) return b;
  if (!b) return a;
  const sum = (x?: number, y?: number) =>
    x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0);
  return compactUsage({
    inputTokens: sum(a.inputTokens, b.inputTokens),
    outputTokens: sum(a.outputTokens, b.outputTokens),
    costUsd: sum(a.costUsd, b.costUsd),
  });
}

/** Drops unknown fields; undefined when nothing is known. */
export function compactUsage(usage: AgentUsage): AgentUsage | undefined {
  const out: AgentUsage = {};
  if (usage.inputTokens !== undefined) out.inputTokens = usage.inputTokens;
  if (usage.outputTokens !== undefined) out.outputTokens = usage.outputTokens;
  if (usage.costUsd !== undefined) out.costUsd = usage.costUsd;
  return Object.keys(out).length > 0 ? out : undefined;
}
