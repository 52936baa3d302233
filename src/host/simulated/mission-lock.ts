/**
 * A per-mission lock shared by every process (and every in-process caller) that mutates a
 * simulated mission, like the real host's per-mission status lock.
 *
 * The lock is a folder (mkdir is atomic: exactly one creator wins) holding one note with a
 * unique name that says who holds it. A holder that died is broken by deleting ITS note by that
 * unique name (only one breaker can) and then the empty folder. A plain lock file cannot do
 * this safely: "read the pid, see it dead, delete the path" can delete a lock that a new holder
 * took in between, and two processes then hold it at once (seen under load in the benchmark).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const RETRY_MS = 15;
/** A lock older than this is from a holder that hung or died without cleanup. */
const STALE_AFTER_MS = 120_000;
const GIVE_UP_AFTER_MS = 180_000;
const NOTE_PREFIX = 'holder-';

export class MissionLockTimeoutError extends Error {
  constructor(readonly lockFile: string) {
    super(
      `timed out waiting for the simulated host lock ${lockFile}; remove it if no host process is running`,
    );
    this.name = 'MissionLockTimeoutError';
  }
}

export async function withMissionLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  const note = await acquire(lockPath);
  try {
    return await work();
  } finally {
    await rm(note, { force: true });
    await rmdir(lockPath).catch(() => undefined);
  }
}

async function acquire(lockPath: string): Promise<string> {
  const startedAt = Date.now();
  for (;;) {
    try {
      await mkdir(lockPath);
      const note = path.join(lockPath, `${NOTE_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
      await writeFile(note, JSON.stringify({ pid: process.pid, acquired_at: new Date().toISOString() }));
      return note;
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
    await breakIfStale(lockPath);
    if (Date.now() - startedAt > GIVE_UP_AFTER_MS) throw new MissionLockTimeoutError(lockPath);
    await sleep(RETRY_MS);
  }
}

/** Removes the lock of a dead (or long-hung) holder; any race makes it a no-op and we retry. */
async function breakIfStale(lockPath: string): Promise<void> {
  try {
    const notes = (await readdir(lockPath)).filter((name) => name.startsWith(NOTE_PREFIX));
    const note = notes[0];
    if (note === undefined) {
      // Being set up (between mkdir and the note), or its creator died right there.
      const info = await stat(lockPath);
      if (Date.now() - info.mtimeMs > STALE_AFTER_MS) await rmdir(lockPath);
      return;
    }
    const notePath = path.join(lockPath, note);
    const info = await stat(notePath);
    const pid = Number(note.slice(NOTE_PREFIX.length).split('-')[0]);
    const dead = Number.isInteger(pid) && pid !== process.pid && !isAlive(pid);
    if (!dead && Date.now() - info.mtimeMs <= STALE_AFTER_MS) return;
    await readFile(notePath); // still there: only now delete it, by its unique name
    await rm(notePath);
    await rmdir(lockPath);
  } catch {
    // Vanished, taken over by another breaker, or re-taken: retry the acquisition.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isCode(error, 'ESRCH');
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
