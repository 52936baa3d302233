/**
 * Facts `resume` needs from a saved run, read defensively from the persisted snapshot (its
 * shape belongs to the machines; anything unexpected is simply not used).
 */
import { z } from 'zod';
import type { RunState } from '../../actors/persistence/index.js';
import type { WpCarry } from '../../machines/index.js';

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

/**
 * WPs this run had claimed for review (host lane in_review by our own call), plus those an earlier
 * resume already carried over and that have not finished since. mission-state cannot tell whose
 * review it is (last_actor is always null), so only our own record can.
 */
export function ownedInReviewFrom(state: RunState): string[] {
  const owned = new Set<string>();
  const snapshot = asObject(state.snapshot);
  const context = asObject(snapshot?.context);
  const results = asObject(context?.results) ?? {};
  const carried = Array.isArray(context?.ownedInReview) ? context.ownedInReview : [];
  for (const wpId of carried) {
    if (typeof wpId === 'string' && !(wpId in results)) owned.add(wpId);
  }
  const children = asObject(snapshot?.children) ?? {};
  for (const [wpId, child] of Object.entries(children)) {
    const childSnapshot = asObject(asObject(child)?.snapshot);
    const childContext = asObject(childSnapshot?.context);
    if (childContext?.lane === 'in_review' || REVIEW_CLAIM_STEPS.has(flowStep(childSnapshot?.value) ?? '')) {
      owned.add(wpId);
    }
  }
  return [...owned].sort();
}

/**
 * Steps in which our own start-review had been sent, or our review result was being sent: if the
 * host shows in_review, it is our review (the answer may simply not have arrived before the crash).
 */
const REVIEW_CLAIM_STEPS: ReadonlySet<string> = new Set([
  'forReview.claimingReview',
  'inReview.summarizing',
  'inReview.reviewing',
  'inReview.reviewAttemptFailed',
  'inReview.reviewRetryWait',
  'completing',
  'requestingChanges',
]);

/** A wp child's `value.flow` as a dotted step (`inProgress.implementing`). */
export function flowStep(value: unknown): string | undefined {
  const flow = asObject(value)?.flow;
  const parts: string[] = [];
  let node: unknown = flow;
  while (node !== undefined) {
    if (typeof node === 'string') {
      parts.push(node);
      break;
    }
    const object = asObject(node);
    const [key] = object ? Object.keys(object) : [];
    if (!object || key === undefined) break;
    parts.push(key);
    node = object[key];
  }
  return parts.length > 0 ? parts.join('.') : undefined;
}

const roleStateSchema = z.object({
  agentIndex: z.int().nonnegative(),
  attempt: z.int().positive(),
  agentsTried: z.array(z.string()),
  runs: z.int().nonnegative(),
});

/** The part of a persisted wp context a resumed actor takes over (anything else is recomputed). */
const carriedContextSchema = z.object({
  workspace: z
    .object({
      workspacePath: z.string(),
      promptPath: z.string(),
      laneId: z.string().nullable(),
      laneBranch: z.string().nullable(),
      laneBaseRef: z.string().nullable(),
    })
    .nullable(),
  baseHead: z.string().nullable(),
  implementation: roleStateSchema,
  review: roleStateSchema,
  reviewCycle: z.int().nonnegative(),
  reviewRef: z.string().nullable(),
  lastFeedback: z.string().nullable(),
  lastReviewResult: z
    .object({
      reviewer: z.string(),
      verdict: z.enum(['approved', 'changes_requested']),
      reference: z.string(),
    })
    .nullable(),
  commits: z.int().nonnegative(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number() }),
  logPaths: z.array(z.string()),
});

const carrySchema = carriedContextSchema.extend({ step: z.string().min(1) });

/**
 * Per WP, what the saved run's WP actors knew (see WpCarry): taken from every live wp child of
 * the snapshot, plus what an earlier resume carried over for WPs that have not run since. WPs the
 * saved run finished are left out (the host lane says where they are). A child whose context
 * does not have the expected shape is skipped: that WP starts from its host lane alone.
 */
export function carriedWpsFrom(state: RunState): Record<string, WpCarry> {
  const snapshot = asObject(state.snapshot);
  const context = asObject(snapshot?.context);
  const results = asObject(context?.results) ?? {};
  const carried: Record<string, WpCarry> = {};
  for (const [wpId, value] of Object.entries(asObject(context?.carried) ?? {})) {
    const parsed = carrySchema.safeParse(value);
    if (parsed.success && !(wpId in results)) carried[wpId] = parsed.data as WpCarry;
  }
  for (const [wpId, child] of Object.entries(asObject(snapshot?.children) ?? {})) {
    const childSnapshot = asObject(asObject(child)?.snapshot);
    const step = flowStep(childSnapshot?.value);
    const parsed = carriedContextSchema.safeParse(childSnapshot?.context);
    if (!step || !parsed.success || childSnapshot?.status !== 'active') continue;
    carried[wpId] = adjustForStep({ step, ...parsed.data } as WpCarry);
  }
  return carried;
}

/**
 * A rework request that reached the host starts a new implementation phase: its commits are
 * counted from the lane head found then, not from the previous phase's base.
 */
function adjustForStep(carry: WpCarry): WpCarry {
  return carry.step === 'requestingChanges' ? { ...carry, baseHead: null } : carry;
}

/** Runs that stopped before their end (Ctrl-C, abort, or a crash that left them `running`). */
export const RESUMABLE_STATUSES: ReadonlySet<string> = new Set(['running', 'interrupted', 'aborted']);
