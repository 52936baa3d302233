import { type ChildProcess, spawn } from 'node:child_process';
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
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPath } from '../../src/actors/persistence/paths.js';
import { compilePersistenceForChildren } from './support/compile-for-child.js';
import { deadPid } from './support/processes.js';

/** One contender: waits for the start file, tries the lock, reports, holds until the release file. */
const CONTENDER = `
import { existsSync } from 'node:fs';
import { acquireRunLock } from './lock.js';
const [repoRoot, startFile, releaseFile, runId] = process.argv.slice(2);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
console.log('ready');
while (!existsSync(startFile)) await sleep(1);
try {
  const lock = await acquireRunLock(repoRoot, { mission: 'race', runId });
  console.log(JSON.stringify({ won: true, pid: process.pid, runId }));
  while (!existsSync(releaseFile)) await sleep(5);
  await lock.release();
} catch (error) {
  console.log(JSON.stringify({ won: false, pid: process.pid, code: error.code, holderPid: error.holder?.pid }));
}
`;

interface Report {
  won: boolean;
  pid: number;
  runId?: string;
  code?: string;
  holderPid?: number;
}

describe('acquireRunLock across processes', () => {
  let compiled: ReturnType<typeof compilePersistenceForChildren>;
  const children: ChildProcess[] = [];
  beforeAll(() => {
    compiled = compilePersistenceForChildren();
    writeFileSync(path.join(compiled.dir, 'contender.mjs'), CONTENDER);
  });
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    compiled.cleanup();
  });

  async function race(root: string, contenders: number): Promise<Report[]> {
    const startFile = path.join(root, 'start');
    const releaseFile = path.join(root, 'release');
    const lines = (child: ChildProcess) => createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const started = Array.from({ length: contenders }, (_, index) => {
      const child = spawn(
        process.execPath,
        [path.join(compiled.dir, 'contender.mjs'), root, startFile, releaseFile, `racer-${index}`],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      children.push(child);
      return { child, lines: lines(child) };
    });
    for (const { lines: output } of started) expect((await output.next()).value).toBe('ready');
    writeFileSync(startFile, '');
    const reports = await Promise.all(
      started.map(async ({ lines: output }) => JSON.parse(String((await output.next()).value)) as Report),
    );
    const snapshotOfLock = readdirSync(lockPath(root)).map((note) =>
      JSON.parse(readFileSync(path.join(lockPath(root), note), 'utf8')),
    );
    writeFileSync(releaseFile, '');
    await Promise.all(
      started.map(({ child }) =>
        child.exitCode !== null ? undefined : new Promise((resolve) => child.once('exit', resolve)),
      ),
    );
    expect(snapshotOfLock).toHaveLength(1);
    expect(snapshotOfLock[0]).toMatchObject({ pid: reports.find((report) => report.won)?.pid });
    return reports;
  }

  it.each(['no lock', 'a dead holder', 'a corrupt note', 'a dead legacy lock file'])(
    'lets exactly one of 6 processes win over %s, and refuses the others naming the winner',
    async (start) => {
      const root = mkdtempSync(path.join(tmpdir(), 'sko-lock-race-'));
      try {
        mkdirSync(path.join(root, '.kittify'));
        if (start === 'a dead holder' || start === 'a corrupt note') {
          mkdirSync(lockPath(root));
          const note =
            start === 'a corrupt note'
              ? '{'
              : JSON.stringify({
                  pid: await deadPid(),
                  mission: 'old',
                  runId: 'old',
                  startedAt: 'then',
                  hostname: hostname(),
                });
          writeFileSync(path.join(lockPath(root), 'holder-old.json'), note);
        } else if (start === 'a dead legacy lock file') {
          writeFileSync(lockPath(root), JSON.stringify({ pid: await deadPid(), mission: 'old' }));
        }
        const reports = await race(root, 6);
        const winners = reports.filter((report) => report.won);
        expect(winners).toHaveLength(1);
        for (const loser of reports.filter((report) => !report.won)) {
          expect(loser).toMatchObject({ code: 'LOCK_HELD', holderPid: winners[0]?.pid });
        }
        expect(existsSync(lockPath(root))).toBe(false); // the winner released it
        expect(readdirSync(path.join(root, '.kittify'))).toEqual([]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
