/**
 * pi 0.73.1 end to end: the real `pi` against the scripted model server (OpenAI chat
 * completions, a custom provider in models.json) as implementer and reviewer of a two-WP mission
 * on the real host; and a 401 from the server read as an auth failure.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { assertCliBuilt } from '../cli-e2e/support/cli.js';
import { profile } from './profiles/pi.js';
import { installedAgent } from './support/installed.js';
import { recordRealAgentProof } from './support/proof.js';
import {
  REAL_AGENT_MISSION_TIMEOUT_MS,
  type RealMissionRun,
  runRealAgentMission,
  runRealAgentOnce,
} from './support/run-real-agent.js';

const runs: RealMissionRun[] = [];
afterAll(async () => {
  for (const run of runs) await run.cleanup();
});

describe('pi (real CLI, scripted model server)', () => {
  it(
    'implements and reviews a two-WP mission to done',
    async () => {
      assertCliBuilt();
      const run = await runRealAgentMission({ profile });
      runs.push(run);
      const requests = run.server.requests.filter((request) => request.agent === 'pi');
      const context = `${run.result.stdout}\n${run.result.stderr}\n${JSON.stringify(requests, null, 1)}`;
      expect(run.result.exitCode, context).toBe(0);
      expect(await run.hostLanes()).toEqual({ WP01: 'done', WP02: 'done' });

      // The edits the model's shell call made are committed on a lane branch.
      for (const wp of ['WP01', 'WP02']) {
        expect(run.laneBranchHolds(`real-agent-output/${wp}.txt`, `${wp} implemented by pi`), wp).toBe(true);
      }
      // Every model call reached our server, named the configured model, and was served.
      expect(requests.filter((request) => request.unhandled)).toEqual([]);
      expect(new Set(requests.map((request) => request.model))).toEqual(new Set([profile.model]));
      const roles = requests.map((request) => `${request.role}/${request.wp}`);
      for (const wp of ['WP01', 'WP02']) {
        expect(roles).toContain(`implementation/${wp}`);
        expect(roles).toContain(`review/${wp}`);
      }

      // Verdicts were read from pi's answer, and usage from its JSON events.
      const verdicts = run.events.filter((event) => event.type === 'review.verdict');
      expect(verdicts.map((event) => [event.wp, event.verdict, event.decided_by]).sort()).toEqual([
        ['WP01', 'approved', 'output'],
        ['WP02', 'approved', 'output'],
      ]);
      const ends = run.events.filter((event) => event.type === 'agent.end' && event.agent === 'pi');
      expect(ends.length).toBe(4);
      for (const end of ends) {
        expect(end.success, JSON.stringify(end)).toBe(true);
        const usage = end.usage as { input_tokens: number; output_tokens: number } | null;
        // The script's figures: 1000 + 100 per earlier assistant turn in, 40 + 10 out.
        expect(usage?.input_tokens ?? 0, JSON.stringify(end)).toBeGreaterThanOrEqual(1000);
        expect(usage?.output_tokens ?? 0, JSON.stringify(end)).toBeGreaterThanOrEqual(40);
      }
      // An implementation run is two turns (tool call, then the answer): 1000 + 1100 in.
      const implementation = ends.find((end) => end.role === 'implementation');
      expect(implementation?.usage).toMatchObject({ input_tokens: 2100, output_tokens: 90 });

      recordRealAgentProof('pi', 'end-to-end', {
        version: installedAgent('pi').version,
        proven: [
          'two-WP mission done on the real host (implementer and reviewer)',
          'edits committed on lane branches',
          'verdicts read from output',
          'usage read from JSON events',
          `model ${profile.model} seen by the server`,
          '401 classified auth',
        ],
      });
    },
    REAL_AGENT_MISSION_TIMEOUT_MS,
  );

  it('reads a 401 from the model server as an auth failure', async () => {
    const run = await runRealAgentOnce({
      profile,
      role: 'implementation',
      scenario: { faults: { pi: 'auth' } },
    });
    expect(
      run.server.requests.some((request) => request.status === 401),
      run.log,
    ).toBe(true);
    expect(run.result.success, run.log).toBe(false);
    expect(run.result.failureKind, `${run.result.errors.join('\n')}\n${run.log}`).toBe('auth');
  }, 60_000);
});
