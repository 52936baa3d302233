/**
 * The repository lock `.kittify/orchestrator.lock`: one orchestrator per repository. Node has no
 * kernel file lock, so the lock is a filesystem object whose presence means "held", carrying a JSON
 * note of its holder; a holder that died (kill -9, power cut) is recognised by its pid and taken over.
 *
 * Why a directory holding one uniquely named note, not a plain file: a takeover must remove the
 * stale lock *and nothing else*, but a file at a fixed path cannot be removed conditionally, so
 * with three or more racing newcomers one of them can remove a lock another has just won (the test
 * "exactly one of many racing newcomers" caught exactly that with a rename-aside design). The
 * directory gives every step an atomic, conditional primitive:
 *   create:   build `orchestrator.lock.staging-<pid>-<rand>/holder-<token>.json` privately, then
 *             rename the staging folder to `orchestrator.lock`. That fails while a non-empty lock
 *             exists, and the lock appears with its note complete (never half-written).
 *   takeover: unlink the stale holder's note by its unique name (only one taker can succeed, and
 *             it can never hit a newer holder's note), then rmdir the lock, which fails if a newer
 *             lock was renamed in meanwhile. An empty lock folder (a taker died between the two
 *             steps) is free: renaming a staging folder onto an empty folder replaces it atomically.
 *   release:  unlink our own note by name, then rmdir: only ever removes our own lock.
 * A plain JSON file at that path (the Python reference's lock) is still read and honoured.
 *
 * A holder is its pid, the start time of that process and the boot it ran in: a pid that now
 * belongs to another process (containers restart pids from 1) does not keep a dead run's lock.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { LockError, LockHeldError, type LockHolder } from './errors.js';
import { kittifyDir, LOCK_FILE, lockPath } from './paths.js';
import { processStartTime } from './process-start.js';

export type { LockHolder } from './errors.js';

/**
 * Only the pid is needed to judge a lock, so the other fields are lenient: a note from the Python
 * reference orchestrator (pid and mission only) is still recognised as held, not as corrupt.
 */
const lockNoteSchema = z.looseObject({
  pid: z.int().positive(),
  mission: z.string().catch('(unknown mission)'),
  runId: z.string().catch('(unknown run)'),
  startedAt: z.string().catch('(unknown time)'),
  hostname: z.string().optional(),
  /** Linux boot id: a note from before a reboot is stale even if its pid was reused since. */
  bootId: z.string().optional(),
  /** When the holder's process started (process-start.ts): a reused pid has another. */
  processStart: z.string().optional(),
});

export type ReadLockResult =
  | { kind: 'missing' }
  | {
      kind: 'held';
      holder: LockHolder;
      /** Whether the holder's process exists; unknown when it runs on another host. */
      alive: boolean | 'unknown';
      sameHost: boolean;
    }
  | { kind: 'corrupt'; reason: string };

export interface RunLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Remove the lock if it is still ours (a lock taken over by someone else is left alone). */
  release(): Promise<{ released: boolean }>;
  /** The same for `process.on('exit')`, where nothing asynchronous runs. */
  releaseSync(): { released: boolean };
}

export interface AcquireRunLockOptions {
  mission: string;
  runId: string;
}

/** Each round means the lock changed under us (someone released, took over, or won); give up eventually. */
const MAX_ATTEMPTS = 25;
const NOTE_PREFIX = 'holder-';
const STAGING_PREFIX = `${LOCK_FILE}.staging-`;

/** What is at the lock path, with enough detail to remove exactly what was judged. */
type Observed =
  | { form: 'missing' }
  | { form: 'file'; result: ReadLockResult }
  | { form: 'dir'; notes: string[]; result: ReadLockResult };

export async function acquireRunLock(repoRoot: string, options: AcquireRunLockOptions): Promise<RunLock> {
  const file = lockPath(repoRoot);
  const bootId = readBootId();
  const processStart = processStartTime(process.pid);
  const holder: LockHolder = {
    pid: process.pid,
    mission: options.mission,
    runId: options.runId,
    startedAt: new Date().toISOString(),
    hostname: osHostname(),
    ...(processStart !== undefined ? { processStart } : {}),
  };
  const token = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const noteName = `${NOTE_PREFIX}${token}.json`;
  const staging = path.join(kittifyDir(repoRoot), `${STAGING_PREFIX}${token}`);
  try {
    await mkdir(kittifyDir(repoRoot), { recursive: true });
    await removeDeadStagingFolders(repoRoot);
    await mkdir(staging);
    await writeFile(path.join(staging, noteName), `${JSON.stringify({ ...holder, bootId })}\n`, {
      mode: 0o644,
    });
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw new LockError(file, `the lock note could not be written (${String(error)})`, error);
  }

  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      try {
        await rename(staging, file);
        return ownedLock(file, path.join(file, noteName), holder);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // ENOTEMPTY/EEXIST: a lock folder with a note; ENOTDIR: a plain lock file (Python reference).
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR') {
          throw new LockError(file, `the lock could not be created (${String(error)})`, error);
        }
      }
      const observed = await observe(file);
      if (observed.form === 'missing') continue; // released or being taken over: race again
      const { result } = observed;
      if (result.kind === 'held' && result.alive !== false) {
        throw new LockHeldError(file, result.holder, result.sameHost);
      }
      if (result.kind === 'missing') continue;
      await removeJudged(file, observed);
    }
    throw new LockError(file, `it kept changing during ${MAX_ATTEMPTS} attempts to take it; try again`);
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** What `status` and `abort` show: who holds the lock and whether that process still exists. */
export async function readLock(repoRoot: string): Promise<ReadLockResult> {
  const observed = await observe(lockPath(repoRoot));
  return observed.form === 'missing' ? { kind: 'missing' } : observed.result;
}

