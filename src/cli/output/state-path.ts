/** XState state values as short dotted paths (`inProgress.implementing`), for people and records. */
import { flowStep } from '../../machines/restore/persisted-run.js';

/**
 * A state value as a dotted path. Parallel regions (several keys) are joined with `|` in key
 * order, so the text is stable; callers that only care about one region pick it first.
 */
export function statePath(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return '';
  const keys = Object.keys(value);
  const parts = keys.map((key) => {
    const inner = statePath((value as Record<string, unknown>)[key]);
    return inner === '' ? key : `${key}.${inner}`;
  });
  return parts.length === 1 ? (parts[0] ?? '') : parts.join('|');
}

/**
 * The wpMachine's `flow` region as a path (the `notes` region is bookkeeping, not progress): the
 * same step `resume` reads from a saved WP actor (flowStep).
 */
export function wpFlowPath(value: unknown): string {
  return flowStep(value) ?? statePath(value);
}

/** The missionMachine's state without the poller region (it ticks on every poll). */
export function missionPath(value: unknown): string {
  if (typeof value === 'object' && value !== null && 'running' in value) {
    const running = (value as { running: unknown }).running;
    if (typeof running === 'object' && running !== null && 'scheduler' in running) {
      return `running.${statePath((running as { scheduler: unknown }).scheduler)}`;
    }
    return `running.${statePath(running)}`;
  }
  return statePath(value);
}
