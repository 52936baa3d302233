/**
 * `.kittify/orchestrator.yaml`: the settings a repository gives the orchestrator. The file uses
 * snake_case keys (like the Python reference); the program uses the camelCase `OrchestratorConfig`.
 * Every key is optional; strict objects turn a misspelt key into an error instead of a silently
 * ignored setting.
 */
import { z } from 'zod';
import { AGENTS } from '../../agents/registry.js';
import { AGENT_IDS, type AgentId, type AgentSettings } from '../../agents/types.js';

export const CONFIG_RELATIVE_PATH = '.kittify/orchestrator.yaml';

export interface OrchestratorConfig {
  /** How many work packages run at the same time. */
  maxConcurrentWps: number;
  /** Ordered fallback lists: the next agent takes over when one exhausts its retries. */
  agents: { implementation: AgentId[]; review: AgentId[] };
  /** Retries of a failed agent run before falling back to the next agent. */
  maxRetries: number;
  /** Wall-clock limit of one agent run. */
  timeoutSeconds: number;
  /** The implementing agent also reviews. */
  singleAgentMode: boolean;
  /** Review rounds (changes requested -> rework) before a WP is blocked. */
  maxReviewCycles: number;
  /** Accept the mission with the host once every WP is done. */
  acceptOnCompletion: boolean;
  /** Base of the exponential retry delay: base * 2^(retry - 1) seconds. */
  retryBackoffSeconds: number;
  /** Safety-net poll of the host; settling WPs trigger a poll at once anyway. */
  pollIntervalSeconds: number;
  /** Per agent: model, turn cap, extra CLI args, extra environment (`agent_settings`). */
  agentSettings: Partial<Record<AgentId, AgentSettings>>;
  /**
   * Confine agents with bubblewrap: `auto` where it works (said once when it does not),
   * `required` (refuse to start without it), `off` (agents run with the user's own rights).
   */
  sandbox: SandboxMode;
  /** More paths confined agents may write (absolute, or `~/...`), e.g. a build cache. */
  sandboxWritable: string[];
}

