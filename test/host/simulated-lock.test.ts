/**
 * The simulated host's per-mission lock across processes: concurrent read-modify-write cycles
 * from several host processes never lose an update, and a lock left by a dead process is broken.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withMissionLock } from '../../src/host/simulated/mission-lock.js';

const run = promisify(execFile);
const dist = path.resolve(import.meta.dirname, '../../dist/host/simulated/mission-lock.js');
let dir: string;

beforeAll(() => {
  if (!existsSync(dist)) throw new Error('dist/ is missing: run `npm run build` first');
  dir = mkdtempSync(path.join(tmpdir(), 'sko-simlock-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const worker = `
import { withMissionLock } from ${JSON.stringify(dist)};
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const [lock, counter, n] = process.argv.slice(2);
for (let i = 0; i < Number(n); i++) {
  await withMissionLock(lock, async () => {
    const value = existsSync(counter) ? Number(readFileSync(counter, 'utf8')) : 0;
    await new Promise((resolve) => setTimeout(resolve, 1));
    writeFileSync(counter, String(value + 1));
  });
}
`;

describe('simulated host mission lock', () => {
  it('serializes read-modify-write cycles of 6 processes: no update is lost', async () => {
    const script = path.join(dir, 'worker.mjs');
    writeFileSync(script, worker);
    const lock = path.join(dir, 'm.lock');
    const counter = path.join(dir, 'counter');
    await Promise.all(Array.from({ length: 6 }, () => run(process.execPath, [script, lock, counter, '30'])));
    expect(Number(readFileSync(counter, 'utf8'))).toBe(180);
    expect(existsSync(lock)).toBe(false);
  });

  it('breaks a lock whose holder is dead', async () => {
    const { stdout } = await run(process.execPath, ['-e', 'console.log(process.pid)']);
    const deadPid = Number(stdout.trim());
    const lock = path.join(dir, 'stale.lock');
    mkdirSync(lock);
    writeFileSync(path.join(lock, `holder-${deadPid}-abcdef`), '{}');
    const result = await withMissionLock(lock, async () => 'acquired');
    expect(result).toBe('acquired');
    expect(existsSync(lock)).toBe(false);
  });
});
