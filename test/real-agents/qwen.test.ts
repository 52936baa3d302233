/**
 * The REAL Qwen Code (the pinned @qwen-code/qwen-code in .cache/agents) against the scripted
 * model server (OpenAI chat completions): one mission on the real host with Qwen implementing
 * and reviewing, WP01's first review asking for changes (the Chat family's rework cycle); then
 * fast single runs without the host: the usage it reports, a 401 and a 429.
 */
import { describe, expect, it } from 'vitest';
import { expectExit } from '../cli-e2e/support/assertions.js';
import { assertCliBuilt } from '../cli-e2e/support/cli.js';
import { profile } from './profiles/qwen.js';
import {
  REAL_AGENT_MISSION_TIMEOUT_MS,
  recordRealAgentProof,
  runRealAgentMission,
  runRealAgentOnce,
} from './support/run-real-agent.js';

const FEEDBACK = 'Name the rework in the output file (qwen-feedback-51c2)';

type EventRecord = Record<string, unknown>;
const ofType = (events: readonly EventRecord[], type: string) =>
  events.filter((event) => event.type === type);

describe('qwen (real CLI) on the real host', () => {
  it(
    'implements and reviews a two-WP mission, with one rework cycle, to done',
    async () => {
      assertCliBuilt();
      const run = await runRealAgentMission({
        profile,
        scenario: { reviews: { WP01: ['changes_requested', 'approved'] }, feedback: FEEDBACK },
      });
      try {
        const calls = run.server.requests.filter((request) => request.agent === 'qwen');
        const context = JSON.stringify(calls, null, 1);
        expectExit(run.result, 0);
        expect(await run.hostLanes(), context).toEqual({ WP01: 'done', WP02: 'done' });

        // Qwen's shell tool ran the model's command; the edits are committed on the lane branches.
        expect(run.laneBranchHolds('real-agent-output/WP01.txt', 'rework done')).toBe(true);
        expect(
          run.laneBranchHolds('real-agent-output/WP02.txt', `implemented by qwen (model ${profile.model})`),
        ).toBe(true);

        const verdicts = ofType(run.events, 'review.verdict').map((event) => [
          event.wp,
          event.verdict,
          event.decided_by,
        ]);
        expect(verdicts).toEqual([
          ['WP01', 'changes_requested', 'output'],
          ['WP01', 'approved', 'output'],
          ['WP02', 'approved', 'output'],
        ]);
        const rejection = ofType(run.events, 'review.verdict').find(
          (event) => event.verdict === 'changes_requested',
        );
        expect(String(rejection?.feedback)).toContain('qwen-feedback-51c2');

        // Three implementation runs (WP01 twice) and three reviews, each with the server's figures:
        // an implementation is two turns (1000 + 1100 in, 40 + 50 out), a review one.
        const ends = ofType(run.events, 'agent.end');
        expect(ends).toHaveLength(6);
        for (const end of ends) {
          expect(end).toMatchObject({ agent: 'qwen', success: true, failure_kind: null });
          const expected =
            end.role === 'implementation'
              ? { input_tokens: 2100, output_tokens: 90 }
              : { input_tokens: 1000, output_tokens: 40 };
          expect(end.usage, JSON.stringify(end)).toMatchObject(expected);
        }

        // Only model turns reached the server, all named the configured model, none side calls.
        expect(calls.filter((request) => request.unhandled)).toEqual([]);
        expect(new Set(calls.map((request) => request.model))).toEqual(new Set([profile.model]));
        expect(new Set(calls.map((request) => request.role))).toEqual(new Set(['implementation', 'review']));
        expect(calls.every((request) => request.status === 200)).toBe(true);

        recordRealAgentProof('qwen', 'end-to-end', {
          version: run.versions.qwen ?? 'unknown',
          proven: [
            'implementation + review on the real host, rework cycle, done',
            'edits committed on lane branches',
            'verdict decided by output',
            'usage recorded',
            'configured model reached the server',
            '401 classified auth, 429 classified rate_limit',
          ],
        });
      } finally {
        await run.cleanup();
      }
    },
    REAL_AGENT_MISSION_TIMEOUT_MS,
  );
});

describe('qwen (real CLI) without the host', () => {
  it('reports the tokens of both turns and no cost (Qwen prices nothing)', async () => {
    const run = await runRealAgentOnce({ profile, role: 'implementation' });
    expect(run.result.success, run.log).toBe(true);
    expect(run.result.usage).toEqual({ inputTokens: 2100, outputTokens: 90 });
    expect(run.argv).toEqual(expect.arrayContaining(['--model', profile.model, '--max-session-turns', '12']));
  });

  it('a rejected key (401) is an auth failure', async () => {
    const run = await runRealAgentOnce({
      profile,
      role: 'implementation',
      scenario: { faults: { qwen: 'auth' } },
    });
    expect(run.result.success).toBe(false);
    expect(run.result.failureKind, run.log).toBe('auth');
    expect(run.result.errors.join('\n')).toMatch(/401/);
    expect(run.server.requests.map((request) => request.status)).toEqual([401]);
  });

  it('a rate limit (429) is a rate_limit failure', async () => {
    const run = await runRealAgentOnce({
      profile,
      role: 'review',
      scenario: { faults: { qwen: 'rate_limit' } },
    });
    expect(run.result.success).toBe(false);
    expect(run.result.failureKind, run.log).toBe('rate_limit');
    expect(run.result.errors.join('\n')).toMatch(/429/);
    expect(run.result.verdict?.decidedBy).toBe('exit_code');
  });
});
