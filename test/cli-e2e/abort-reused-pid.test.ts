/**
 * `abort` judges the lock's holder by its pid AND the start time of that process: a stale lock
 * whose pid now belongs to an unrelated process (a container restarted, pids wrapped around) is
 * not a running orchestrator, and that process must never get our SIGTERM.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBootId } from '../../src/actors/persistence/lock.js';
import { processStartTime } from '../../src/actors/persistence/process-start.js';
import { liveProcess } from '../persistence/support/processes.js';
import { createTempRepo, type TempRepo } from '../support/temp-repo.js';
import { expectExit } from './support/assertions.js';
import { assertCliBuilt, describeRun, runCli } from './support/cli.js';

let repo: TempRepo;
beforeAll(() => {
  assertCliBuilt();
  repo = createTempRepo('sko-abort-reused-');
});
afterAll(() => repo?.cleanup());

/** The lock a killed orchestrator left, naming `pid` as started at `processStart`. */
function writeStaleLock(pid: number, processStart: string | undefined): void {
  const lock = path.join(repo.root, '.kittify', 'orchestrator.lock');
  rmSync(lock, { recursive: true, force: true });
  mkdirSync(lock, { recursive: true });
  writeFileSync(
    path.join(lock, 'holder-stale.json'),
    JSON.stringify({
      pid,
      mission: '001-demo',
      runId: 'killed-run',
      startedAt: '2026-01-01T00:00:00Z',
      hostname: hostname(),
      bootId: readBootId(),
      processStart,
    }),
  );
}

describe('abort with a lock whose pid was reused', () => {
  it('does not signal the unrelated process now holding that pid', async () => {
    const unrelated = await liveProcess();
    try {
      const realStart = processStartTime(unrelated.pid);
      expect(realStart).toBeDefined();
      writeStaleLock(unrelated.pid, `${realStart}-not-this-one`);
      const env = { PATH: process.env.PATH ?? '', HOME: repo.root };
      const result = await runCli(['abort'], { cwd: repo.root, env });
      expectExit(result, 0);
      expect(result.stderr, describeRun(result)).not.toContain('stopping the orchestrator');
      expect(result.stderr, describeRun(result)).toContain('no orchestrator is running');
      // Still alive: signal 0 succeeds.
      expect(() => process.kill(unrelated.pid, 0)).not.toThrow();

      // Nor does orchestrate take it for a running orchestrator (it goes on, to fail later on
      // the missing host); with the true start time, the same lock is one: refused, exit 5.
      const reused = await runCli(['orchestrate', '--mission', '001-demo'], { cwd: repo.root, env });
      expect(reused.exitCode, describeRun(reused)).not.toBe(5);
      expect(reused.stderr, describeRun(reused)).not.toContain('another orchestrator');
      writeStaleLock(unrelated.pid, realStart);
      const held = await runCli(['orchestrate', '--mission', '001-demo'], { cwd: repo.root, env });
      expectExit(held, 5);
      expect(held.stderr, describeRun(held)).toContain(`another orchestrator (pid ${unrelated.pid})`);
    } finally {
      await unrelated.stop();
    }
  });
});
