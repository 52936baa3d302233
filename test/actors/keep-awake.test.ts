import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { keepAwake } from '../../src/actors/process/keep-awake.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A stand-in `systemd-inhibit` that records its argv and runs the command after its options (or fails like a machine without logind). */
function fakeInhibit(mode: 'works' | 'no-bus'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sko-inhibit-'));
  dirs.push(dir);
  const script = [
    '#!/bin/sh',
    `printf '%s\\n' "$@" > "${dir}/argv"`,
    mode === 'no-bus'
      ? 'echo "Failed to connect to bus" >&2; exit 1'
      : 'while case "$1" in --*) true ;; *) false ;; esac; do shift; done; exec "$@"',
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'systemd-inhibit'), script);
  chmodSync(path.join(dir, 'systemd-inhibit'), 0o755);
  return dir;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('keepAwake', () => {
  it('holds a systemd-inhibit block tied to our pid, and lets it go on release', async () => {
    const dir = fakeInhibit('works');
    const held = await keepAwake({
      why: 'orchestrating mission 001',
      platform: 'linux',
      pathDirs: [dir, '/usr/bin', '/bin'],
    });
    expect(held.tool).toBe('systemd-inhibit');
    const argv = readFileSync(path.join(dir, 'argv'), 'utf8').split('\n');
    expect(argv).toContain('--what=idle:sleep');
    expect(argv).toContain('--why=orchestrating mission 001');
    expect(argv).toContain(`--pid=${process.pid}`);
    held.release();
  });

  it('says nothing is held where systemd-inhibit cannot reach logind (containers, CI)', async () => {
    const dir = fakeInhibit('no-bus');
    const held = await keepAwake({ why: 'x', platform: 'linux', pathDirs: [dir, '/usr/bin', '/bin'] });
    expect(held.tool).toBeNull();
  });

  it('holds nothing where no tool exists, and on an unknown platform', async () => {
    expect((await keepAwake({ why: 'x', platform: 'linux', pathDirs: [] })).tool).toBeNull();
    expect((await keepAwake({ why: 'x', platform: 'win32' })).tool).toBeNull();
  });

  it('ends the helper with the process it watches, even without a release (a SIGKILL of the orchestrator)', async () => {
    const dir = fakeInhibit('works');
    const { spawn } = await import('node:child_process');
    const watched = spawn('sleep', ['30'], { stdio: 'ignore' });
    const held = await keepAwake({
      why: 'x',
      platform: 'linux',
      pid: watched.pid ?? 0,
      pathDirs: [dir, '/usr/bin', '/bin'],
    });
    expect(held.tool).toBe('systemd-inhibit');
    const { execFileSync } = await import('node:child_process');
    const helpers = () =>
      execFileSync('pgrep', ['-f', '--', `--pid=${watched.pid}`], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter(Boolean);
    expect(helpers().length).toBeGreaterThan(0);
    watched.kill('SIGKILL');
    for (let i = 0; i < 50; i++) {
      await sleep(100);
      try {
        helpers();
      } catch {
        break; // pgrep exits 1 when nothing matches
      }
    }
    expect(() => helpers()).toThrow();
    expect(alive(watched.pid ?? 0)).toBe(false);
  });
});
