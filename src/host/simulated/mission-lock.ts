/**
 * A per-mission lock file shared by every process (and every in-process caller) that mutates a
 * simulated mission, like the real host's per-mission status lock. `open(..., 'wx')` is atomic on
 * local file systems, so exactly one holder wins; a holder that died leaves a lock we break.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const RETRY_MS = 15;
/** A lock older than this is from a holder that hung or died without cleanup. */
const STALE_AFTER_MS = 120_000;
const GIVE_UP_AFTER_MS = 180_000;

export class MissionLockTimeoutError extends Error {
  constructor(readonly lockFile: string) {
    super(
      `timed out waiting for the simulated host lock ${lockFile}; remove it if no host process is running`,
    );
    this.name = 'MissionLockTimeoutError';
  }
}

export async function withMissionLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  await acquire(lockFile);
  try {
    return await work();
  } finally {
    await rm(lockFile, { force: true });
  }
}

async function acquire(lockFile: string): Promise<void> {
  const startedAt = Date.now();
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, acquired_at: new Date().toISOString() }));
      await handle.close();
      return;
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
    if (await isStale(lockFile)) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() - startedAt > GIVE_UP_AFTER_MS) throw new MissionLockTimeoutError(lockFile);
    await sleep(RETRY_MS);
  }
}

async function isStale(lockFile: string): Promise<boolean> {
  try {
    const info = await stat(lockFile);
    if (Date.now() - info.mtimeMs > STALE_AFTER_MS) return true;
    const holder: unknown = JSON.parse(await readFile(lockFile, 'utf8'));
    const pid =
      typeof holder === 'object' && holder !== null && 'pid' in holder ? Number(holder.pid) : Number.NaN;
    return Number.isInteger(pid) && pid !== process.pid && !isAlive(pid);
  } catch {
    // Vanished or half-written (the holder is between open and write): not stale, retry.
    return false;
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
