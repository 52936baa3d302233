/**
 * Typed facts of two refusals whose `error_code` alone says too little on newer hosts, read from
 * the envelope's `data` (never from its message):
 * - MISSION_NOT_READY from a host that applies its readiness verdict on accept (contract >= 1.7,
 *   spec-kitty-cli 4.0.0rc7): what is outstanding, by category;
 * - PREFLIGHT_FAILED from merge/consolidate (contract >= 1.9/1.10/1.11): the stable sub-codes
 *   `preflight_error_code(s)` (e.g. LANE_MOVED_AFTER_APPROVAL) and `teardown_error_code`
 *   (COORD_MOVED_AFTER_LANDING: the landing stands, only the cleanup after it was refused).
 */
import { z } from 'zod';
import { acceptanceCheckSchema } from './schemas.js';

export interface AcceptanceCheck {
  check: string;
  detail: string | null;
}

/** Why the host's readiness verdict refused acceptance. Absent on hosts without the verdict. */
export interface AcceptReadiness {
  /** Outstanding items by category (`metadata`, `activity`, `missing_artifacts`, `git_dirty`...). */
  outstanding: Readonly<Record<string, readonly string[]>>;
  activityIssues: readonly string[];
  skippedChecks: readonly AcceptanceCheck[];
  blockedChecks: readonly AcceptanceCheck[];
}

const readinessSchema = z.looseObject({
  outstanding: z.record(z.string(), z.array(z.string())),
  activity_issues: z.array(z.string()).optional(),
  skipped_checks: z.array(acceptanceCheckSchema).optional(),
  blocked_checks: z.array(acceptanceCheckSchema).optional(),
});

const checks = (items: readonly z.infer<typeof acceptanceCheckSchema>[] | undefined): AcceptanceCheck[] =>
  (items ?? []).map((item) => ({ check: item.check, detail: item.detail ?? null }));

/** The readiness verdict's facts, or undefined when the payload carries none (an incomplete WP). */
export function acceptReadinessOf(data: Readonly<Record<string, unknown>>): AcceptReadiness | undefined {
  const parsed = readinessSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const outstanding: Record<string, readonly string[]> = {};
  for (const [category, items] of Object.entries(parsed.data.outstanding)) {
    if (items.length > 0) outstanding[category] = items;
  }
  return {
    outstanding,
    activityIssues: parsed.data.activity_issues ?? [],
    skippedChecks: checks(parsed.data.skipped_checks),
    blockedChecks: checks(parsed.data.blocked_checks),
  };
}

/** The stable sub-codes of a merge/consolidate refusal. Every field is empty on 3.2.7. */
export interface PreflightFacts {
  /** The refusal's first code, e.g. LANE_MOVED_AFTER_APPROVAL, ORIGIN_STATUS_STALE. */
  preflightErrorCode: string | undefined;
  /** Every distinct code the refusal names, the first equal to `preflightErrorCode`. */
  preflightErrorCodes: readonly string[];
  /** Set when the merge landed and only the cleanup after it refused. */
  teardownErrorCode: string | undefined;
  /** The destructive-operation guard's own code (a dirty worktree, the primary off target...). */
  destructiveOpErrorCode: string | undefined;
  targetBranch: string | undefined;
  /** The host's list of problems, verbatim (display only). */
  errors: readonly string[];
}

const text = z.string().min(1);
const preflightSchema = z.looseObject({
  preflight_error_code: text.nullish().catch(undefined),
  preflight_error_codes: z.array(z.string()).optional().catch(undefined),
  teardown_error_code: text.nullish().catch(undefined),
  destructive_op_error_code: text.nullish().catch(undefined),
  target_branch: text.nullish().catch(undefined),
  errors: z.array(z.string()).optional().catch(undefined),
});

export function preflightFactsOf(data: Readonly<Record<string, unknown>>): PreflightFacts {
  const parsed = preflightSchema.parse(data);
  const first = parsed.preflight_error_code ?? undefined;
  const codes = parsed.preflight_error_codes ?? (first ? [first] : []);
  return {
    preflightErrorCode: first ?? codes[0],
    preflightErrorCodes: codes,
    teardownErrorCode: parsed.teardown_error_code ?? undefined,
    destructiveOpErrorCode: parsed.destructive_op_error_code ?? undefined,
    targetBranch: parsed.target_branch ?? undefined,
    errors: parsed.errors ?? [],
  };
}
