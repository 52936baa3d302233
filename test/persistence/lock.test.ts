import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LockError, LockHeldError } from '../../src/actors/persistence/errors.js';
import {
  acquireRunLock,
  isHolderProcess,
  isProcessAlive,
  readLock,
} from '../../src/actors/persistence/lock.js';
import { lockPath } from '../../src/actors/persistence/paths.js';
import { processStartTime } from '../../src/actors/persistence/process-start.js';
import { deadPid, liveProcess } from './support/processes.js';

const roots: string[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function tempRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sko-lock-'));
  roots.push(root);
  return root;
}

/** A lock as another orchestrator leaves it: the lock folder with one holder note. */
function writeNote(root: string, note: Record<string, unknown> | string): void {
  rmSync(lockPath(root), { recursive: true, force: true });
  mkdirSync(lockPath(root), { recursive: true });
  writeFileSync(
    path.join(lockPath(root), 'holder-other.json'),
    typeof note === 'string' ? note : JSON.stringify(note),
  );
}

/** A plain lock file, as the Python reference orchestrator writes it. */
function writeLegacyLockFile(root: string, content: string): void {
  mkdirSync(path.join(root, '.kittify'), { recursive: true });
  writeFileSync(lockPath(root), content);
}

function lockNote(root: string): Record<string, unknown> {
  const notes = readdirSync(lockPath(root));
  expect(notes).toHaveLength(1);
  return JSON.parse(readFileSync(path.join(lockPath(root), notes[0] ?? ''), 'utf8')) as Record<
    string,
    unknown
  >;
}

function kittifyEntries(root: string): string[] {
  return readdirSync(path.join(root, '.kittify')).sort();
}

async function heldError(promise: Promise<unknown>): Promise<LockHeldError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the lock to be refused');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LockHeldError);
  return error as LockHeldError;
}

