/**
 * Reading, writing and removing `.kittify/orchestrator-run-state.json`. Reads never throw for a
 * bad file: they return a tagged result so `status` can report it and `resume` can refuse it with
 * a message that says how to recover.
 */
import { readFile, rm } from 'node:fs/promises';
import type { z } from 'zod';
import { type AtomicFs, nodeAtomicFs, writeFileAtomic } from './atomic-fs.js';
import { RunStateInvalidError, StateWriteError } from './errors.js';
import { runStatePath } from './paths.js';
import {
  RUN_STATE_FORMAT,
  RUN_STATE_FORMAT_VERSION,
  type RunState,
  runStateSchema,
} from './run-state-schema.js';

export type ReadRunStateResult =
  | { kind: 'missing' }
  | { kind: 'ok'; state: RunState }
  | { kind: 'invalid'; error: RunStateInvalidError };

export async function readRunState(repoRoot: string): Promise<ReadRunStateResult> {
  const file = runStatePath(repoRoot);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return {
      kind: 'invalid',
      error: new RunStateInvalidError(file, `it cannot be read (${String(error)})`, [], error),
    };
  }
  return parseRunState(file, text);
}

/** Validate the text of a run-state file; exported for tools that read it from elsewhere. */
export function parseRunState(file: string, text: string): ReadRunStateResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const problem = text.trim() === '' ? 'it is empty' : `it is not valid JSON (${(error as Error).message})`;
    return { kind: 'invalid', error: new RunStateInvalidError(file, problem, [], error) };
  }
  const versionProblem = describeFormatMismatch(json);
  if (versionProblem) {
    return { kind: 'invalid', error: new RunStateInvalidError(file, versionProblem, ['formatVersion']) };
  }
  const parsed = runStateSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map(issuePath);
    const details = parsed.error.issues.map((issue) => `${issuePath(issue) || '(root)'}: ${issue.message}`);
    return {
      kind: 'invalid',
      error: new RunStateInvalidError(
        file,
        `invalid field${details.length === 1 ? '' : 's'} ${details.join('; ')}`,
        fields,
        parsed.error,
      ),
    };
  }
  return { kind: 'ok', state: parsed.data };
}

/**
 * A file from another tool, or from a newer orchestrator, deserves a clearer message than
 * "invalid literal": say which it is, and that upgrading (not deleting) is the fix for the latter.
 */
function describeFormatMismatch(json: unknown): string | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'it is not a JSON object';
  const record = json as Record<string, unknown>;
  if (record.format !== RUN_STATE_FORMAT) {
    return `it is not a ${RUN_STATE_FORMAT} file (format is ${JSON.stringify(record.format) ?? 'missing'})`;
  }
  const version = record.formatVersion;
  if (typeof version === 'number' && version > RUN_STATE_FORMAT_VERSION) {
    return (
      `it was written by a newer spec-kitty-orchestrator (formatVersion ${version}, this one reads ` +
      `${RUN_STATE_FORMAT_VERSION}); upgrade spec-kitty-orchestrator to resume it`
    );
  }
  return null;
}

function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

/**
 * Validate and write the run state atomically. A state that does not match the schema is a bug in
 * the caller: it is refused before anything touches the disk, so the file on disk stays resumable.
 */
export async function writeRunStateAtomic(
  repoRoot: string,
  state: RunState,
  fs: AtomicFs = nodeAtomicFs,
): Promise<{ path: string; bytes: number }> {
  const file = runStatePath(repoRoot);
  let text: string;
  try {
    text = serializeRunState(runStateSchema.parse(state));
  } catch (error) {
    throw new StateWriteError(file, 'serialize', error);
  }
  const { bytes } = await writeFileAtomic(file, text, fs);
  return { path: file, bytes };
}

/**
 * The envelope one field per line, for a person reading the file; the snapshot on one line. The
 * file is rewritten after every lane change and grows with the mission (~1 KB per WP): indenting
 * the snapshot doubled its size and the time to serialize it (measured at 500 WPs: 970 KB and
 * 8.8 ms per write indented, 530 KB and 4.7 ms compact).
 */
export function serializeRunState(state: RunState): string {
  const { snapshot, ...envelope } = state;
  const head = JSON.stringify(envelope, null, 2);
  return `${head.slice(0, -2)},\n  "snapshot": ${JSON.stringify(snapshot)}\n}\n`;
}

/** Delete the run state (abort, or a finished run). Missing is fine. */
export async function removeRunState(repoRoot: string): Promise<{ removed: boolean }> {
  const file = runStatePath(repoRoot);
  try {
    await rm(file);
    return { removed: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { removed: false };
    throw new StateWriteError(file, 'remove', error);
  }
}
