/**
 * The REAL Codex CLI (the pinned codex-cli in .cache/agents) driven by our scripted model server:
 * one full mission on the real host with Codex implementing and reviewing (WP01's first review
 * asks for changes), then fast single runs for the failures the orchestrator must classify.
 */
import { describe, expect, it } from 'vitest';
import { expectExit } from '../cli-e2e/support/assertions.js';
import { assertCliBuilt } from '../cli-e2e/support/cli.js';
import { CODEX_MODEL, profile } from './profiles/codex.js';
import {
  REAL_AGENT_MISSION_TIMEOUT_MS,
  recordRealAgentProof,
  runRealAgentMission,
  runRealAgentOnce,
} from './support/run-real-agent.js';

const FEEDBACK = 'Name the rework in the output file (codex-feedback-7f3a)';

type EventRecord = Record<string, unknown>;
const ofType = (events: readonly EventRecord[], type: string) =>
  events.filter((event) => event.type === type);

describe('codex (real CLI) on the real host', () => {
  it(
    'implements and reviews a two-WP mission, with one rework cycle, to done',
    async () => {
      assertCliBuilt();
      const run = await runRealAgentMission({
        profile,
        scenario: { reviews: { WP01: ['changes_requested', 'approved'] }, feedback: FEEDBACK },
      });
      try {
        expectExit(run.result, 0);
        expect(await run.hostLanes()).toEqual({ WP01: 'done', WP02: 'done' });

        // The edits Codex's shell call made are committed on the lane branches, the rework included.
        expect(run.laneBranchHolds('real-agent-output/WP01.txt', 'rework done')).toBe(true);
        expect(
          run.laneBranchHolds('real-agent-output/WP02.txt', `implemented by codex (model ${CODEX_MODEL})`),
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
        expect(String(rejection?.feedback)).toContain('codex-feedback-7f3a');

        // Every agent run was Codex, succeeded, and carried the token counts the server sent.
        const ends = ofType(run.events, 'agent.end');
        expect(ends.map((event) => `${event.wp}:${event.role}`)).toEqual(
          expect.arrayContaining([
            'WP01:implementation',
            'WP01:review',
            'WP02:implementation',
            'WP02:review',
          ]),
        );
        expect(ends).toHaveLength(6);
        for (const end of ends) {
          expect(end).toMatchObject({ agent: 'codex', success: true, failure_kind: null });
          const usage = end.usage as { input_tokens: number; output_tokens: number };
          expect(usage.input_tokens).toBeGreaterThanOrEqual(1000);
          expect(usage.output_tokens).toBeGreaterThanOrEqual(40);
        }

        // The server saw only model turns, all with the configured model, from both roles.
        const calls = run.server.requests.filter((request) => request.agent === 'codex');
        expect(calls.filter((request) => request.unhandled)).toEqual([]);
        expect(new Set(calls.map((request) => request.model))).toEqual(new Set([CODEX_MODEL]));
        expect(new Set(calls.map((request) => request.role))).toEqual(new Set(['implementation', 'review']));
        expect(calls.every((request) => request.status === 200)).toBe(true);

        recordRealAgentProof('codex', 'end-to-end', {
          version: run.versions.codex ?? 'unknown',
          proven: [
            'implementation + review on the real host, rework cycle, done',
            'edits committed on lane branches',
            'verdict decided by output',
            'usage recorded',
            'configured model reached the server',
          ],
        });
      } finally {
        await run.cleanup();
      }
      // ~60 s alone; the host's Python calls slow down when other suites share the machine.
    },
    REAL_AGENT_MISSION_TIMEOUT_MS,
  );
});

describe('codex (real CLI) failures, without the host', () => {
  it('a rejected key (401) is an auth failure, after the one reconnect the profile allows', async () => {
    const run = await runRealAgentOnce({
      profile,
      role: 'implementation',
      scenario: { faults: { codex: 'auth' } },
    });
    expect(run.result.success).toBe(false);
    expect(run.result.failureKind).toBe('auth');
    expect(run.result.errors.join('\n')).toMatch(/401 Unauthorized/);
    // Codex retries a 401 like any stream error: the first try plus stream_max_retries (1 here).
    const calls = run.server.requests.filter((request) => request.path === '/v1/responses');
    expect(calls.map((request) => request.status)).toEqual([401, 401]);
    expect(run.result.warnings.some((warning) => warning.startsWith('Reconnecting... 1/1'))).toBe(true);
  });

  it('a rate limit (429) is a rate_limit failure', async () => {
    const run = await runRealAgentOnce({
      profile,
      role: 'review',
      scenario: { faults: { codex: 'rate_limit' } },
    });
    expect(run.result.success).toBe(false);
    expect(run.result.failureKind).toBe('rate_limit');
    expect(run.result.errors.join('\n')).toMatch(/429 Too Many Requests/);
    expect(run.result.verdict?.decidedBy).toBe('exit_code');
  });

  it('a model that never answers ends in a timeout', async () => {
    const run = await runRealAgentOnce({
      profile,
      role: 'implementation',
      scenario: { faults: { codex: 'hang' } },
      timeoutSeconds: 4,
    });
    expect(run.result.success).toBe(false);
    expect(run.result.failureKind).toBe('timeout');
    expect(run.result.durationMs).toBeLessThan(30_000);
    expect(run.server.requests.some((request) => request.path === '/v1/responses')).toBe(true);
  });
});
