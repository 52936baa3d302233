/**
 * A run-state write that fails mid-run (disk full, a file system gone read-only...) keeps the
 * previous file as it was, is reported once, and once writes work again that is reported too;
 * the run itself goes on to its end and its final state is saved. In-process session on the
 * simulated host with fake agent processes; the failures come through the writer's fs seam.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type AtomicFs,
  nodeAtomicFs,
  parseRunState,
  runStatePath,
} from '../../src/actors/persistence/index.js';
import { defaultConfig } from '../../src/cli/config/index.js';
import { logger } from '../../src/cli/logger.js';
import { runSession } from '../../src/cli/runtime/run-session.js';
import { buildPolicy } from '../../src/host/policy.js';
import { createFakeAgentHarness } from '../e2e/support/fake-agents.js';
import { assertSimulatedHostBuilt, createHostTarget } from '../e2e/support/hosts.js';
import { createTempRepo, git } from '../support/temp-repo.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('run-state writes that fail during a session', () => {
  it('keep the previous file, are reported once, recovery too, and the run ends saved', async () => {
    assertSimulatedHostBuilt();
    const repo = createTempRepo('sko-state-write-');
    cleanups.push(repo.cleanup);
    git(repo.root, 'checkout', '-q', '-b', 'e2e/orchestrator');
    const target = createHostTarget('simulated');
    const mission = {
      slug: '001-state-write',
      title: 'State writes',
      workPackages: [
        { id: 'WP01', title: 'One', subtasks: ['T001'], prompt: '# WP01\n' },
        { id: 'WP02', title: 'Two', dependencies: ['WP01'], subtasks: ['T002'], prompt: '# WP02\n' },
        { id: 'WP03', title: 'Three', dependencies: ['WP02'], subtasks: ['T003'], prompt: '# WP03\n' },
      ],
    };
    await target.createMission(repo.root, mission);
    const agentDir = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-state-write-agents-')));
    cleanups.push(() => rmSync(agentDir, { recursive: true, force: true }));
    const agents = createFakeAgentHarness({
      dir: agentDir,
      scenario: {},
      hostBin: target.agentHostBin,
      hostEnv: target.hostEnv,
    });

    // Renames 2 and 3 fail: the file on disk must then still be the last good one. (The writer
    // coalesces a fast simulated run into a few writes per WP: 5 to 7 for two WPs, measured.)
    const file = runStatePath(repo.root);
    let renames = 0;
    let lastGood: string | null = null;
    const problems: string[] = [];
    const stateFs: AtomicFs = {
      ...nodeAtomicFs,
      async rename(from, to) {
        renames += 1;
        if (renames >= 2 && renames <= 3) {
          const onDisk = readFileSync(file, 'utf8');
          if (onDisk !== lastGood) problems.push(`rename ${renames}: the file changed before the failure`);
          if (parseRunState(file, onDisk).kind !== 'ok') problems.push(`rename ${renames}: unparseable`);
          throw Object.assign(new Error('ENOSPC: no space left on device (injected)'), { code: 'ENOSPC' });
        }
        await nodeAtomicFs.rename(from, to);
        lastGood = readFileSync(file, 'utf8');
      },
    };
    const warn = vi.spyOn(logger, 'warn');
    const info = vi.spyOn(logger, 'info');

    const config = { ...defaultConfig(), pollIntervalSeconds: 600, retryBackoffSeconds: 0.05 };
    const result = await runSession({
      repoRoot: repo.root,
      mission: mission.slug,
      actor: 'spec-kitty-orchestrator',
      runId: 'state-write-run',
      policy: buildPolicy({ orchestrator_version: '0.1.0' }),
      config: {
        ...config,
        agents: { ...config.agents, implementation: ['claude-code'], review: ['claude-code'] },
      },
      host: target.client(repo.root, () => {}),
      launchers: agents.launchers,
      startedAt: new Date().toISOString(),
      graceMs: 500,
      stateFs,
    });

    expect(result.status).toBe('completed');
    expect(problems).toEqual([]);
    expect(renames).toBeGreaterThan(4);
    const failures = warn.mock.calls.filter(([message]) =>
      String(message).includes('could not save the run state'),
    );
    expect(failures).toHaveLength(1);
    expect(String(failures[0]?.[0])).toContain('the last saved state is kept');
    expect(String(failures[0]?.[0])).toContain('ENOSPC');
    expect(
      info.mock.calls.some(([message]) =>
        /run state is saved again \(2 write\(s\) had failed\)/.test(String(message)),
      ),
    ).toBe(true);
    const saved = parseRunState(file, readFileSync(file, 'utf8'));
    expect(saved.kind === 'ok' && saved.state.status).toBe('completed');
  });
});
