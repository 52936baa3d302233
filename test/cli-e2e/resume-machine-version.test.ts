/**
 * `resume` and runs saved by other builds: a snapshot naming a state this build does not have is
 * refused in one line with what to do, and its state file is left exactly as it was (it still
 * names the WPs that are ours); a run saved in the earlier format (1) by other machine versions
 * is migrated and restored. The built CLI, simulated host.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** The saved file as JSON; the edits reach into the snapshot by its known shape. */
// biome-ignore lint/suspicious/noExplicitAny: a test's edit of an untyped JSON file
type Json = Record<string, any>;

function editSavedRun(p: CliProject, edit: (saved: Json) => Json): string {
  const saved = JSON.parse(readFileSync(runStateFile(p.root), 'utf8')) as Json;
  writeFileSync(runStateFile(p.root), `${JSON.stringify(edit(saved), null, 1)}\n`);
  return readFileSync(runStateFile(p.root), 'utf8');
}

describe('resume and runs saved by other builds', () => {
  it('refuses a snapshot with a state this build lacks in one line, keeping the file; restores a format-1 run of other machines', async () => {
    const p = await killedRun();
    const original = readFileSync(runStateFile(p.root), 'utf8');

    const before = editSavedRun(p, (saved) => {
      saved.snapshot.children.WP01.snapshot.value.flow = 'waitingForApproval';
      return saved;
    });
    const refused = await runCli(['resume'], { cwd: p.root, env: p.env });
    expectCleanFailure(refused, 2, ['cannot be restored', 'waitingForApproval', '--fresh']);
    expect(readFileSync(runStateFile(p.root), 'utf8')).toBe(before);

    // What a build before restore-through-createActor wrote: format 1, `carried` in the mission
    // context, and another machine version.
    writeFileSync(runStateFile(p.root), original);
    editSavedRun(p, (saved) => ({
      ...saved,
      formatVersion: 1,
      machineVersion: '0123456789abcdef',
      snapshot: { ...saved.snapshot, context: { ...saved.snapshot.context, carried: {} } },
    }));
    const resumed = await runCli(['resume'], { cwd: p.root, env: p.env });
    expectExit(resumed, 0);
    expect(resumed.stderr + resumed.stdout).toContain('WP01 (inProgress.implementing)');
    expect(lanesOf(await hostMissionState(p)), describeRun(resumed)).toEqual({ WP01: 'done' });
    expect(readRunStateJson(p.root)?.status).toBe('completed');
  });
});
