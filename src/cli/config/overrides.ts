/**
 * Command-line flags over the file: like the reference, `--impl-agent X` / `--review-agent Y`
 * replace the configured fallback list with that one agent; the numeric flags replace one setting.
 * Flags arrive as strings from citty, so numbers are parsed here, strictly.
 */
import type { AgentId } from '../../agents/types.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { describeGiven, unknownAgentProblem } from './issues.js';
import { agentIdSchema, CONFIG_KEYS, type OrchestratorConfig } from './schema.js';

export interface ConfigOverrides {
  implAgent?: string;
  reviewAgent?: string;
  maxConcurrent?: number | string;
  maxRetries?: number | string;
  timeoutSeconds?: number | string;
  maxReviewCycles?: number | string;
  singleAgentMode?: boolean;
  acceptOnCompletion?: boolean;
}

/** Flag names as users type them, for error messages. */
const FLAGS = {
  implAgent: '--impl-agent',
  reviewAgent: '--review-agent',
  maxConcurrent: '--max-concurrent',
  maxRetries: '--max-retries',
  timeoutSeconds: '--timeout-seconds',
  maxReviewCycles: '--max-review-cycles',
} as const;

/** Return a new config with the given flags applied; every bad flag is reported in one ConfigError. */
export function applyOverrides(config: OrchestratorConfig, overrides: ConfigOverrides): OrchestratorConfig {
  const issues: ConfigIssue[] = [];
  const flagIssue = (flag: string, problem: string) =>
    issues.push({ keyPath: flag, line: null, column: null, problem });

  const agent = (value: string | undefined, flag: string): AgentId | undefined => {
    if (value === undefined) return undefined;
    const parsed = agentIdSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    flagIssue(flag, unknownAgentProblem(value));
    return undefined;
  };

  const integer = (
    value: number | string | undefined,
    flag: string,
    key: 'max_concurrent_wps' | 'max_retries' | 'timeout_seconds' | 'max_review_cycles',
  ): number | undefined => {
    if (value === undefined) return undefined;
    const number =
      typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    const parsed = CONFIG_KEYS[key].schema.safeParse(number);
    if (parsed.success) return parsed.data;
    flagIssue(flag, `${describeGiven(value)} is not allowed (allowed: ${CONFIG_KEYS[key].allowed})`);
    return undefined;
  };

  const implAgent = agent(overrides.implAgent, FLAGS.implAgent);
  const reviewAgent = agent(overrides.reviewAgent, FLAGS.reviewAgent);
  const maxConcurrentWps = integer(overrides.maxConcurrent, FLAGS.maxConcurrent, 'max_concurrent_wps');
  const maxRetries = integer(overrides.maxRetries, FLAGS.maxRetries, 'max_retries');
  const timeoutSeconds = integer(overrides.timeoutSeconds, FLAGS.timeoutSeconds, 'timeout_seconds');
  const maxReviewCycles = integer(overrides.maxReviewCycles, FLAGS.maxReviewCycles, 'max_review_cycles');
  if (issues.length > 0) throw new ConfigError(null, issues);

  return {
    ...config,
    agents: {
      implementation: implAgent ? [implAgent] : [...config.agents.implementation],
      review: reviewAgent ? [reviewAgent] : [...config.agents.review],
    },
    maxConcurrentWps: maxConcurrentWps ?? config.maxConcurrentWps,
    maxRetries: maxRetries ?? config.maxRetries,
    timeoutSeconds: timeoutSeconds ?? config.timeoutSeconds,
    maxReviewCycles: maxReviewCycles ?? config.maxReviewCycles,
    singleAgentMode: overrides.singleAgentMode ?? config.singleAgentMode,
    acceptOnCompletion: overrides.acceptOnCompletion ?? config.acceptOnCompletion,
  };
}
