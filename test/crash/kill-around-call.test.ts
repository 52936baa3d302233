/**
 * A kill on either side of a lane change, on the REAL host: the resumed run restores the saved
 * actor (in `restoring`: it reads the host lane first) and sends the change again only if the
 * host never ran it. Held by a gate in front of the host binary: `before`, the write-ahead names
 * the step but the host never sees the call; `after`, the host ran it and the orchestrator never
 * heard. Either way: one for_review in the WP's history, every lane move legal, all done.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectExit } from '../cli-e2e/support/assertions.js';
import { assertCliBuilt, describeRun, killStrayClis, runCli, startCli } from '../cli-e2e/support/cli.js';
import {
  APPROVED_PATH,
  hostMissionState,
  laneSequences,
  lanesOf,
  savedWpStep,
  waitFor,
} from '../cli-e2e/support/inspect.js';
import { type CliProject, createCliProject, workPackage } from '../cli-e2e/support/project.js';
import { hostGate } from './support/gate-host.js';

const projects: CliProject[] = [];
beforeAll(assertCliBuilt);
afterEach(killStrayClis);
afterAll(() => {
  for (const project of projects) project.cleanup();
});

describe('a kill around a lane change (real host)', () => {
  for (const when of ['before', 'after'] as const) {
    it(`held ${when} the host ran the submit: resume sends it ${when === 'before' ? 'once more' : 'no more'} and finishes`, async () => {
      const p = await createCliProject({
        host: 'real',
        mission: {
          slug: `01${when === 'before' ? '1' : '2'}-kill-${when}-call`,
          title: `Kill ${when} the call`,
          workPackages: [workPackage('WP01', 'Core module', 'T001')],
        },
        scenario: {},
      });
      projects.push(p);
      const gate = hostGate(p, '--to for_review', when);
      const run = startCli(['orchestrate', '--mission', p.mission], { cwd: p.root, env: gate.env });
      const stillRunning = () => run.child.exitCode === null && run.child.signalCode === null;
      await waitFor(() => gate.heldPid() !== undefined, { what: 'the submit is held', stillRunning });
      // The write-ahead: the state on disk names the step whose call is held.
      expect(savedWpStep(p.root, 'WP01')).toBe('submitting');
      run.signal('SIGKILL');
      await run.done;
      process.kill(gate.heldPid() as number, 'SIGKILL');
      const lane = lanesOf(await hostMissionState(p)).WP01;
      expect(lane).toBe(when === 'before' ? 'in_progress' : 'for_review');

      const resumed = await runCli(['resume'], { cwd: p.root, env: p.env });
      expectExit(resumed, 0);
      expect(resumed.stderr, describeRun(resumed)).toContain(
        'reading the host lane first for WP01 (submitting)',
      );
      expect(lanesOf(await hostMissionState(p))).toEqual({ WP01: 'done' });
      expect(laneSequences(p).WP01).toEqual(APPROVED_PATH);
      expect(p.laneEvents().filter((event) => event.force)).toEqual([]);
    });
  }
});
