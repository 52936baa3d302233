/**
 * Letta Code 0.32.18 end to end: the real `letta` on its local backend, its OpenAI provider's
 * base URL pointed at the scripted model server (Responses API), as implementer and reviewer of a
 * two-WP mission on the real host; and a 401 from the server read as an auth failure.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { assertCliBuilt } from '../cli-e2e/support/cli.js';
import { profile } from './profiles/letta.js';
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

describe('Letta Code (real CLI, scripted model server)', () => {
  it(
    'implements and reviews a two-WP mission to done',
    async () => {
      assertCliBuilt();
      const run = await runRealAgentMission({ profile });
      runs.push(run);
      const requests = run.server.requests.filter((request) => request.agent === 'letta');
      const context = `${run.result.stdout}\n${run.result.stderr}\n${JSON.stringify(requests, null, 1)}`;
      expect(run.result.exitCode, context).toBe(0);
      expect(await run.hostLanes()).toEqual({ WP01: 'done', WP02: 'done' });

      for (const wp of ['WP01', 'WP02']) {
        expect(run.laneBranchHolds(`real-agent-output/${wp}.txt`, `${wp} implemented by letta`), wp).toBe(
          true,
        );
      }
      // `--ephemeral` leaves no per-worktree Letta settings for the lane commit to pick up.
      expect(run.laneBranchHolds('.letta/settings.local.json')).toBe(false);
      expect(requests.filter((request) => request.unhandled)).toEqual([]);
      expect(new Set(requests.map((request) => request.model))).toEqual(new Set([profile.model]));
      const roles = requests.map((request) => `${request.role}/${request.wp}`);
      for (const wp of ['WP01', 'WP02']) {
        expect(roles).toContain(`implementation/${wp}`);
        expect(roles).toContain(`review/${wp}`);
      }

      const verdicts = run.events.filter((event) => event.type === 'review.verdict');
      expect(verdicts.map((event) => [event.wp, event.verdict, event.decided_by]).sort()).toEqual([
        ['WP01', 'approved', 'output'],
        ['WP02', 'approved', 'output'],
      ]);
      const ends = run.events.filter((event) => event.type === 'agent.end' && event.agent === 'letta');
      expect(ends.length).toBe(4);
      for (const end of ends) expect(end.success, JSON.stringify(end)).toBe(true);
      // Usage from the result object: an implementation is two turns (1000 + 1100 in, 40 + 50 out).
      const implementation = ends.find((end) => end.role === 'implementation');
      expect(implementation?.usage).toMatchObject({ input_tokens: 2100, output_tokens: 90 });
      const review = ends.find((end) => end.role === 'review');
      expect(review?.usage).toMatchObject({ input_tokens: 1000, output_tokens: 40 });

      recordRealAgentProof('letta', 'end-to-end', {
        version: installedAgent('letta').version,
        proven: [
          'two-WP mission done on the real host (implementer and reviewer, --backend local)',
          'edits committed on lane branches',
          'verdicts read from output',
          'usage read from the result object',
          `model ${profile.model} seen by the server`,
          '401 classified auth',
        ],
      });
    },
    REAL_AGENT_MISSION_TIMEOUT_MS,
  );

  it('reads a 401 from the model server as an auth failure', async () => {
    const run = await runRealAgentOnce({ profile, role: 'review', scenario: { faults: { letta: 'auth' } } });
    expect(
      run.server.requests.some((request) => request.status === 401),
      run.log,
    ).toBe(true);
    expect(run.result.success, run.log).toBe(false);
    expect(run.result.failureKind, `${run.result.errors.join('\n')}\n${run.log}`).toBe('auth');
  }, 60_000);
});
