/**
 * What the opencode and Kilo tests share (Kilo is an opencode fork with the same `run` command
 * and JSON events): one plain-approve mission on the real host with the CLI implementing and
 * reviewing, and a 401 without the host. opencode also asks the model for a session title (a
 * request without tools, logged as a side call), so the role set includes `side`.
 */
import { describe, expect, it } from 'vitest';
import type { AgentId } from '../../src/agents/types.js';
import { expectExit } from '../cli-e2e/support/assertions.js';
import { assertCliBuilt } from '../cli-e2e/support/cli.js';
import type { AgentProfile } from './support/profile.js';
import {
  REAL_AGENT_MISSION_TIMEOUT_MS,
  recordRealAgentProof,
  runRealAgentMission,
  runRealAgentOnce,
} from './support/run-real-agent.js';

type EventRecord = Record<string, unknown>;
const ofType = (events: readonly EventRecord[], type: string) =>
  events.filter((event) => event.type === type);

export function describeOpencodeFamily(profile: AgentProfile, name: string): void {
  const id: AgentId = profile.id;

  describe(`${name} (real CLI) on the real host`, () => {
    it(
      'implements and reviews a two-WP mission to done',
      async () => {
        assertCliBuilt();
        const run = await runRealAgentMission({ profile });
        try {
          const calls = run.server.requests.filter((request) => request.agent === id);
          expectExit(run.result, 0);
          expect(await run.hostLanes(), JSON.stringify(calls, null, 1)).toEqual({
            WP01: 'done',
            WP02: 'done',
          });

          for (const wp of ['WP01', 'WP02']) {
            expect(
              run.laneBranchHolds(
                `real-agent-output/${wp}.txt`,
                `implemented by ${id} (model ${profile.model})`,
              ),
              wp,
            ).toBe(true);
          }
          const verdicts = ofType(run.events, 'review.verdict').map((event) => [
            event.wp,
            event.verdict,
            event.decided_by,
          ]);
          expect(verdicts.sort()).toEqual([
            ['WP01', 'approved', 'output'],
            ['WP02', 'approved', 'output'],
          ]);

          // Usage from the step_finish events: two turns per implementation, one per review.
          const ends = ofType(run.events, 'agent.end');
          expect(ends).toHaveLength(4);
          for (const end of ends) {
            expect(end).toMatchObject({ agent: id, success: true, failure_kind: null });
            const expected =
              end.role === 'implementation'
                ? { input_tokens: 2100, output_tokens: 90 }
                : { input_tokens: 1000, output_tokens: 40 };
            expect(end.usage, JSON.stringify(end)).toMatchObject(expected);
          }

          // The configured provider/model reached the server as the bare model name.
          expect(calls.filter((request) => request.unhandled)).toEqual([]);
          expect(new Set(calls.map((request) => request.model))).toEqual(new Set([profile.model]));
          const roles = new Set(calls.map((request) => request.role));
          expect(roles.has('implementation') && roles.has('review')).toBe(true);
          expect(calls.every((request) => request.status === 200)).toBe(true);

          recordRealAgentProof(id, 'end-to-end', {
            version: run.versions[id] ?? 'unknown',
            proven: [
              'implementation + review on the real host, done',
              'edits committed on lane branches',
              'verdict decided by output',
              'usage recorded',
              'configured model reached the server',
              '401 classified auth',
            ],
          });
        } finally {
          await run.cleanup();
        }
      },
      REAL_AGENT_MISSION_TIMEOUT_MS,
    );
  });

  describe(`${name} (real CLI) without the host`, () => {
    it('a rejected key (401) is an auth failure', async () => {
      const run = await runRealAgentOnce({
        profile,
        role: 'implementation',
        scenario: { faults: { [id]: 'auth' } },
      });
      expect(run.result.success).toBe(false);
      expect(run.result.failureKind, `${run.result.errors.join('\n')}\n${run.log}`).toBe('auth');
      expect(run.result.errors.join('\n')).toMatch(/HTTP 401/);
      expect(run.server.requests.some((request) => request.status === 401)).toBe(true);
    }, 90_000);
  });
}
