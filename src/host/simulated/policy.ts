/**
 * `--policy` validation as the real host does it (spec-kitty-cli 3.2.7): required fields and
 * types, banned dangerous flags, and no secret-like word anywhere in any value (even inside a word
 * such as `monkey`). The host does NOT check the enum values of approval/sandbox/network mode;
 * neither do we, so the simulator accepts exactly what the host accepts.
 */
const REQUIRED_FIELDS = [
  'orchestrator_id',
  'orchestrator_version',
  'agent_family',
  'approval_mode',
  'sandbox_mode',
  'network_mode',
  'dangerous_flags',
] as const;
const STRING_FIELDS = REQUIRED_FIELDS.filter((field) => field !== 'dangerous_flags');
const BANNED_FLAGS = new Set([
  '--full-auto',
  '--yolo',
  '--dangerously-bypass-approvals-and-sandbox',
  '--dangerously-skip-permissions',
]);
const SECRET_PATTERN = /(token|secret|key|password|credential)/i;

export type PolicyCheck = { ok: true; policy: Record<string, unknown> } | { ok: false; message: string };

export function validatePolicy(raw: string): PolicyCheck {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    return { ok: false, message: `--policy is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, message: '--policy must be a JSON object' };
  }
  const fields = data as Record<string, unknown>;
  for (const field of REQUIRED_FIELDS) {
    if (!(field in fields)) return { ok: false, message: `--policy missing required field: '${field}'` };
  }
  for (const field of STRING_FIELDS) {
    if (typeof fields[field] !== 'string')
      return { ok: false, message: `--policy.${field} must be a string` };
  }
  const flags = fields.dangerous_flags;
  if (!Array.isArray(flags)) return { ok: false, message: '--policy.dangerous_flags must be a JSON array' };
  for (const flag of flags) {
    if (typeof flag !== 'string')
      return { ok: false, message: '--policy.dangerous_flags entries must be strings' };
    if (BANNED_FLAGS.has(flag)) {
      return {
        ok: false,
        message: `--policy.dangerous_flags contains a banned flag: '${flag}'. Banned flags must never appear in orchestrator policy payloads.`,
      };
    }
  }
  const toolRestrictions = fields.tool_restrictions;
  if (toolRestrictions !== undefined && toolRestrictions !== null && typeof toolRestrictions !== 'string') {
    return { ok: false, message: '--policy.tool_restrictions must be a string or null' };
  }
  for (const [field, value] of Object.entries(fields)) {
    const secretAt = findSecretLike(field, value);
    if (secretAt) {
      return {
        ok: false,
        message: `--policy field '${secretAt}' appears to contain a secret (matched pattern: token|secret|key|password|credential). Do not pass secrets via --policy.`,
      };
    }
  }
  // What the host records in the event: the known fields only, tool_restrictions defaulting to null.
  const recorded: Record<string, unknown> = {};
  for (const field of [...REQUIRED_FIELDS].sort()) recorded[field] = fields[field];
  recorded.tool_restrictions = toolRestrictions ?? null;
  return { ok: true, policy: sortKeys(recorded) };
}

function findSecretLike(fieldPath: string, value: unknown): string | null {
  if (typeof value === 'string') return SECRET_PATTERN.test(value) ? fieldPath : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findSecretLike(`${fieldPath}[${index}]`, item);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = findSecretLike(`${fieldPath}.${key}`, item);
      if (found) return found;
    }
  }
  return null;
}

function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