export const SANDBOX_MODES = ['auto', 'required', 'off'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

export const DEFAULT_CONFIG: OrchestratorConfig = Object.freeze({
  maxConcurrentWps: 4,
  agents: Object.freeze({
    implementation: ['claude-code'],
    review: ['claude-code'],
  }) as OrchestratorConfig['agents'],
  maxRetries: 2,
  timeoutSeconds: 3600,
  singleAgentMode: false,
  maxReviewCycles: 3,
  acceptOnCompletion: true,
  retryBackoffSeconds: 2,
  pollIntervalSeconds: 30,
  agentSettings: Object.freeze({}),
  sandbox: 'auto',
  sandboxWritable: Object.freeze([]) as unknown as string[],
}) as OrchestratorConfig;

/** A fresh, mutable copy of the defaults. */
export function defaultConfig(): OrchestratorConfig {
  return {
    ...DEFAULT_CONFIG,
    agents: {
      implementation: [...DEFAULT_CONFIG.agents.implementation],
      review: [...DEFAULT_CONFIG.agents.review],
    },
    agentSettings: {},
    sandboxWritable: [],
  };
}

export const agentIdSchema = z.enum(AGENT_IDS);

/** A fallback list; a single id (`implementation: codex`) is accepted as a list of one. */
export const agentListSchema = z.preprocess(
  (value) => (typeof value === 'string' ? [value] : value),
  z
    .array(agentIdSchema)
    .min(1)
    .superRefine((agents, context) => {
      agents.forEach((agent, index) => {
        if (agents.indexOf(agent) !== index) {
          context.addIssue({
            code: 'custom',
            path: [index],
            message: 'duplicate',
            params: { duplicate: agent },
          });
        }
      });
    }),
);

const integer = (min: number, max: number) => z.int().min(min).max(max);

/** One entry per key: its schema, and the words an error uses to say what is allowed. */
export const CONFIG_KEYS = {
  max_concurrent_wps: { schema: integer(1, 64), allowed: 'an integer from 1 to 64' },
  max_retries: { schema: integer(0, 20), allowed: 'an integer from 0 to 20' },
  timeout_seconds: { schema: integer(1, 86_400), allowed: 'an integer from 1 to 86400 (seconds)' },
  single_agent_mode: { schema: z.boolean(), allowed: 'true or false' },
  max_review_cycles: { schema: integer(1, 20), allowed: 'an integer from 1 to 20' },
  accept_on_completion: { schema: z.boolean(), allowed: 'true or false' },
  retry_backoff_seconds: { schema: z.number().min(0).max(600), allowed: 'a number from 0 to 600 (seconds)' },
  poll_interval_seconds: {
    schema: z.number().positive().max(3600),
    allowed: 'a number above 0 and at most 3600 (seconds)',
  },
  sandbox: { schema: z.enum(SANDBOX_MODES), allowed: 'auto, required or off' },
  sandbox_writable: {
    schema: z
      .array(
        z
          .string()
          .max(4096)
          .refine((value) => value.startsWith('/') || value.startsWith('~/'), 'not absolute'),
      )
      .max(100),
    allowed: 'a list of absolute paths (or ~/...) that agents may write besides their worktree',
  },
} as const;

export const AGENT_ROLES = ['implementation', 'review'] as const;

/** Environment variable names an agent may be given (POSIX portable names). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The keys of one `agent_settings.<id>` entry, with the words an error uses. */
export const AGENT_SETTING_KEYS = {
  model: {
    schema: z.string().trim().min(1).max(200),
    allowed: "the agent's model name, e.g. claude-sonnet-4-5",
  },
  review_model: { schema: z.string().trim().min(1).max(200), allowed: 'the model name for reviews' },
  max_turns: { schema: integer(1, 10_000), allowed: 'an integer from 1 to 10000 (agentic turns per run)' },
  extra_args: {
    schema: z.array(z.string().max(10_000)).max(100),
    allowed: 'a list of command-line arguments, e.g. ["--verbose"]',
  },
  env: {
    schema: z.record(
      z.string().regex(ENV_NAME),
      z.union([z.string(), z.number(), z.boolean()]).transform(String),
    ),
    allowed: 'a mapping of environment variable names to values',
  },
} as const;

export const agentSettingsSchema = z.strictObject({
  model: AGENT_SETTING_KEYS.model.schema.optional(),
  review_model: AGENT_SETTING_KEYS.review_model.schema.optional(),
  max_turns: AGENT_SETTING_KEYS.max_turns.schema.optional(),
  extra_args: AGENT_SETTING_KEYS.extra_args.schema.optional(),
  env: AGENT_SETTING_KEYS.env.schema.optional(),
});
export const AGENT_SETTING_NAMES = Object.keys(agentSettingsSchema.shape);

export const rawConfigSchema = z.strictObject({
  max_concurrent_wps: CONFIG_KEYS.max_concurrent_wps.schema.optional(),
  agents: z
    .strictObject({
      implementation: agentListSchema.optional(),
      review: agentListSchema.optional(),
    })
    .optional(),
  max_retries: CONFIG_KEYS.max_retries.schema.optional(),
  timeout_seconds: CONFIG_KEYS.timeout_seconds.schema.optional(),
  single_agent_mode: CONFIG_KEYS.single_agent_mode.schema.optional(),
  max_review_cycles: CONFIG_KEYS.max_review_cycles.schema.optional(),
  accept_on_completion: CONFIG_KEYS.accept_on_completion.schema.optional(),
  retry_backoff_seconds: CONFIG_KEYS.retry_backoff_seconds.schema.optional(),
  poll_interval_seconds: CONFIG_KEYS.poll_interval_seconds.schema.optional(),
  sandbox: CONFIG_KEYS.sandbox.schema.optional(),
  sandbox_writable: CONFIG_KEYS.sandbox_writable.schema.optional(),
  agent_settings: z
    .partialRecord(agentIdSchema, agentSettingsSchema)
    .superRefine((entries, context) => {
      for (const [id, entry] of Object.entries(entries) as [AgentId, z.infer<typeof agentSettingsSchema>][]) {
        const adapter = AGENTS[id];
        const unsupported: [keyof typeof AGENT_SETTING_KEYS, boolean | undefined][] = [
          ['model', adapter.supportsModel],
          ['review_model', adapter.supportsModel],
          ['max_turns', adapter.supportsMaxTurns],
        ];
        for (const [key, supported] of unsupported) {
          if (entry?.[key] === undefined || supported) continue;
          context.addIssue({
            code: 'custom',
            path: [id, key],
            message: `${adapter.displayName} has no ${key === 'max_turns' ? 'turn cap' : 'model'} flag; remove it${key === 'max_turns' ? ' (timeout_seconds still bounds every run)' : ' or pass the flag through extra_args'}`,
          });
        }
      }
    })
    .optional(),
});
export type RawConfig = z.infer<typeof rawConfigSchema>;

export const TOP_LEVEL_KEYS = Object.keys(rawConfigSchema.shape);

/** Fill the defaults in and switch to camelCase. */
export function toConfig(raw: RawConfig): OrchestratorConfig {
  const defaults = defaultConfig();
  return {
    maxConcurrentWps: raw.max_concurrent_wps ?? defaults.maxConcurrentWps,
    agents: {
      implementation: raw.agents?.implementation ?? defaults.agents.implementation,
      review: raw.agents?.review ?? defaults.agents.review,
    },
    maxRetries: raw.max_retries ?? defaults.maxRetries,
    timeoutSeconds: raw.timeout_seconds ?? defaults.timeoutSeconds,
    singleAgentMode: raw.single_agent_mode ?? defaults.singleAgentMode,
    maxReviewCycles: raw.max_review_cycles ?? defaults.maxReviewCycles,
    acceptOnCompletion: raw.accept_on_completion ?? defaults.acceptOnCompletion,
    retryBackoffSeconds: raw.retry_backoff_seconds ?? defaults.retryBackoffSeconds,
    pollIntervalSeconds: raw.poll_interval_seconds ?? defaults.pollIntervalSeconds,
    agentSettings: toAgentSettings(raw.agent_settings ?? {}),
    sandbox: raw.sandbox ?? defaults.sandbox,
    sandboxWritable: raw.sandbox_writable ?? defaults.sandboxWritable,
  };
}

function toAgentSettings(raw: NonNullable<RawConfig['agent_settings']>): OrchestratorConfig['agentSettings'] {
  const out: OrchestratorConfig['agentSettings'] = {};
  for (const [id, entry] of Object.entries(raw) as [AgentId, z.infer<typeof agentSettingsSchema>][]) {
    if (!entry) continue;
    const settings: AgentSettings = {};
    if (entry.model !== undefined) settings.model = entry.model;
    if (entry.review_model !== undefined) settings.reviewModel = entry.review_model;
    if (entry.max_turns !== undefined) settings.maxTurns = entry.max_turns;
    if (entry.extra_args !== undefined) settings.extraArgs = entry.extra_args;
    if (entry.env !== undefined) settings.env = entry.env;
    out[id] = settings;
  }
  return out;
}
