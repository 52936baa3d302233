/**
 * Reads and writes one simulated mission. Writes go to a temp file and are renamed into place so
 * a concurrent reader never sees half a document; mutations run under the per-mission lock.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { withMissionLock } from './mission-lock.js';
import { type StoredEvent, type StoredMission, storedMissionSchema } from './model.js';
import { isSafeSlug, missionPaths } from './paths.js';

export class CorruptMissionError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`simulated mission file ${file} is not valid: ${detail}`);
    this.name = 'CorruptMissionError';
  }
}

/** `<name>-<mid8>`: the slug the real host gives a mission it creates (Crockford base32 id). */
const HOST_MADE_SLUG = /^(.+)-([0-9A-HJKMNP-TV-Z]{8})$/;

/**
 * The slug `handle` names, as the real host resolves `--mission` (measured on 3.2.7): the slug
 * itself, or for a mission it created (`demo-mission-01M8Y1KV`) also the name alone
 * (`demo-mission`) or the mission id's first 8 characters (`01M8Y1KV`). A numbered slug
 * (`001-demo`) answers to nothing but itself. Unknown or ambiguous handles come back unchanged,
 * so the caller reports MISSION_NOT_FOUND with what the user typed.
 */
export async function resolveMissionHandle(repoRoot: string, handle: string): Promise<string> {
  let files: string[];
  try {
    files = await readdir(missionPaths(repoRoot, handle).dir);
  } catch {
    return handle;
  }
  const slugs = files.filter((file) => file.endsWith('.json')).map((file) => file.slice(0, -'.json'.length));
  if (slugs.includes(handle)) return handle;
  const matches = slugs.filter((slug) => {
    const parts = HOST_MADE_SLUG.exec(slug);
    return parts !== null && (parts[1] === handle || parts[2] === handle);
  });
  return matches.length === 1 ? (matches[0] ?? handle) : handle;
}

/** The mission, or null when no mission has exactly this slug. */
export async function readMission(repoRoot: string, slug: string): Promise<StoredMission | null> {
  if (!isSafeSlug(slug)) return null;
  const file = missionPaths(repoRoot, slug).missionFile;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT')
      return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CorruptMissionError(file, String(error));
  }
  const parsed = storedMissionSchema.safeParse(json);
  if (!parsed.success)
    throw new CorruptMissionError(file, parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

export async function writeMission(repoRoot: string, mission: StoredMission): Promise<void> {
  const file = missionPaths(repoRoot, mission.mission_slug).missionFile;
  await writeAtomically(file, `${JSON.stringify(mission, null, 2)}\n`);
}

export async function appendEvents(
  repoRoot: string,
  slug: string,
  events: readonly StoredEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const file = missionPaths(repoRoot, slug).eventsFile;
  // One write call per batch: a composite (claimed + in_progress) lands together.
  await appendFile(file, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
}

export async function readEvents(repoRoot: string, slug: string): Promise<StoredEvent[]> {
  let text: string;
  try {
    text = await readFile(missionPaths(repoRoot, slug).eventsFile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as StoredEvent);
}

/** Runs `work` while holding the mission's lock. */
export async function lockMission<T>(repoRoot: string, slug: string, work: () => Promise<T>): Promise<T> {
  const paths = missionPaths(repoRoot, slug);
  await mkdir(paths.dir, { recursive: true });
  return withMissionLock(paths.lockFile, work);
}

export async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, content);
  await rename(temp, file);
}
