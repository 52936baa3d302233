/**
 * `agents --check` against the REAL installed CLIs (the pinned versions in .cache/agents): the
 * built command finds each one, reads its version, and finds every flag we would pass in the
 * CLI's own help. A renamed or dropped flag in a pinned version fails here.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { AGENTS } from '../../src/agents/registry.js';
import { TESTED_VERSIONS } from '../../src/agents/tested-versions.js';
import { AGENT_IDS, type AgentId } from '../../src/agents/types.js';
import { assertCliBuilt, runCli } from '../cli-e2e/support/cli.js';
import { installedAgent } from './support/installed.js';

const INSTALLABLE = AGENT_IDS.filter((id) => TESTED_VERSIONS[id].npmPackage !== null);

interface CheckReport {
  id: AgentId;
  version: string | null;
  ok: boolean;
  fix: string | null;
  checks: { role: string; accepted: string[]; unknown: string[] }[];
}

describe('agents --check on the real CLIs', () => {
  it('finds every pinned CLI and every flag we pass in its help', async () => {
    assertCliBuilt();
    const agents = INSTALLABLE.map((id) => installedAgent(id));
    const env: Record<string, string> = {
      PATH: [...agents.map((agent) => agent.binDir), path.dirname(process.execPath), '/usr/bin', '/bin'].join(
        path.delimiter,
      ),
      HOME: process.env.HOME ?? '/tmp',
      CI: 'true',
    };
    // A project whose config sets a model and a turn cap for every agent that has the flags, so
    // those flags are checked too.
    const project = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-agents-check-')));
    mkdirSync(path.join(project, '.kittify'));
    const agentSettings = Object.fromEntries(
      INSTALLABLE.map((id) => [
        id,
        {
          ...(AGENTS[id].supportsModel ? { model: 'some-model' } : {}),
          ...(AGENTS[id].supportsMaxTurns ? { max_turns: 5 } : {}),
        },
      ]),
    );
    writeFileSync(
      path.join(project, '.kittify', 'orchestrator.yaml'),
      toYaml({ agent_settings: agentSettings }),
    );
    const result = await runCli(['agents', '--check', '--json'], { cwd: project, env });
    rmSync(project, { recursive: true, force: true });
    const report = JSON.parse(result.stdout) as { checks: CheckReport[] };
    const byId = new Map(report.checks.map((check) => [check.id, check]));
    for (const agent of agents) {
      const check = byId.get(agent.id);
      expect(check, `${agent.id} was not checked`).toBeDefined();
      expect({ id: agent.id, ok: check?.ok, fix: check?.fix }).toEqual({ id: agent.id, ok: true, fix: null });
      expect(check?.version ?? '', `${agent.id} version`).toContain(agent.version);
      // Each role passes some flag: an empty check would prove nothing.
      for (const role of check?.checks ?? [])
        expect(role.accepted.length, `${agent.id} ${role.role}`).toBeGreaterThan(0);
    }
    expect(result.exitCode).toBe(0);
  });
});
