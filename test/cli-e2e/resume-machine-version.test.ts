/**
 * `resume` and the machine version a saved run carries: a run saved by a build with the same
 * machine structure resumes, also when that build recorded the older full-JSON version; a run
 * saved by different machines is refused in one line with what to do, and its state file is
 * left exactly as it was (it still names the WPs that are ours). The built CLI, simulated host.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyFullVersion } from '../../src/cli/runtime/machine-version.js';
import { missionMachine, wpMachine } from '../../src/machines/index.js';
import { expectCleanFailure, expectExit } from './support/assertions.js';
import { assertCliBuilt, describeRun, killStrayClis, runCli, startCli } from './support/cli.js';
import {
  fakeInvocations,
  hostMissionState,
  lanesOf,
  readRunStateJson,
  runStateFile,
  waitFor,
} from './support/inspect.js';
import { type CliProject, createCliProject, workPackage } from './support/project.js';

const projects: CliProject[] = [];
beforeAll(assertCliBuilt);
afterAll(async () => {
  await killStrayClis();
  for (const project of projects) project.cleanup();
});

/** A run killed while WP01's implementation agent hangs: its saved state says `running`. */
async function killedRun(): Promise<CliProject> {
  const p = await createCliProject({
    host: 'simulated',
    mission: {
      slug: '001-machine-version',
      title: 'Machine version',
      workPackages: [workPackage('WP01', 'Core', 'T001')],
    },
    scenario: { WP01: { implementation: { action: 'hang' } } },
  });
  projects.push(p);
  const run = startCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: p.env });
  const stillRunning = () => run.child.exitCode === null && run.child.signalCode === null;
  await waitFor(() => fakeInvocations(p).some((call) => call.action === 'hang'), {
    what: 'the agent hangs',
    stillRunning,
  });
  await waitFor(() => readRunStateJson(p.root)?.status === 'running', {
    what: 'the run state saved',
    stillRunning,
  });
  run.signal('SIGKILL');
  await run.done;
  p.writeScenario({});
  return p;
}

function setMachineVersion(p: CliProject, version: string): string {
  const saved = JSON.parse(readFileSync(runStateFile(p.root), 'utf8')) as Record<string, unknown>;
  writeFileSync(runStateFile(p.root), `${JSON.stringify({ ...saved, machineVersion: version }, null, 1)}\n`);
  return readFileSync(runStateFile(p.root), 'utf8');
}

describe('resume and the saved machine version', () => {
  it('refuses different machines in one line, keeping the state file, then resumes the same machines saved under the old full-JSON version', async () => {
    const p = await killedRun();

    const before = setMachineVersion(p, '0123456789abcdef');
    const refused = await runCli(['resume'], { cwd: p.root, env: p.env });
    expectCleanFailure(refused, 2, ['different orchestrator machines', '--fresh']);
    expect(readFileSync(runStateFile(p.root), 'utf8')).toBe(before);

    // What a build before the structural version wrote for these very machines.
    setMachineVersion(p, legacyFullVersion([missionMachine, wpMachine]));
    const resumed = await runCli(['resume'], { cwd: p.root, env: p.env });
    expectExit(resumed, 0);
    expect(lanesOf(await hostMissionState(p)), describeRun(resumed)).toEqual({ WP01: 'done' });
    expect(readRunStateJson(p.root)?.status).toBe('completed');
  });
});
