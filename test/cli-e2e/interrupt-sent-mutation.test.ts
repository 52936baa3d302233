/**
 * Ctrl-C while a lane change is with the host: the agents stop at once and nothing new is sent,
 * but the lane change already sent runs to its end (the host records it) and the actors record
 * its answer before the state is saved and the CLI exits 130, saying it waited. Killed half-way,
 * it would leave the host's lock and our reconciliation guessing. `resume` then goes on from the
 * step after it, never checking it again. The built CLI, on the simulated host executable (with a
 * start-up delay like the real host's) and on the REAL host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostProcesses } from '../crash/support/moments.js';
import { expectExit } from './support/assertions.js';
import { assertCliBuilt, describeRun, killStrayClis, runCli, startCli } from './support/cli.js';
import {
  APPROVED_PATH,
  hostMissionState,
  laneSequences,
  lanesOf,
  readRunStateJson,
  savedWpStep,
  waitFor,
} from './support/inspect.js';
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

/** The lane WP01's saved actor knew. */
function savedWp01Lane(root: string): unknown {
  const state = readRunStateJson(root) as
    | { snapshot?: { children?: Record<string, { snapshot?: { context?: { lane?: unknown } } }> } }
    | undefined;
  return state?.snapshot?.children?.WP01?.snapshot?.context?.lane;
}

describe('Ctrl-C during a lane change', () => {
  for (const host of ['simulated', 'real'] as const) {
    it(`lets the lane change already sent finish, saves what it did, and resume goes on from there (${host} host)`, async () => {
      const p = await createCliProject({
        host,
        mission: {
          slug: `00${host === 'real' ? '2' : '1'}-sent-mutation`,
          title: 'Sent mutation',
          workPackages: [workPackage('WP01', 'Core', 'T001')],
        },
      });
      projects.push(p);
      const run = startCli(['orchestrate', '--mission', p.mission], {
        cwd: p.root,
        // The simulated host answers at once; a start-up like the real host's lets Ctrl-C land.
        env: { ...p.env, SIMULATED_HOST_LATENCY_MS: '1500' },
      });
      const stillRunning = () => run.child.exitCode === null && run.child.signalCode === null;
      const sent = await waitFor(() => runningTransition(p), {
        what: 'a transition with the host',
        stillRunning,
        intervalMs: 10,
      });
      expect(sent).toEqual({ wp: 'WP01', to: 'for_review' });
      run.signal('SIGINT');
      const result = await run.done;
      expectExit(result, 130);
      expect(result.stderr, describeRun(result)).toContain(
        'letting 1 lane change(s) already sent to the host finish',
      );
      expect(result.stderr, describeRun(result)).toContain(
        'the host answered every lane change that was sent',
      );
      // The host recorded the move that was in flight when Ctrl-C came, and so did the state:
      // WP01 is past submitting, and its start-review was never sent.
      expect(lanesOf(await hostMissionState(p)).WP01).toBe('for_review');
      expect({ step: savedWpStep(p.root, 'WP01'), lane: savedWp01Lane(p.root) }).toEqual({
        step: 'forReview.claimingReview',
        lane: 'for_review',
      });
      expect(readRunStateJson(p.root)?.status).toBe('interrupted');

      const resumed = await runCli(['resume'], { cwd: p.root, env: p.env });
      expectExit(resumed, 0);
      expect(resumed.stderr, describeRun(resumed)).toContain(
        'reading the host lane first for WP01 (forReview.claimingReview)',
      );
      expect(resumed.stderr).not.toContain('(submitting)');
      expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'done' });
      expect(laneSequences(p).WP01).toEqual(APPROVED_PATH);
    });
  }
});
