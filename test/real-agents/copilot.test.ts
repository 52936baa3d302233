/**
 * GitHub Copilot CLI 1.0.102 end to end: the real `copilot` through its BYOK provider variables
 * (offline: no GitHub auth) against the scripted model server (OpenAI chat completions), as
 * implementer and reviewer of a two-WP mission on the real host, the prompt on stdin; and a 401
 * from the server read as an auth failure. Copilot's JSONL carries no token counts, so no usage
 * is asserted.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { assertCliBuilt } from '../cli-e2e/support/cli.js';
import { profile } from './profiles/copilot.js';
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

describe('GitHub Copilot CLI (real CLI, BYOK to the scripted model server)', () => {
  it(
    'implements and reviews a two-WP mission to done',
    async () => {
      assertCliBuilt();
      const run = await runRealAgentMission({ profile });
      runs.push(run);
      const requests = run.server.requests.filter((request) => request.agent === 'copilot');
      const context = `${run.result.stdout}\n${run.result.stderr}\n${JSON.stringify(requests, null, 1)}`;
      expect(run.result.exitCode, context).toBe(0);
      expect(await run.hostLanes()).toEqual({ WP01: 'done', WP02: 'done' });

      for (const wp of ['WP01', 'WP02']) {
        expect(run.laneBranchHolds(`real-agent-output/${wp}.txt`, `${wp} implemented by copilot`), wp).toBe(
          true,
        );
      }
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
      const ends = run.events.filter((event) => event.type === 'agent.end' && event.agent === 'copilot');
      expect(ends.length).toBe(4);
      for (const end of ends) expect(end.success, JSON.stringify(end)).toBe(true);

      recordRealAgentProof('copilot', 'end-to-end', {
        version: installedAgent('copilot').version,
        proven: [
          'two-WP mission done on the real host (implementer and reviewer, BYOK offline, prompt on stdin)',
          'edits committed on lane branches',
          'verdicts read from output',
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
      role: 'review',
      scenario: { faults: { copilot: 'auth' } },
    });
    expect(
      run.server.requests.some((request) => request.status === 401),
      run.log,
    ).toBe(true);
    expect(run.result.success, run.log).toBe(false);
    expect(run.result.failureKind, `${run.result.errors.join('\n')}\n${run.log}`).toBe('auth');
  }, 60_000);
});
