import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProcessAlive, killProcessGroup, runSupervised } from '../../src/actors/process/run-supervised.js';
import type { AgentInvocation } from '../../src/agents/types.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/processes');
const node = (script: string, ...args: string[]): AgentInvocation => ({
  file: process.execPath,
  args: [path.join(FIXTURES, script), ...args],
});

let dir: string;
const startedPids: number[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sko-proc-'));
});

afterEach(() => {
  // Belt and braces: a failing test must not leave processes behind.
  for (const pid of startedPids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Waits for a fixture's pid file (a readiness wait, not a timing assertion). */
async function readPidFile(file: string): Promise<{ parent: number; grandchild: number }> {
  for (let i = 0; i < 1_200 && !existsSync(file); i++) await sleep(25);
  const pids = JSON.parse(readFileSync(file, 'utf8')) as { parent: number; grandchild: number };
  startedPids.push(pids.parent, pids.grandchild);
  return pids;
}

describe('runSupervised: process groups', () => {
  it('on timeout, SIGTERMs the group and SIGKILLs a grandchild that ignores SIGTERM', async () => {
    const pidFile = path.join(dir, 'pids.json');
    const logPath = path.join(dir, 'timeout.log');
    const outcome = await runSupervised({
      invocation: node('process-tree.mjs', pidFile, 'wait'),
      cwd: dir,
      logPath,
      timeoutMs: 6_000,
      graceMs: 300,
    });
    const pids = await readPidFile(pidFile);
    expect(outcome.timedOut).toBe(true);
    expect(outcome.canceled).toBe(false);
    expect(outcome.exitCode).toBeNull();
    expect(outcome.signal).toBe('SIGTERM');
    expect(isProcessAlive(pids.parent)).toBe(false);
    expect(isProcessAlive(pids.grandchild)).toBe(false);
    expect(outcome.stdoutTail).toContain('grandchild: ignoring SIGTERM');
    expect(readFileSync(logPath, 'utf8')).toContain('timed out after 6000 ms');
  });

  it('on abort, kills the group the same way and reports canceled', async () => {
    const pidFile = path.join(dir, 'pids.json');
    const controller = new AbortController();
    let startedPid: number | undefined;
    const running = runSupervised({
      invocation: node('process-tree.mjs', pidFile, 'wait'),
      cwd: dir,
      logPath: path.join(dir, 'cancel.log'),
      timeoutMs: 120_000,
      graceMs: 300,
      signal: controller.signal,
      onStart: (pid) => {
        startedPid = pid;
      },
    });
    const pids = await readPidFile(pidFile);
    expect(startedPid).toBe(pids.parent);
    controller.abort();
    const outcome = await running;
    expect(outcome.canceled).toBe(true);
    expect(outcome.timedOut).toBe(false);
    expect(outcome.signal).toBe('SIGTERM');
    expect(isProcessAlive(pids.parent)).toBe(false);
    expect(isProcessAlive(pids.grandchild)).toBe(false);
  });

  it('after a normal exit, still terminates helpers left in the group before resolving', async () => {
    const pidFile = path.join(dir, 'pids.json');
    const logPath = path.join(dir, 'leftover.log');
    const outcome = await runSupervised({
      invocation: node('process-tree.mjs', pidFile, 'exit'),
      cwd: dir,
      logPath,
      timeoutMs: 120_000,
      graceMs: 300,
    });
    const pids = await readPidFile(pidFile);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.timedOut).toBe(false);
    expect(isProcessAlive(pids.parent)).toBe(false);
    expect(isProcessAlive(pids.grandchild)).toBe(false);
    expect(readFileSync(logPath, 'utf8')).toContain('left processes in group');
  });

  it('does not start anything when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await runSupervised({
      invocation: node('exit-with.mjs', '0'),
      cwd: dir,
      logPath: path.join(dir, 'pre-aborted.log'),
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    expect(outcome.canceled).toBe(true);
    expect(outcome.exitCode).toBeNull();
    expect(outcome.stdoutTail).toBe('');
  });

  it('killProcessGroup reaps an orphaned group by its recorded pid, and is a no-op once it is gone', async () => {
    // An agent left behind by an orchestrator that crashed: only its recorded pid is known.
    const pidFile = path.join(dir, 'pids.json');
    const orphan = spawn(process.execPath, [path.join(FIXTURES, 'process-tree.mjs'), pidFile, 'wait'], {
      detached: true,
      stdio: 'ignore',
    });
    orphan.unref();
    const pids = await readPidFile(pidFile);
    expect(pids.parent).toBe(orphan.pid);
    expect(isProcessAlive(pids.grandchild)).toBe(true);
    const result = await killProcessGroup(pids.parent, 300);
    expect(result).toEqual({ wasAlive: true, forced: true, gone: true });
    expect(isProcessAlive(pids.parent)).toBe(false);
    expect(isProcessAlive(pids.grandchild)).toBe(false);
    expect(await killProcessGroup(pids.parent, 300)).toEqual({ wasAlive: false, forced: false, gone: true });
  });

  it('stops the run and rethrows when onStart throws (a pid nobody recorded could not be reaped)', async () => {
    let pid = 0;
    const attempt = runSupervised({
      invocation: { file: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] },
      cwd: dir,
      logPath: path.join(dir, 'onstart.log'),
      timeoutMs: 120_000,
      graceMs: 300,
      onStart: (started) => {
        pid = started;
        throw new Error('state file not writable');
      },
    });
    await expect(attempt).rejects.toThrow('state file not writable');
    expect(pid).toBeGreaterThan(1);
    expect(isProcessAlive(pid)).toBe(false);
    expect(readFileSync(path.join(dir, 'onstart.log'), 'utf8')).toContain('onStart callback threw');
  });

  it('hands the process the extra env (the reaper finds an unrecorded agent by it)', async () => {
    const marker = path.join(dir, 'mark-seen');
    const outcome = await runSupervised({
      invocation: { file: 'sh', args: ['-c', `echo "$SKO_TEST_MARK" > '${marker}'`] },
      cwd: dir,
      logPath: path.join(dir, 'mark.log'),
      timeoutMs: 120_000,
      env: { SKO_TEST_MARK: 'marked' },
    });
    expect(outcome.exitCode).toBe(0);
    expect(readFileSync(marker, 'utf8').trim()).toBe('marked');
  });

  it('gives the process PWD = its own cwd, not the PWD it inherits from us', async () => {
    const decoy = path.join(dir, 'where-we-were-started');
    const workspace = path.join(dir, 'workspace');
    mkdirSync(decoy);
    mkdirSync(workspace);
    const seen = path.join(dir, 'pwd-seen');
    const savedPwd = process.env.PWD;
    process.env.PWD = decoy;
    try {
      const outcome = await runSupervised({
        invocation: {
          file: process.execPath,
          args: ['-e', `require('node:fs').writeFileSync(${JSON.stringify(seen)}, process.env.PWD ?? '')`],
        },
        cwd: workspace,
        logPath: path.join(dir, 'pwd.log'),
        timeoutMs: 120_000,
      });
      expect(outcome.exitCode).toBe(0);
    } finally {
      process.env.PWD = savedPwd;
    }
    expect(readFileSync(seen, 'utf8')).toBe(workspace);
  });

  it('refuses to signal dangerous group ids', async () => {
    await expect(killProcessGroup(1, 10)).rejects.toThrow(/refusing/);
    await expect(killProcessGroup(0, 10)).rejects.toThrow(/refusing/);
    await expect(killProcessGroup(process.pid, 10)).rejects.toThrow(/refusing/);
  });
});

