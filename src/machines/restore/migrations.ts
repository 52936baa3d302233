/**
 * Persisted snapshots of earlier formats, brought to this one. Each released run-state format has
 * one migration here, tested with a snapshot that format really wrote (test/persistence/fixtures);
 * after the migration the snapshot is still checked against the machines (readPersistedMission).
 */

/** The format of the snapshot inside the run-state file that this build writes. */
export const SNAPSHOT_FORMAT = 2;

type Json = Record<string, unknown>;

/**
 * Format 1 (every build before restore went through `createActor({ snapshot })`): the mission
 * context had `carried`, the facts an earlier resume handed to WPs it had not started yet. Those
 * WPs now start from their host lanes alone (a WP is only carried while its actor lives, and
 * then its own snapshot holds every fact), so the field is dropped. WP contexts get the fields
 * format 2 added.
 */
function fromFormat1(snapshot: Json): Json {
  const context = snapshot.context as Json | undefined;
  if (!context || typeof context !== 'object') return snapshot;
  const { carried: _carried, ...rest } = context;
  const children: Json = {};
  for (const [id, child] of Object.entries((snapshot.children as Json | undefined) ?? {})) {
    children[id] = (child as Json)?.src === 'wp' ? withWpDefaults(child as Json) : child;
  }
  return { ...snapshot, context: rest, children };
}

/**
 * Format 1 had no `lastStartNote` (the retry note a restored attempt must not queue twice): null,
 * so a restored attempt in flight notes its retry once more, as format 1 did.
 */
function withWpDefaults(child: Json): Json {
  const snapshot = child.snapshot as Json | undefined;
  const context = snapshot?.context as Json | undefined;
  if (!snapshot || !context || 'lastStartNote' in context) return child;
  return { ...child, snapshot: { ...snapshot, context: { ...context, lastStartNote: null } } };
}

const MIGRATIONS: Record<number, (snapshot: Json) => Json> = { 1: fromFormat1 };

export type MigrationResult = { ok: true; snapshot: unknown } | { ok: false; problem: string };

export function migrateSnapshot(format: number, snapshot: unknown): MigrationResult {
  if (format > SNAPSHOT_FORMAT) {
    return { ok: false, problem: `it was written by a newer orchestrator (format ${format})` };
  }
  let current = snapshot as Json;
  for (let version = format; version < SNAPSHOT_FORMAT; version += 1) {
    const migrate = MIGRATIONS[version];
    if (!migrate) return { ok: false, problem: `no migration from format ${version}` };
    current = migrate(current);
  }
  return { ok: true, snapshot: current };
}