async function observe(file: string): Promise<Observed> {
  try {
    const info = await stat(file);
    if (!info.isDirectory()) return { form: 'file', result: judge(await readFile(file, 'utf8')) };
    const notes = (await readdir(file)).sort();
    const [first] = notes;
    // An empty folder is a takeover cut short; it counts as free (a rename replaces it).
    if (first === undefined) return { form: 'dir', notes, result: { kind: 'missing' } };
    if (notes.length > 1)
      return { form: 'dir', notes, result: { kind: 'corrupt', reason: 'the lock holds several notes' } };
    return { form: 'dir', notes, result: judge(await readFile(path.join(file, first), 'utf8')) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOENT: the lock or its note went away while we looked; EISDIR: a folder where a note belongs.
    if (code === 'ENOENT') return { form: 'missing' };
    if (code === 'EISDIR')
      return { form: 'dir', notes: [], result: { kind: 'corrupt', reason: 'the lock note is a folder' } };
    throw new LockError(file, `the lock could not be read (${String(error)})`, error);
  }
}

function judge(raw: string): ReadLockResult {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return {
      kind: 'corrupt',
      reason: raw.trim() === '' ? 'the lock note is empty' : 'the lock note is not JSON',
    };
  }
  const parsed = lockNoteSchema.safeParse(json);
  if (!parsed.success) return { kind: 'corrupt', reason: 'the lock note has no valid pid' };
  const note = parsed.data;
  const localHost = osHostname();
  const sameHost = note.hostname === undefined || note.hostname === localHost;
  const holder: LockHolder = {
    pid: note.pid,
    mission: note.mission,
    runId: note.runId,
    startedAt: note.startedAt,
    hostname: note.hostname ?? localHost,
    ...(note.processStart !== undefined ? { processStart: note.processStart } : {}),
  };
  let alive: boolean | 'unknown' = 'unknown';
  if (sameHost) {
    const bootId = readBootId();
    const rebootedSince = note.bootId !== undefined && bootId !== undefined && note.bootId !== bootId;
    alive = !rebootedSince && isHolderProcess(holder);
  }
  return { kind: 'held', holder, sameHost, alive };
}

/**
 * Whether the holder's process is still the one running under its pid: alive, and (when the note
 * says when it started) started then. A note without a start time (older versions, the Python
 * reference) is judged by its pid alone.
 */
export function isHolderProcess(holder: Pick<LockHolder, 'pid' | 'processStart'>): boolean {
  if (!isProcessAlive(holder.pid)) return false;
  if (holder.processStart === undefined) return true;
  const now = processStartTime(holder.pid);
  return now === undefined || now === holder.processStart;
}

/** Signal 0 checks existence without touching the process; EPERM means it exists but is not ours. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux's boot id (undefined elsewhere): with a pid and its start time, it names one process. */
export function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined; // not Linux: the pid check alone decides
  }
}

/** Remove exactly the stale lock that was judged; every step fails harmlessly if it changed since. */
async function removeJudged(file: string, observed: Exclude<Observed, { form: 'missing' }>): Promise<void> {
  const harmless = new Set(['ENOENT', 'ENOTEMPTY', 'EEXIST', 'EISDIR', 'EPERM', 'ENOTDIR']);
  const tolerate = (error: NodeJS.ErrnoException) => {
    if (!harmless.has(error.code ?? '')) {
      throw new LockError(file, `a stale lock could not be removed (${String(error)})`, error);
    }
  };
  if (observed.form === 'file') {
    // unlink refuses a folder, so this cannot remove a lock folder created meanwhile.
    await unlink(file).catch(tolerate);
    return;
  }
  for (const note of observed.notes) {
    try {
      await unlink(path.join(file, note));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return; // another newcomer removed it first: race again
      if (code !== 'EISDIR' && code !== 'EPERM') return tolerate(error as NodeJS.ErrnoException);
      await rm(path.join(file, note), { recursive: true, force: true }); // a folder where a note belongs
    }
  }
  await rmdir(file).catch(tolerate);
}

/** Staging folders of processes that died between preparing and renaming: junk, safe to delete. */
async function removeDeadStagingFolders(repoRoot: string): Promise<void> {
  const entries = await readdir(kittifyDir(repoRoot)).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!entry.startsWith(STAGING_PREFIX)) continue;
    const pid = Number.parseInt(entry.slice(STAGING_PREFIX.length), 10);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isProcessAlive(pid)) {
      await rm(path.join(kittifyDir(repoRoot), entry), { recursive: true, force: true }).catch(
        () => undefined,
      );
    }
  }
}

function ownedLock(file: string, notePath: string, holder: LockHolder): RunLock {
  return {
    path: file,
    holder,
    async release() {
      try {
        await unlink(notePath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { released: false };
        throw new LockError(file, `the lock could not be removed (${String(error)})`, error);
      }
      // ENOTEMPTY: a newcomer already replaced the emptied folder with its own lock.
      await rmdir(file).catch(() => undefined);
      return { released: true };
    },
    releaseSync() {
      try {
        unlinkSync(notePath);
      } catch {
        return { released: false };
      }
      try {
        rmdirSync(file);
      } catch {
        // as above: someone else's lock now
      }
      return { released: true };
    },
  };
}
