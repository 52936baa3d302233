/**
 * A saved run as `resume` restores it: the run-state file's snapshot, migrated from its format,
 * checked against this build's machines, and made safe to restore (machines/restore). The
 * snapshot's shape is read nowhere else.
 */
import type { RunState } from '../../actors/persistence/index.js';
import {
  makeRestoreSafe,
  type RestoreResult,
  type RestoreSession,
} from '../../machines/restore/make-restore-safe.js';
import { migrateSnapshot } from '../../machines/restore/migrations.js';
import {
  ownedInReviewOf,
  type ReadResult,
  readPersistedMission,
} from '../../machines/restore/persisted-run.js';

/** Runs that stopped before their end (Ctrl-C, abort, or a crash that left them `running`). */
export const RESUMABLE_STATUSES: ReadonlySet<string> = new Set(['running', 'interrupted', 'aborted']);

/** The saved snapshot as this build's machines read it, or what stands in the way. */
export function readSavedSnapshot(state: RunState): ReadResult {
  const migrated = migrateSnapshot(state.formatVersion, state.snapshot);
  if (!migrated.ok) return migrated;
  return readPersistedMission(migrated.snapshot);
}

/** The snapshot `createActor({ snapshot })` gets for a resume in `session`. */
export function restorePlan(state: RunState, session: RestoreSession): RestoreResult {
  const read = readSavedSnapshot(state);
  return read.ok ? makeRestoreSafe(read.mission, session) : read;
}

/**
 * In_review WPs the saved run had claimed for review: kept by `orchestrate --fresh` (read from any
 * snapshot, even one this build cannot restore), since mission-state cannot tell whose they are.
 */
export function ownedInReviewFrom(state: RunState): string[] {
  return ownedInReviewOf(state.snapshot);
}
