import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/actors/process/process-group.js';
import { type CapturedRunOptions, runCaptured } from '../../src/host/captured-process.js';
import { PROJECT_ROOT } from '../cli-e2e/support/cli.js';

let dir: string;
const script = (name: string) => path.join(dir, name);

/** A tiny executable; `body` is JavaScript run by this very Node binary. */
function writeNodeScript(name: string, body: string): void {
  writeFileSync(script(name), `#!${process.execPath}\n${body}\n`);
  chmodSync(script(name), 0o755);
}

const options = (extra: Partial<CapturedRunOptions> = {}): CapturedRunOptions => ({
  cwd: tmpdir(),
  env: process.env,
  timeoutMs: 30_000,
  maxOutputBytes: 1024 * 1024,
  forceKillAfterMs: 3_000,
  ...extra,
});

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sko-captured-'));
  // 'é' is C3 A9 in UTF-8: the two bytes arrive in two reads.
  writeNodeScript(
    'split-char',
    `process.stdout.write(Buffer.from([0xc3]));
    setTimeout(() => process.stdout.write(Buffer.from([0xa9, 0x0a])), 100);`,
  );
  writeNodeScript('deaf', `process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000);`);
  writeNodeScript('chatty', `process.stdout.write('x'.repeat(64 * 1024)); setInterval(() => {}, 1000);`);
  // Writes its pid to the file named by its argument, then waits to be stopped.
  writeNodeScript(
    'pid-then-wait',
    `require('node:fs').writeFileSync(process.argv[2], String(process.pid)); setInterval(() => {}, 1000);`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runCaptured', () => {
  it('decodes a character whose bytes arrive in separate reads', async () => {
    const run = await runCaptured(script('split-char'), [], options());
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('é\n');
  });

  it('a process that ignores SIGTERM is killed after the grace, and the run says it timed out', async () => {
    const run = await runCaptured(script('deaf'), [], options({ timeoutMs: 500, forceKillAfterMs: 300 }));
    expect(run).toMatchObject({ timedOut: true, canceled: false, exitCode: null, signal: 'SIGKILL' });
    expect(run.stdout).toBe('up\n');
    expect(run.durationMs).toBeGreaterThanOrEqual(700);
  });

  it('output beyond the cap stops the process and is reported, not kept', async () => {
    const run = await runCaptured(script('chatty'), [], options({ maxOutputBytes: 1024 }));
    expect(run).toMatchObject({ outputTooLarge: true, timedOut: false, signal: 'SIGTERM' });
    expect(run.stdout.length).toBeLessThanOrEqual(1024);
  });

  it('an abort stops the process and the run says it was canceled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const run = await runCaptured('sleep', ['30'], options({ signal: controller.signal }));
    expect(run).toMatchObject({ canceled: true, timedOut: false, signal: 'SIGTERM' });
  });

  it('a program that is not there is a start error, not an exception', async () => {
    const run = await runCaptured(script('missing'), [], options());
    expect(run.startError?.code).toBe('ENOENT');
    expect(run.exitCode).toBeNull();
  });

  it('when our process exits, an attached call is stopped and a detached one keeps running', async () => {
    const attachedPid = script('attached.pid');
    const detachedPid = script('detached.pid');
    // The built module (`npm test` builds first): a child Node cannot load our TypeScript.
    const module = path.join(PROJECT_ROOT, 'dist', 'host', 'captured-process.js');
    // A parent that starts both calls, waits until both run, then exits without waiting for them.
    writeFileSync(
      script('parent.mjs'),
      `import { runCaptured } from ${JSON.stringify(module)};
      import { existsSync } from 'node:fs';
      const base = { cwd: '/', env: process.env, timeoutMs: 60000, maxOutputBytes: 1024, forceKillAfterMs: 1000 };
      void runCaptured(${JSON.stringify(script('pid-then-wait'))}, [${JSON.stringify(attachedPid)}], base);
      void runCaptured(${JSON.stringify(script('pid-then-wait'))}, [${JSON.stringify(detachedPid)}], { ...base, detached: true });
      const ready = setInterval(() => {
        if (existsSync(${JSON.stringify(attachedPid)}) && existsSync(${JSON.stringify(detachedPid)})) {
          clearInterval(ready);
          process.exit(0);
        }
      }, 20);`,
    );
    execFileSync(process.execPath, [script('parent.mjs')], {
      timeout: 20_000,
    });
    expect(existsSync(attachedPid) && existsSync(detachedPid)).toBe(true);
    const attached = Number(readFileSync(attachedPid, 'utf8'));
    const detached = Number(readFileSync(detachedPid, 'utf8'));
    try {
      for (let waited = 0; waited < 5_000 && isProcessAlive(attached); waited += 50) await sleep(50);
      expect(isProcessAlive(attached)).toBe(false);
      expect(isProcessAlive(detached)).toBe(true);
    } finally {
      for (const pid of [attached, detached]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  });
});