describe('runSupervised: output, logs and exit status', () => {
  it('keeps memory bounded for 200 MB of output while the log gets every byte', async () => {
    const logPath = path.join(dir, 'flood.log');
    const tailBytes = 64 * 1024;
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 20);
    const outcome = await runSupervised({
      invocation: node('flood.mjs', '200'),
      cwd: dir,
      logPath,
      timeoutMs: 300_000,
      tailBytes,
    });
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    const growthMb = (rssPeak - rssBefore) / 1024 / 1024;
    console.info(`[measure] 200 MiB through runSupervised: peak RSS growth ${growthMb.toFixed(1)} MiB`);

    expect(outcome.exitCode).toBe(0);
    expect(Buffer.byteLength(outcome.stdoutTail)).toBeLessThanOrEqual(tailBytes);
    expect(Buffer.byteLength(outcome.stdoutTail)).toBe(tailBytes);
    expect(outcome.stdoutTail.endsWith('END-OF-OUTPUT')).toBe(true);
    expect(outcome.stderrTail).toBe('flood: done\n');
    expect(statSync(logPath).size).toBeGreaterThan(200 * 1024 * 1024);
    const head = readFileSync(logPath, 'utf8').slice(0, 2_000);
    expect(head).toContain('START-OF-OUTPUT');
    expect(growthMb).toBeLessThan(100);
  });

  it('gives 20 concurrent launches each their whole, distinct stdin prompt', async () => {
    const prompts = Array.from(
      { length: 20 },
      (_, index) => `prompt ${index}\n${`line ${index} of a long prompt with some text ✓\n`.repeat(5_000)}`,
    );
    const outcomes = await Promise.all(
      prompts.map((prompt, index) =>
        runSupervised({
          invocation: { ...node('stdin-sha256.mjs'), stdinPrompt: prompt },
          cwd: dir,
          logPath: path.join(dir, `stdin-${index}.log`),
          timeoutMs: 120_000,
        }),
      ),
    );
    outcomes.forEach((outcome, index) => {
      const prompt = prompts[index]!;
      expect(Buffer.byteLength(prompt)).toBeGreaterThan(200_000);
      expect(outcome.exitCode).toBe(0);
      expect(JSON.parse(outcome.stdoutTail)).toEqual({
        bytes: Buffer.byteLength(prompt),
        sha256: createHash('sha256').update(prompt).digest('hex'),
      });
    });
  });

  it('gives an empty stdin (/dev/null) when there is no stdin prompt', async () => {
    const outcome = await runSupervised({
      invocation: node('stdin-sha256.mjs'),
      cwd: dir,
      logPath: path.join(dir, 'no-stdin.log'),
      timeoutMs: 60_000,
    });
    expect(JSON.parse(outcome.stdoutTail)).toEqual({ bytes: 0, sha256: createHash('sha256').digest('hex') });
  });

  it('passes an argument prompt as one argv element, never through a shell', async () => {
    const prompt = `fix "it"; $(touch ${path.join(dir, 'pwned')}) && echo 'x' | cat\nsecond line`;
    const outcome = await runSupervised({
      invocation: { file: process.execPath, args: ['-e', 'process.stdout.write(process.argv[1])', prompt] },
      cwd: dir,
      logPath: path.join(dir, 'argv.log'),
      timeoutMs: 60_000,
    });
    expect(outcome.stdoutTail).toBe(prompt);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
  });

  it('writes a header, the output of each stream, and a footer; appends per attempt', async () => {
    const logPath = path.join(dir, 'nested', 'logs', 'WP01-implementation-1.log');
    const first = await runSupervised({
      invocation: node('exit-with.mjs', '3'),
      cwd: dir,
      logPath,
      timeoutMs: 60_000,
    });
    const second = await runSupervised({
      invocation: node('exit-with.mjs', '0'),
      cwd: dir,
      logPath,
      timeoutMs: 60_000,
    });
    expect(first).toMatchObject({ exitCode: 3, signal: null, timedOut: false, canceled: false, logPath });
    expect(first.stdoutTail).toBe('out: ending with 3\n');
    expect(first.stderrTail).toBe('err: ending with 3\n');
    expect(second.exitCode).toBe(0);
    const log = readFileSync(logPath, 'utf8');
    expect(log.match(/agent run started/g)).toHaveLength(2);
    expect(log).toContain(`command: ${process.execPath} ${path.join(FIXTURES, 'exit-with.mjs')} 3`);
    expect(log).toContain(`cwd: ${dir}`);
    expect(log).toContain('stdin: none (/dev/null)');
    expect(log).toContain('out: ending with 3\n');
    expect(log).toContain('err: ending with 3\n');
    expect(log).toContain('ended: exit code 3, signal null');
    expect(log.indexOf('ending with 3')).toBeLessThan(log.indexOf('ending with 0'));
  });

  it('reports a process killed by a signal', async () => {
    const outcome = await runSupervised({
      invocation: node('exit-with.mjs', 'SIGTERM'),
      cwd: dir,
      logPath: path.join(dir, 'signal.log'),
      timeoutMs: 60_000,
    });
    expect(outcome).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: false, canceled: false });
  });

  it('resolves a missing binary as a spawn failure that says how to fix it', async () => {
    const logPath = path.join(dir, 'enoent.log');
    const outcome = await runSupervised({
      invocation: { file: 'sko-no-such-agent-binary', args: ['--help'], stdinPrompt: 'hello' },
      cwd: dir,
      logPath,
      timeoutMs: 60_000,
    });
    expect(outcome.exitCode).toBeNull();
    expect(outcome.signal).toBeNull();
    expect(outcome.spawnFailure).toMatchObject({ reason: 'binary_not_found', code: 'ENOENT' });
    expect(outcome.stderrTail).toContain('sko-no-such-agent-binary');
    expect(outcome.stderrTail).toContain('PATH');
    expect(readFileSync(logPath, 'utf8')).toContain(
      'not started: Could not start "sko-no-such-agent-binary"',
    );
  });

  it('resolves a missing working directory as a spawn failure', async () => {
    const outcome = await runSupervised({
      invocation: node('exit-with.mjs', '0'),
      cwd: path.join(dir, 'does-not-exist'),
      logPath: path.join(dir, 'nocwd.log'),
      timeoutMs: 60_000,
    });
    expect(outcome.spawnFailure?.reason).toBe('cwd_missing');
    expect(outcome.stderrTail).toContain('does-not-exist');
  });
});