describe('acquireRunLock', () => {
  it('creates .kittify/orchestrator.lock with the holder note, and release removes it', async () => {
    const root = tempRoot();
    const lock = await acquireRunLock(root, { mission: '001-demo', runId: 'run-1' });
    expect(lock.path).toBe(lockPath(root));
    const note = lockNote(root);
    expect(note).toMatchObject({
      pid: process.pid,
      mission: '001-demo',
      runId: 'run-1',
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      hostname: hostname(),
    });
    expect(note).toMatchObject(lock.holder);
    expect(kittifyEntries(root)).toEqual(['orchestrator.lock']); // the staging file is gone
    expect(await lock.release()).toEqual({ released: true });
    expect(existsSync(lockPath(root))).toBe(false);
    expect(await lock.release()).toEqual({ released: false });
  });

  it('refuses a second orchestrator while the first holds the lock, naming its pid and mission', async () => {
    const root = tempRoot();
    const first = await acquireRunLock(root, { mission: '001-demo', runId: 'run-1' });
    const error = await heldError(acquireRunLock(root, { mission: '002-other', runId: 'run-2' }));
    expect(error.code).toBe('LOCK_HELD');
    expect(error.holder).toMatchObject({ pid: process.pid, mission: '001-demo', runId: 'run-1' });
    expect(error.message).toContain(`another orchestrator (pid ${process.pid}) is running mission 001-demo`);
    expect(error.message).toContain('abort');
    expect(lockNote(root).runId).toBe('run-1');
    await first.release();
  });

  it('refuses when another live process holds the lock', async () => {
    const root = tempRoot();
    const other = await liveProcess();
    cleanups.push(other.stop);
    writeNote(root, {
      pid: other.pid,
      mission: '003-live',
      runId: 'run-9',
      startedAt: '2025-01-01T00:00:00Z',
      hostname: hostname(),
    });
    const error = await heldError(acquireRunLock(root, { mission: '001-demo', runId: 'run-1' }));
    expect(error.holder.pid).toBe(other.pid);
    expect(error.message).toContain(`pid ${other.pid}`);
    expect(error.message).toContain('003-live');
  });

  it('takes over the lock of a dead process', async () => {
    const root = tempRoot();
    const pid = await deadPid();
    expect(isProcessAlive(pid)).toBe(false);
    writeNote(root, {
      pid,
      mission: '001-demo',
      runId: 'crashed-run',
      startedAt: '2025-01-01T00:00:00Z',
      hostname: hostname(),
    });
    expect(await readLock(root)).toMatchObject({
      kind: 'held',
      alive: false,
      holder: { pid, runId: 'crashed-run' },
    });

    const lock = await acquireRunLock(root, { mission: '001-demo', runId: 'run-2' });
    expect(lockNote(root)).toMatchObject({ pid: process.pid, runId: 'run-2' });
    expect(kittifyEntries(root)).toEqual(['orchestrator.lock']); // no stale-* leftovers
    await lock.release();
  });

  it.each([
    ['garbage', '{"pid": 12'],
    ['an empty note', ''],
    ['a note without a pid', '{"mission": "001-demo"}'],
  ])('takes over a corrupt lock (%s)', async (_name, content) => {
    const root = tempRoot();
    writeNote(root, content);
    expect((await readLock(root)).kind).toBe('corrupt');
    const lock = await acquireRunLock(root, { mission: '001-demo', runId: 'run-3' });
    expect(lockNote(root)).toMatchObject({ runId: 'run-3' });
    expect(kittifyEntries(root)).toEqual(['orchestrator.lock']);
    await lock.release();
  });

  it('takes over an empty lock folder (a takeover cut short) and a corrupt plain lock file', async () => {
    const root = tempRoot();
    mkdirSync(lockPath(root), { recursive: true });
    expect(await readLock(root)).toEqual({ kind: 'missing' });
    const first = await acquireRunLock(root, { mission: 'm', runId: 'after-empty' });
    expect(lockNote(root).runId).toBe('after-empty');
    await first.release();

    writeLegacyLockFile(root, 'not json');
    expect((await readLock(root)).kind).toBe('corrupt');
    const second = await acquireRunLock(root, { mission: 'm', runId: 'after-file' });
    expect(lockNote(root).runId).toBe('after-file');
    await second.release();
    expect(existsSync(lockPath(root))).toBe(false);
  });

  it('takes over a note written before a reboot even if its pid is alive now (Linux boot id)', async () => {
    const bootIdFile = '/proc/sys/kernel/random/boot_id';
    if (!existsSync(bootIdFile)) return; // the pid check alone decides elsewhere
    const root = tempRoot();
    writeNote(root, {
      pid: process.pid,
      mission: 'm',
      runId: 'before-reboot',
      startedAt: 'then',
      hostname: hostname(),
      bootId: 'another-boot',
    });
    expect(await readLock(root)).toMatchObject({ kind: 'held', alive: false });
    const lock = await acquireRunLock(root, { mission: 'm', runId: 'after-reboot' });
    expect(lockNote(root).runId).toBe('after-reboot');
    await lock.release();
  });

  it('records when its process started, and is held while that process runs', async () => {
    const root = tempRoot();
    const lock = await acquireRunLock(root, { mission: 'm', runId: 'r' });
    const started = processStartTime(process.pid);
    if (existsSync('/proc/self/stat')) expect(started).toMatch(/^proc:\d+$/);
    expect(lockNote(root).processStart).toBe(started);
    expect(lock.holder.processStart).toBe(started);
    expect(await readLock(root)).toMatchObject({ kind: 'held', alive: true });
    await lock.release();
  });

  it('takes over a stale lock whose pid now belongs to an unrelated live process (another start time)', async () => {
    const root = tempRoot();
    // Our own pid is alive, but the note says its holder started at another time: a reused pid.
    writeNote(root, {
      pid: process.pid,
      mission: '003-before-restart',
      runId: 'old-run',
      startedAt: '2025-01-01T00:00:00Z',
      hostname: hostname(),
      processStart: 'proc:1',
    });
    expect(await readLock(root)).toMatchObject({ kind: 'held', alive: false });
    const lock = await acquireRunLock(root, { mission: 'm', runId: 'new-run' });
    expect(lockNote(root).runId).toBe('new-run');
    await lock.release();
  });

  it('still honours a note without a start time (older versions) by its live pid', async () => {
    const root = tempRoot();
    const other = await liveProcess();
    cleanups.push(other.stop);
    writeNote(root, { pid: other.pid, mission: 'm', runId: 'r', startedAt: 't', hostname: hostname() });
    expect(await readLock(root)).toMatchObject({ kind: 'held', alive: true });
    expect(isHolderProcess({ pid: other.pid, processStart: processStartTime(other.pid) })).toBe(true);
    expect(isHolderProcess({ pid: other.pid, processStart: 'proc:1' })).toBe(false);
  });

  it('cleans up staging folders left by a process that died while acquiring', async () => {
    const root = tempRoot();
    const pid = await deadPid();
    const leftover = path.join(root, '.kittify', `orchestrator.lock.staging-${pid}-abc`);
    mkdirSync(leftover, { recursive: true });
    writeFileSync(path.join(leftover, `holder-${pid}-abc.json`), '{}');
    const lock = await acquireRunLock(root, { mission: 'm', runId: 'r' });
    expect(kittifyEntries(root)).toEqual(['orchestrator.lock']);
    await lock.release();
  });

  it('honours the plain lock file of the Python reference (pid and mission only)', async () => {
    const root = tempRoot();
    const other = await liveProcess();
    cleanups.push(other.stop);
    writeLegacyLockFile(root, JSON.stringify({ pid: other.pid, mission: '001-demo' }));
    const error = await heldError(acquireRunLock(root, { mission: '001-demo', runId: 'run-1' }));
    expect(error.holder).toMatchObject({ pid: other.pid, mission: '001-demo' });
    expect(readFileSync(lockPath(root), 'utf8')).toContain(String(other.pid)); // untouched
  });

  it('does not judge a lock from another host by a local pid: it stays held', async () => {
    const root = tempRoot();
    const pid = await deadPid();
    writeNote(root, {
      pid,
      mission: '001-demo',
      runId: 'r',
      startedAt: '2025-01-01T00:00:00Z',
      hostname: 'build-box-7',
    });
    expect(await readLock(root)).toMatchObject({ kind: 'held', alive: 'unknown', sameHost: false });
    const error = await heldError(acquireRunLock(root, { mission: '001-demo', runId: 'run-1' }));
    expect(error.message).toContain('on host build-box-7');
  });

  it('release leaves a lock alone that is no longer ours', async () => {
    const root = tempRoot();
    const lock = await acquireRunLock(root, { mission: '001-demo', runId: 'run-1' });
    // Someone judged us dead and took over: the lock now holds their note.
    const theirs = { pid: 1, mission: '001-demo', runId: 'run-new', startedAt: 'now', hostname: hostname() };
    writeNote(root, theirs);
    expect(await lock.release()).toEqual({ released: false });
    expect(lock.releaseSync()).toEqual({ released: false });
    expect(lockNote(root)).toEqual(theirs);
  });

  it('releaseSync removes our own lock (for process exit handlers)', async () => {
    const root = tempRoot();
    const lock = await acquireRunLock(root, { mission: '001-demo', runId: 'run-1' });
    expect(lock.releaseSync()).toEqual({ released: true });
    expect(existsSync(lockPath(root))).toBe(false);
  });

  it('lets exactly one of many racing newcomers take over a stale lock', async () => {
    for (let round = 0; round < 9; round += 1) {
      const root = tempRoot();
      if (round % 3 === 0) {
        writeNote(root, {
          pid: await deadPid(),
          mission: 'm',
          runId: 'dead',
          startedAt: 'then',
          hostname: hostname(),
        });
      } else if (round % 3 === 1) {
        writeNote(root, 'corrupt');
      } else {
        writeLegacyLockFile(root, JSON.stringify({ pid: await deadPid(), mission: 'm' }));
      }
      const attempts = await Promise.allSettled(
        Array.from({ length: 8 }, (_, index) =>
          acquireRunLock(root, { mission: 'm', runId: `racer-${index}` }),
        ),
      );
      const winners = attempts.filter((attempt) => attempt.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const attempt of attempts) {
        if (attempt.status === 'rejected') expect(attempt.reason).toBeInstanceOf(LockHeldError);
      }
      const winner = winners[0]?.status === 'fulfilled' ? winners[0].value : null;
      expect(lockNote(root).runId).toBe(winner?.holder.runId);
      expect(kittifyEntries(root)).toEqual(['orchestrator.lock']);
    }
  });

  it('reports an I/O failure as a LockError naming the path (.kittify is a file)', async () => {
    const root = tempRoot();
    writeFileSync(path.join(root, '.kittify'), 'a file');
    const error = await acquireRunLock(root, { mission: 'm', runId: 'r' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LockError);
    expect((error as LockError).code).toBe('LOCK_FAILED');
    expect((error as LockError).message).toContain('orchestrator.lock');
  });
});

describe('readLock', () => {
  it('reports missing, held by a live process, and corrupt', async () => {
    const root = tempRoot();
    expect(await readLock(root)).toEqual({ kind: 'missing' });
    const lock = await acquireRunLock(root, { mission: '001-demo', runId: 'run-1' });
    expect(await readLock(root)).toEqual({ kind: 'held', holder: lock.holder, alive: true, sameHost: true });
    await lock.release();
    expect(existsSync(lockPath(root))).toBe(false);
    writeNote(root, 'nope');
    expect(await readLock(root)).toEqual({ kind: 'corrupt', reason: 'the lock note is not JSON' });
  });
});
