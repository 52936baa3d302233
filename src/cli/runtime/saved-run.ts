/**
 * Facts `resume` needs from a saved run, read defensively from the persisted snapshot (its
 * shape belongs to the machines; anything unexpected is simply not used).
 */
import type { RunState } from '../../actors/persistence/index.js';

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
    const childContext = asObject(asObject(asObject(child)?.snapshot)?.context);
    if (childContext?.lane === 'in_review') owned.add(wpId);
  }
  return [...owned].sort();
}

/** Runs that stopped before their end (Ctrl-C, abort, or a crash that left them `running`). */
export const RESUMABLE_STATUSES: ReadonlySet<string> = new Set(['running', 'interrupted', 'aborted']);
