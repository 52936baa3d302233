/**
 * The policy metadata every run-affecting host call carries (`--policy`). We validate it the way
 * the host does, before the first call, so a bad config fails in milliseconds with the field
 * named, instead of as POLICY_VALIDATION_FAILED after a host start-up mid-run.
 */
import { z } from 'zod';
import { formatIssuePath } from './envelope.js';
import { PolicyInvalidError } from './transport-errors.js';

export const APPROVAL_MODES = ['full_auto', 'interactive', 'supervised'] as const;
export const SANDBOX_MODES = ['workspace_write', 'read_only', 'none'] as const;
export const NETWORK_MODES = ['allowlist', 'none', 'open'] as const;

/** Flags the host refuses in `dangerous_flags` (spec-kitty-cli BANNED_FLAGS). */
export const BANNED_DANGEROUS_FLAGS: ReadonlySet<string> = new Set([
  '--full-auto',
  '--yolo',
  '--dangerously-bypass-approvals-and-sandbox',
  '--dangerously-skip-permissions',
]);

/** The host's secret detector: a plain substring match, so `monkey` is refused too. */
export const SECRET_LIKE = /token|secret|key|password|credential/i;

export const policySchema = z.strictObject({
  orchestrator_id: z.string().min(1),
  orchestrator_version: z.string().min(1),
  agent_family: z.string().min(1),
  approval_mode: z.enum(APPROVAL_MODES),
  sandbox_mode: z.enum(SANDBOX_MODES),
  network_mode: z.enum(NETWORK_MODES),
  dangerous_flags: z.array(
    z.string().refine((flag) => !BANNED_DANGEROUS_FLAGS.has(flag.trim()), {
      message: `banned flag (the host refuses ${[...BANNED_DANGEROUS_FLAGS].join(', ')})`,
    }),
  ),
  // The host accepts a string or null here (not an object).
  tool_restrictions: z.string().nullable().optional(),
});
export type Policy = z.infer<typeof policySchema>;

/** Field order of the serialized policy: fixed, so the same policy is always the same bytes. */
const POLICY_KEY_ORDER = [
  'orchestrator_id',
  'orchestrator_version',
  'agent_family',
  'approval_mode',
  'sandbox_mode',
  'network_mode',
  'dangerous_flags',
  'tool_restrictions',
] as const satisfies readonly (keyof Policy)[];

export const DEFAULT_ORCHESTRATOR_ID = 'spec-kitty-orchestrator';
export const DEFAULT_AGENT_FAMILY = 'claude';

/** Finds the first key or string value that looks like a secret; returns its field path. */
function findSecretLike(value: unknown, path: PropertyKey[]): { field: string; word: string } | undefined {
  if (typeof value === 'string') {
    const match = SECRET_LIKE.exec(value);
    return match ? { field: formatIssuePath(path) || '(policy)', word: match[0].toLowerCase() } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findSecretLike(item, [...path, index]);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const keyMatch = SECRET_LIKE.exec(key);
      if (keyMatch) return { field: formatIssuePath([...path, key]), word: keyMatch[0].toLowerCase() };
      const found = findSecretLike(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Validates a policy from any source (config, persisted run state). The secret check runs first
 * and never echoes the value, only the field and the word that matched.
 */
export function parsePolicy(input: unknown): Policy {
  const secret = findSecretLike(input, []);
  if (secret) {
    throw new PolicyInvalidError(
      secret.field,
      `looks like a secret (contains "${secret.word}"); the host refuses any policy text containing token, secret, key, password or credential, even inside a word`,
    );
  }
  const parsed = policySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = formatIssuePath(issue.path) || '(policy)';
    throw new PolicyInvalidError(field, issue.message);
  }
  return parsed.data;
}

export type PolicyInput = Partial<Policy> & { orchestrator_version: string };

/** The run policy with the reference orchestrator's defaults. The version is passed in (no file reads). */
export function buildPolicy(input: PolicyInput): Policy {
  return parsePolicy({
    orchestrator_id: DEFAULT_ORCHESTRATOR_ID,
    agent_family: DEFAULT_AGENT_FAMILY,
    approval_mode: 'full_auto',
    sandbox_mode: 'workspace_write',
    network_mode: 'none',
    dangerous_flags: [],
    tool_restrictions: null,
    ...stripUndefined(input),
  });
}

/** The `--policy` argument: validated again, keys in a fixed order, serialized once per run. */
export function serializePolicy(policy: Policy): string {
  const valid = parsePolicy(policy);
  const ordered: Record<string, unknown> = {};
  for (const key of POLICY_KEY_ORDER) {
    ordered[key] = key === 'tool_restrictions' ? (valid.tool_restrictions ?? null) : valid[key];
  }
  return JSON.stringify(ordered);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
