/**
 * The sandbox's pure parts: the bubblewrap mounts (read-only root, the writable places after it,
 * no namespace that would hide the agent from our signals), which relayed subtask marks are
 * carried out, the relay script itself (run by a real sh), and the choice between auto, required
 * and off with what each says.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxProbe } from '../../src/actors/sandbox/detect-sandbox.js';
import { resolveStatePlace } from '../../src/agents/sandbox/agent-state-paths.js';
import { bwrapMounts, confineInvocation } from '../../src/agents/sandbox/bwrap-argv.js';
import { relayedMarks, relayScript } from '../../src/agents/sandbox/mark-status-relay.js';
import type { CliError } from '../../src/cli/cli-error.js';
import { chooseSandbox } from '../../src/cli/runtime/sandbox-choice.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const confinement = {
  bwrap: '/usr/bin/bwrap',
  worktree: '/repo/.worktrees/m-lane-a',
  worktreeWritable: true,
  privateTmp: '/tmp/sko-sandbox-x/tmp',
  writable: ['/home/u/.claude', '/tmp/sko-sandbox-x/relay'],
};

describe('bwrapMounts', () => {
  it('mounts everything read-only first, then binds only the writable places, and works in the worktree', () => {
    const args = bwrapMounts(confinement);
    // Capabilities dropped first: as root, CAP_SYS_ADMIN could remount the read-only root.
    expect(args.slice(0, 6)).toEqual(['--cap-drop', 'ALL', '--ro-bind', '/', '/', '--dev']);
    const binds = args.flatMap((arg, index) => (arg === '--bind' ? [args[index + 1]] : []));
    expect(binds).toEqual([
      '/home/u/.claude',
      '/tmp/sko-sandbox-x/relay',
      '/tmp/sko-sandbox-x/tmp',
      '/repo/.worktrees/m-lane-a',
    ]);
    // The read-only root comes before every writable bind (bubblewrap applies them in order).
    expect(args.indexOf('--ro-bind')).toBeLessThan(args.indexOf('--bind'));
    expect(args.slice(-2)).toEqual(['--chdir', '/repo/.worktrees/m-lane-a']);
    // Our process-group signals and the reaper's /proc scan must still reach the agent.
    for (const hiding of [
      '--unshare-pid',
      '--new-session',
      '--unshare-all',
      '--unshare-net',
      '--die-with-parent',
    ]) {
      expect(args).not.toContain(hiding);
    }
  });

  it("a reviewer's worktree is bound read-only, after every writable place", () => {
    const args = bwrapMounts({ ...confinement, worktreeWritable: false });
    const at = args.lastIndexOf('--ro-bind');
    expect(args.slice(at, at + 3)).toEqual([
      '--ro-bind',
      '/repo/.worktrees/m-lane-a',
      '/repo/.worktrees/m-lane-a',
    ]);
    expect(at).toBeGreaterThan(args.lastIndexOf('--bind'));
    expect(args.filter((arg) => arg === '--bind')).toHaveLength(3);
  });

  it('wraps the invocation: bwrap runs the agent with its own args, stdin and env, plus TMPDIR', () => {
    const wrapped = confineInvocation(
      { file: '/bin/claude', args: ['-p', '--x'], stdinPrompt: 'hi', env: { A: '1' } },
      confinement,
    );
    expect(wrapped.file).toBe('/usr/bin/bwrap');
    expect(wrapped.args.slice(wrapped.args.indexOf('--'))).toEqual(['--', '/bin/claude', '-p', '--x']);
    expect(wrapped.stdinPrompt).toBe('hi');
    expect(wrapped.env).toEqual({ A: '1', TMPDIR: '/tmp/sko-sandbox-x/tmp' });
  });
});

describe('relayedMarks', () => {
  const allowed = { mission: '001-m', subtaskIds: ['T001', 'T002'] };
  const line = (...words: string[]) => `${words.map((word) => `${word}\u001f`).join('')}\n`;

  it("carries out this WP's subtasks of this mission, each once", () => {
    const outbox =
      line(
        'agent',
        'tasks',
        'mark-status',
        'T001',
        'T002',
        '--status',
        'done',
        '--mission',
        '001-m',
        '--json',
      ) + line('agent', 'tasks', 'mark-status', 'T002', '--status=done');
    expect(relayedMarks(outbox, allowed)).toEqual({ ids: ['T001', 'T002'], refused: [] });
  });

  it('refuses other statuses, other missions and other WPs’ subtasks, saying why', () => {
    const outbox =
      line('agent', 'tasks', 'mark-status', 'T001', '--status', 'pending', '--mission', '001-m') +
      line('agent', 'tasks', 'mark-status', 'T001', '--status', 'done', '--mission', '002-other') +
      line('agent', 'tasks', 'mark-status', 'T009', 'T001', '--status', 'done');
    const result = relayedMarks(outbox, allowed);
    expect(result.ids).toEqual(['T001']);
    expect(result.refused).toHaveLength(3);
    expect(result.refused[0]).toContain('only --status done');
    expect(result.refused[1]).toContain("not this WP's mission");
    expect(result.refused[2]).toBe('T009: not a subtask of this WP');
  });

  it('the relay script records what an agent runs and refuses every other host command', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sko-relay-'));
    folders.push(dir);
    const outbox = path.join(dir, "out'box");
    const relay = path.join(dir, 'spec-kitty');
    writeFileSync(relay, relayScript(outbox));
    chmodSync(relay, 0o755);
    const answer = execFileSync(relay, ['agent', 'tasks', 'mark-status', 'T001', 'T 2', '--status', 'done'], {
      encoding: 'utf8',
    });
    expect(JSON.parse(answer)).toMatchObject({ relayed: true });
    expect(
      relayedMarks(readFileSync(outbox, 'utf8'), { mission: 'm', subtaskIds: ['T001', 'T 2'] }).ids,
    ).toEqual(['T001', 'T 2']);
    expect(() => execFileSync(relay, ['orchestrator-api', 'transition'], { stdio: 'pipe' })).toThrow(
      /only 'spec-kitty agent tasks mark-status' is available/,
    );
  });
});

describe('chooseSandbox', () => {
  const found: SandboxProbe = { available: true, bwrap: '/usr/bin/bwrap', version: '0.8.0', startMs: 12.4 };
  const missing: SandboxProbe = { available: false, reason: 'bubblewrap (bwrap) is not installed' };
  const config = (sandbox: 'auto' | 'required' | 'off') => ({
    sandbox,
    sandboxWritable: ['~/.cache/pip', '/srv'],
  });

  it('auto with bubblewrap confines, with the configured extra places ($HOME expanded)', async () => {
    const choice = await chooseSandbox(config('auto'), async () => found);
    expect(choice.settings?.bwrap).toBe('/usr/bin/bwrap');
    expect(choice.settings?.extraWritable[0]).toMatch(/\/\.cache\/pip$/);
    expect(choice.settings?.extraWritable[0]?.startsWith('~')).toBe(false);
    expect(choice.settings?.extraWritable[1]).toBe('/srv');
    expect(choice.summary).toContain('confined by bubblewrap 0.8.0');
    expect(choice.warn).toBe(false);
  });

  it('auto without it runs unconfined and warns with the fix', async () => {
    const choice = await chooseSandbox(config('auto'), async () => missing);
    expect(choice.settings).toBeUndefined();
    expect(choice.warn).toBe(true);
    expect(choice.summary).toContain('apt-get install bubblewrap');
  });

  it('required without it is an environment error (exit 4); off never probes', async () => {
    await expect(chooseSandbox(config('required'), async () => missing)).rejects.toMatchObject({
      exitCode: 4,
    } satisfies Partial<CliError>);
    const off = await chooseSandbox(config('off'), async () => {
      throw new Error('probed');
    });
    expect(off.settings).toBeUndefined();
    expect(off.warn).toBe(false);
  });
});

describe('resolveStatePlace', () => {
  it('puts a home place under $HOME and an XDG place under its XDG_*_HOME, else the XDG default', () => {
    expect(resolveStatePlace('.claude', '/home/u', {})).toBe('/home/u/.claude');
    expect(resolveStatePlace({ xdg: 'data', name: 'kilo' }, '/home/u', {})).toBe('/home/u/.local/share/kilo');
    expect(
      resolveStatePlace({ xdg: 'cache', name: 'kilo' }, '/home/u', { XDG_CACHE_HOME: '/var/cache/u' }),
    ).toBe('/var/cache/u/kilo');
    // A relative XDG_*_HOME is invalid by the spec and ignored.
    expect(resolveStatePlace({ xdg: 'state', name: 'x' }, '/home/u', { XDG_STATE_HOME: 'rel' })).toBe(
      '/home/u/.local/state/x',
    );
  });
});
