/**
 * Ctrl-C while a lane change is with the host: the agents stop at once, but the lane change
 * already sent runs to its end (the host records it) before the CLI exits 130, and the CLI says
 * it waited. Killed half-way, it would leave the host's lock and our reconciliation guessing.
 * The built CLI; the simulated host executable with a start-up delay like the real host's, so
 * the interrupt lands while the host process runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostProcesses } from '../crash/support/moments.js';
import { expectExit } from './support/assertions.js';
import { assertCliBuilt, describeRun, killStrayClis, startCli } from './support/cli.js';
import { hostMissionState, lanesOf, waitFor } from './support/inspect.js';
import { type CliProject, createCliProject, workPackage } from './support/project.js';

const projects: CliProject[] = [];
beforeAll(assertCliBuilt);
afterAll(async () => {
  await killStrayClis();
  for (const project of projects) project.cleanup();
});

/** The `transition --to <lane>` host process working on this project, if one runs now. */
function runningTransition(p: CliProject): { wp: string; to: string } | undefined {
  const call = hostProcesses(p).find((process) => process.verb === 'transition');
  const wp = call?.args[call.args.indexOf('--wp') + 1];
  const to = call?.args[call.args.indexOf('--to') + 1];
  return wp && to ? { wp, to } : undefined;
}

describe('Ctrl-C during a lane change', () => {
  it('lets the lane change already sent finish, says so, and exits 130', async () => {
    const p = await createCliProject({
      host: 'simulated',
      mission: {
        slug: '001-sent-mutation',
        title: 'Sent mutation',
        workPackages: [workPackage('WP01', 'Core', 'T001')],
      },
    });
    projects.push(p);
    const run = startCli(['orchestrate', '--mission', p.mission], {
      cwd: p.root,
      env: { ...p.env, SIMULATED_HOST_LATENCY_MS: '1500' },
    });
    const stillRunning = () => run.child.exitCode === null && run.child.signalCode === null;
    const sent = await waitFor(() => runningTransition(p), {
      what: 'a transition with the host',
      stillRunning,
      intervalMs: 10,
    });
    run.signal('SIGINT');
    const result = await run.done;
    expectExit(result, 130);
    expect(result.stderr, describeRun(result)).toContain(
      'letting 1 lane change(s) already sent to the host finish',
    );
    expect(result.stderr, describeRun(result)).toContain('the host answered every lane change that was sent');
    // The host recorded the move that was in flight when Ctrl-C came.
    expect(lanesOf(await hostMissionState(p))[sent.wp]).toBe(sent.to);
  });
});
