/**
 * The versioned envelope around the mission actor's persisted snapshot, stored in
 * `.kittify/orchestrator-run-state.json`. The envelope is validated strictly; the XState snapshot
 * inside is only checked to be a snapshot-shaped JSON object, because its exact shape belongs to
 * the machines (src/machines/restore reads and checks it against them before a restore).
 */
import { z } from 'zod';

export const RUN_STATE_FORMAT = 'spec-kitty-orchestrator/run-state';
/**
 * 2: the snapshot is restored with `createActor({ snapshot })` (no `carried` in the mission
 * context). Files of format 1 are still read; machines/restore/migrations.ts brings their
 * snapshot to this format before a resume.
 */
export const RUN_STATE_FORMAT_VERSION = 2;
const READABLE_FORMAT_VERSIONS = [1, RUN_STATE_FORMAT_VERSION] as const;

export const RUN_STATUSES = [
  'running',
  'completed',
  'finished_with_problems',
  'stalled',
  'failed',
  'aborted',
  'interrupted',
] as const;
export const runStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** XState `StateValue`: a state name, or an object of region -> nested value. */
const stateValueSchema = z.union([z.string(), z.record(z.string(), z.unknown())]);

/** `actor.getPersistedSnapshot()` after a JSON round trip; everything beyond status/value is the machine's. */
export const persistedSnapshotSchema = z.looseObject({
  status: z.enum(['active', 'done', 'error', 'stopped']),
  value: stateValueSchema,
});
export type PersistedSnapshotJson = z.infer<typeof persistedSnapshotSchema>;

const isoTimestamp = z.iso.datetime({ offset: true });

export const runStateSchema = z.strictObject({
  format: z.literal(RUN_STATE_FORMAT),
  formatVersion: z.union(READABLE_FORMAT_VERSIONS.map((version) => z.literal(version))),
  /**
   * Structural version of the machine definitions that produced `snapshot` (descriptions left
   * out, cli/runtime/machine-version.ts): named when `resume` cannot restore the snapshot.
   */
  machineVersion: z.string().min(1),
  runId: z.string().min(1),
  mission: z.string().min(1),
  /** The actor id reported to the host (`--actor`). */
  actor: z.string().min(1),
  /** The policy the run started with; `resume` reuses it. */
  policy: z.record(z.string(), z.unknown()),
  repoRoot: z.string().min(1),
  startedAt: isoTimestamp,
  updatedAt: isoTimestamp,
  status: runStatusSchema,
  /** The process that last wrote the file (for `status` and crash diagnosis). */
  pid: z.int().positive(),
  snapshot: persistedSnapshotSchema,
});
export type RunState = z.infer<typeof runStateSchema>;
