/**
 * The durable record of agent process groups: written on every start, read after a crash, and
 * every group still alive reaped before a new session runs anything. Real processes: a detached
 * `sleep` stands for an agent whose orchestrator was SIGKILLed.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentMarkEnv } from '../../src/actors/process/agent-mark.js';
import {
  agentRegistryPath,
  createAgentRegistry,
  processStartTime,
  readRecordedAgents,
  reapRecordedAgents,
} from '../../src/actors/process/agent-registry.js';
import { isProcessGroupAlive } from '../../src/actors/process/process-group.js';

const roots: string[] = [];
const groups: number[] = [];

function tempRoot(): string {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-registry-')));
  roots.push(root);
  return root;
}

/** A process group that runs until killed (its own group, like an agent). */
function startGroup(env: Record<string, string> = {}): number {
  const child = spawn('sh', ['-c', 'sleep 300 & sleep 300; wait'], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, ...env },
  });
  child.unref();
  if (child.pid === undefined) throw new Error('could not start sh');
  groups.push(child.pid);
  return child.pid;
}

afterEach(() => {
  for (const pgid of groups.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('agent registry', () => {
  it('records each start durably and reaps the groups still alive (helpers included)', async () => {
    const root = tempRoot();
    const registry = createAgentRegistry(root);
    const first = startGroup();
    const second = startGroup();
    registry.record({ wpId: 'WP01', role: 'implementation', agent: 'claude-code', pid: first });
    registry.record({ wpId: 'WP02', role: 'review', agent: 'codex', pid: second });
    const recorded = readRecordedAgents(agentRegistryPath(root)).agents;
    expect(recorded.map((entry) => [entry.wpId, entry.pid])).toEqual([
      ['WP01', first],
      ['WP02', second],
    ]);
    expect(recorded[0]?.startTime).toBe(processStartTime(first));

    const report = await reapRecordedAgents(root, 200);
    expect(report.reaped.map((entry) => entry.pid).sort()).toEqual([first, second].sort());
    expect(isProcessGroupAlive(first)).toBe(false);
    expect(isProcessGroupAlive(second)).toBe(false);
    expect(readRecordedAgents(agentRegistryPath(root)).agents).toEqual([]);
  });

  it('never signals a pid that now belongs to another process (start time differs)', async () => {
    const root = tempRoot();
    const stranger = startGroup();
    const file = agentRegistryPath(root);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({
        agents: [
          {
            pid: stranger,
            startTime: '1',
            wpId: 'WP01',
            role: 'implementation',
            agent: 'claude-code',
            startedAt: new Date().toISOString(),
          },
        ],
      }),
    );
    const report = await reapRecordedAgents(root, 200);
    expect(report.reaped).toEqual([]);
    expect(report.gone).toBe(1);
    expect(isProcessGroupAlive(stranger)).toBe(true);
  });

  it('reaps a group whose record a killed writer left in its temp file (killed before the rename)', async () => {
    const root = tempRoot();
    const file = agentRegistryPath(root);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ agents: [] }));
    const orphan = startGroup();
    const entry = {
      pid: orphan,
      startTime: processStartTime(orphan),
      wpId: 'WP01',
      role: 'implementation',
      agent: 'claude-code',
      startedAt: new Date().toISOString(),
    };
    const temp = `${file}.999999999.tmp`;
    writeFileSync(temp, JSON.stringify({ agents: [entry] }));

    const report = await reapRecordedAgents(root, 200);
    expect(report.reaped.map((reaped) => reaped.pid)).toEqual([orphan]);
    expect(isProcessGroupAlive(orphan)).toBe(false);
    expect(existsSync(temp)).toBe(false);
  });

  it('drops ended groups when recording, and replaces an unreadable record (reported)', async () => {
    const root = tempRoot();
    const registry = createAgentRegistry(root);
    registry.record({ wpId: 'WP01', role: 'implementation', agent: 'claude-code', pid: 999_999_999 });
    const live = startGroup();
    registry.record({ wpId: 'WP02', role: 'implementation', agent: 'claude-code', pid: live });
    expect(readRecordedAgents(agentRegistryPath(root)).agents.map((entry) => entry.pid)).toEqual([live]);

    writeFileSync(agentRegistryPath(root), '{ not json');
    const report = await reapRecordedAgents(root, 200);
    expect(report.unreadable).toMatch(/not JSON/);
    expect(JSON.parse(readFileSync(agentRegistryPath(root), 'utf8'))).toEqual({ agents: [] });
  });

  it('reaps an agent whose start never reached the record, by the mark in its environment', async () => {
    const root = tempRoot();
    const other = tempRoot();
    const unrecorded = startGroup(agentMarkEnv(root, { wpId: 'WP03', role: 'review', agent: 'codex' }));
    const othersAgent = startGroup(
      agentMarkEnv(other, { wpId: 'WP01', role: 'implementation', agent: 'codex' }),
    );
    const report = await reapRecordedAgents(root, 200);
    expect(report.reaped.map((entry) => [entry.pid, entry.wpId, entry.role, entry.agent])).toEqual([
      [unrecorded, 'WP03', 'review', 'codex'],
    ]);
    expect(isProcessGroupAlive(unrecorded)).toBe(false);
    // Another repository's agent is that repository's orchestrator's business.
    expect(isProcessGroupAlive(othersAgent)).toBe(true);
  });
});
