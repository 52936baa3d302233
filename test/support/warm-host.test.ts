/**
 * The warm host's process contract, on a stand-in console script (fast, and able to sleep, raise
 * and print its import-time environment on demand): a forked call must look to its caller like a
 * cold start of the same script. The real host's agreement, warm against cold, is checked by the
 * live conformance file on the whole lifecycle.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/actors/process/process-group.js';
import { liveZygotes, stopWarmHosts, warmHostTally, writeWarmBin } from './warm-host.js';

const STAND_IN = path.join(import.meta.dirname, 'warm-host', 'stand-in-host.py');

let root = '';
let cold = '';
let warm = '';
let stateDir = '';

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'sko-warm-test-'));
  const venvBin = path.join(root, 'venv', 'bin');
  mkdirSync(venvBin, { recursive: true });
  const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  symlinkSync(python.stdout.trim(), path.join(venvBin, 'python'));
  cold = path.join(venvBin, 'stand-in');
  writeFileSync(cold, `#!${path.join(venvBin, 'python')}\n${readFileSync(STAND_IN, 'utf8')}`, {
    mode: 0o755,
  });
  stateDir = path.join(root, 'state');
  warm = writeWarmBin({ coldBin: cold, binDir: path.join(root, 'warm'), stateDir, idleSeconds: 30 });
});

afterAll(() => {
  stopWarmHosts(stateDir);
  rmSync(root, { recursive: true, force: true });
});

interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(
  bin: string,
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Ran {
  const result = spawnSync(bin, args, {
    cwd: root,
    encoding: 'utf8',
    input: options.input ?? '',
    env: { PATH: process.env.PATH ?? '', ...options.env },
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A traceback from the host's frames on: the outermost frame is the console script's own line
 * when cold and the zygote's call of main() when warm (the frames of the host are the same).
 */
const fromHostFrames = (text: string) => {
  const at = text.indexOf(', in main\n');
  return (at === -1 ? text : text.slice(text.lastIndexOf('File', at))).replaceAll(
    /File "[^"]+"/g,
    'File "…"',
  );
};

describe('the warm host answers as the cold script does', () => {
  const cases: [string, string[], string?][] = [
    ['prints and exits 0', ['print=hello', 'stderr=note']],
    ['exits with the code the script gives', ['print=before', 'exit=3']],
    ['an uncaught exception: traceback on stderr, exit 1', ['raise=boom']],
    ['reads the caller stdin', ['stdin'], 'lane text\n'],
    ['runs in the caller working directory', ['cwd']],
  ];
  for (const [name, args, input] of cases) {
    it(name, () => {
      const options = input === undefined ? {} : { input };
      const coldRun = run(cold, args, options);
      const warmRun = run(warm, args, options);
      expect(warmRun.status).toBe(coldRun.status);
      expect(warmRun.signal).toBe(coldRun.signal);
      expect(warmRun.stdout).toBe(coldRun.stdout);
      expect(fromHostFrames(warmRun.stderr)).toBe(fromHostFrames(coldRun.stderr));
    });
  }

  it('serves repeated calls of one environment from one zygote, forked per call', () => {
    const before = warmHostTally(stateDir);
    const first = run(warm, ['pid']);
    const second = run(warm, ['pid']);
    expect(first.status).toBe(0);
    expect(second.stdout).not.toBe(first.stdout);
    const after = warmHostTally(stateDir);
    expect(after.warmCalls - before.warmCalls).toBe(2);
    expect(after.zygotes).toBe(before.zygotes);
  });

  it("gives each environment its own zygote: the import-time state is the call's own", () => {
    // The stand-in reads STAND_IN_MARK while it imports, as a host reads its config.
    const a = run(warm, ['import-mark', 'env=STAND_IN_MARK'], { env: { STAND_IN_MARK: 'a' } });
    const b = run(warm, ['import-mark', 'env=STAND_IN_MARK'], { env: { STAND_IN_MARK: 'b' } });
    expect(a.stdout).toBe('a\na\n');
    expect(b.stdout).toBe('b\nb\n');
  });
});

/** Starts a warm call that sleeps; resolves with the host child's pid once it printed it. */
function sleepingCall(): Promise<{ child: ChildProcess; hostPid: number }> {
  const child = spawn(warm, ['pid', 'sleep=20'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve({ child, hostPid: Number(String(chunk).trim()) }));
    child.once('exit', () => reject(new Error('the call ended before it printed its pid')));
  });
}

function ended(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && isProcessAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !isProcessAlive(pid);
}

describe('signals reach the host child as they would reach a cold host', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: the call ends killed by ${signal}, and so does the host child`, async () => {
      const { child, hostPid } = await sleepingCall();
      child.kill(signal);
      const end = await ended(child);
      expect(end.signal).toBe(signal);
      expect(await gone(hostPid)).toBe(true);
    });
  }

  it('SIGKILL of the call takes its host child with it', async () => {
    const { child, hostPid } = await sleepingCall();
    child.kill('SIGKILL');
    expect((await ended(child)).signal).toBe('SIGKILL');
    expect(await gone(hostPid)).toBe(true);
  });
});

describe('when no zygote can serve', () => {
  it('the call runs the cold script itself', () => {
    const blocked = path.join(root, 'not-a-dir');
    writeFileSync(blocked, 'a file where the state directory should be');
    const fallback = writeWarmBin({
      coldBin: cold,
      binDir: path.join(root, 'warm-fallback'),
      stateDir: path.join(blocked, 'state'),
    });
    const before = warmHostTally(stateDir);
    const result = run(fallback, ['print=still answered', 'exit=4']);
    expect(result).toMatchObject({ status: 4, stdout: 'still answered\n' });
    expect(warmHostTally(stateDir)).toEqual(before);
  });

  it('an idle zygote retires, and the next call starts a new one', async () => {
    const idleState = path.join(root, 'idle-state');
    const shortLived = writeWarmBin({
      coldBin: cold,
      binDir: path.join(root, 'warm-idle'),
      stateDir: idleState,
      idleSeconds: 0.5,
    });
    expect(run(shortLived, ['print=one']).stdout).toBe('one\n');
    for (let i = 0; i < 100 && liveZygotes(idleState) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(liveZygotes(idleState)).toBe(0);
    expect(run(shortLived, ['print=two']).stdout).toBe('two\n');
    stopWarmHosts(idleState);
  });
});
