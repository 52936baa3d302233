/**
 * Which WPs to start, and what to conclude when none can start. Pure functions of the mission
 * context: readiness comes from the dependency graph in mission-state plus the outputs of
 * children that finished in this run, so a dependent starts the moment its last dependency is
 * done, with no host round trip.
 */
import { type Lane, TERMINAL_LANES } from '../../host/lanes.js';
import type { MissionContext, StalledWp } from './types.js';

/** Lanes left by an earlier run that a WP actor picks up where they are. */
const ADOPTABLE: ReadonlySet<Lane> = new Set<Lane>(['claimed', 'in_progress', 'for_review']);

/** Our own results outrank a mission-state read that may predate them. */
export function effectiveLane(context: MissionContext, wpId: string): Lane {
  return context.results[wpId]?.lane ?? context.known[wpId]?.lane ?? 'planned';
}

function dependenciesDone(context: MissionContext, wpId: string): boolean {
  return (context.known[wpId]?.dependencies ?? []).every((dep) => effectiveLane(context, dep) === 'done');
}

function untouchedThisRun(context: MissionContext, wpId: string): boolean {
  return !context.inFlight.includes(wpId) && context.results[wpId] === undefined;
}

/** Ready planned WPs first (host order), then WPs an earlier run left mid-way. */
export function schedulableWps(context: MissionContext): string[] {
  const candidates = context.wpOrder.filter((wpId) => untouchedThisRun(context, wpId));
  const ready = candidates.filter(
    (wpId) => effectiveLane(context, wpId) === 'planned' && dependenciesDone(context, wpId),
  );
  const leftovers = candidates.filter((wpId) => {
    const lane = effectiveLane(context, wpId);
    return ADOPTABLE.has(lane) || (lane === 'in_review' && context.ownedInReview.includes(wpId));
  });
  return [...ready, ...leftovers];
}

/** WP children still in their lane flow (draining ones only write notes and hold no slot). */
export function busyWps(context: MissionContext): number {
  return context.inFlight.length - context.draining.length;
}

export function wpsToStart(context: MissionContext): string[] {
  const free = Math.max(0, context.config.maxConcurrent - busyWps(context));
  return schedulableWps(context).slice(0, free);
}

export function allWpsDone(context: MissionContext): boolean {
  return context.wpOrder.every((wpId) => effectiveLane(context, wpId) === 'done');
}

export function someWpNotTerminal(context: MissionContext): boolean {
  return context.wpOrder.some((wpId) => !TERMINAL_LANES.has(effectiveLane(context, wpId)));
}

function stuckReason(context: MissionContext, wpId: string, lane: Lane): string {
  const result = context.results[wpId];
  if (result) return result.reason ?? result.lastError?.message ?? `ended ${result.outcome} in this run`;
  const waiting = (context.known[wpId]?.dependencies ?? []).filter(
    (dep) => effectiveLane(context, dep) !== 'done',
  );
  if (lane === 'planned' && waiting.length > 0) {
    return `waiting for ${waiting.map((dep) => `${dep} (${effectiveLane(context, dep)})`).join(', ')}`;
  }
  if (TERMINAL_LANES.has(lane)) return `already ${lane} before this run`;
  if (lane === 'in_review') return 'in review by another actor (not claimed by this orchestrator)';
  return `lane ${lane} is not driven by the orchestrator`;
}

export function stalledWps(context: MissionContext): StalledWp[] {
  return context.wpOrder
    .map((wpId) => ({ wpId, lane: effectiveLane(context, wpId) }))
    .filter(({ lane }) => !TERMINAL_LANES.has(lane))
    .map(({ wpId, lane }) => ({ wpId, lane, reason: stuckReason(context, wpId, lane) }));
}

/** One line per WP that did not end done, for the final summary. */
export function problemSummary(context: MissionContext): string {
  const problems = context.wpOrder
    .filter((wpId) => effectiveLane(context, wpId) !== 'done')
    .map(
      (wpId) =>
        `${wpId} ${effectiveLane(context, wpId)}: ${stuckReason(context, wpId, effectiveLane(context, wpId))}`,
    );
  return problems.length === 0 ? 'every WP is done' : problems.join('; ');
}
