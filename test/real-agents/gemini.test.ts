/**
 * The REAL Gemini CLI (the pinned @google/gemini-cli in .cache/agents) driven by our scripted
 * model server: one full mission on the real host with Gemini implementing and reviewing (WP01's
 * first review asks for changes), then fast single runs for the failures the orchestrator must
 * classify, the untrusted-folder refusal our `--skip-trust` prevents included.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSupervised } from '../../src/actors/process/run-supervised.js';
import { geminiAdapter } from '../../src/agents/adapters/gemini.js';
import { buildImplementationPrompt } from '../../src/agents/prompts.js';
import { expectExit } from '../cli-e2e/support/assertions.js';
import { assertCliBuilt } from '../cli-e2e/support/cli.js';
import { geminiCodec } from '../support/model-server/gemini.js';
import { startModelServer } from '../support/model-server/server.js';
import { createTempRepo } from '../support/temp-repo.js';
import { GEMINI_MODEL, GEMINI_SETTINGS, profile } from './profiles/gemini.js';
import { installedAgent } from './support/installed.js';
import { recordRealAgentProof, runRealAgentMission, runRealAgentOnce } from './support/run-real-agent.js';

const FEEDBACK = 'Name the rework in the output file (gemini-feedback-5c1d)';
const MODEL_TURN = /^\/v1beta\/models\/[^/:]+:streamGenerateContent$/;

type EventRecord = Record<string, unknown>;
const ofType = (events: readonly EventRecord[], type: string) =>
  events.filter((event) => event.type === type);

describe('gemini (real CLI) on the real host', () => {
  it('implements and reviews a two-WP mission, with one rework cycle, to done', async () => {
    assertCliBuilt();
    const run = await runRealAgentMission({
      profile,
      scenario: { reviews: { WP01: ['changes_requested', 'approved'] }, feedback: FEEDBACK },
    });
    try {
      expectExit(run.result, 0);
      expect(await run.hostLanes()).toEqual({ WP01: 'done', WP02: 'done' });

      // The edits Gemini's run_shell_command call made are committed on the lane branches.
      expect(run.laneBranchHolds('real-agent-output/WP01.txt', 'rework done')).toBe(true);
      expect(
        run.laneBranchHolds('real-agent-output/WP02.txt', `implemented by gemini (model ${GEMINI_MODEL})`),
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
      expect(String(rejection?.feedback)).toContain('gemini-feedback-5c1d');

      // Every run was Gemini, succeeded, and carried the server's token counts (from stats.models).
      const ends = ofType(run.events, 'agent.end');
      expect(ends).toHaveLength(6);
      for (const end of ends) {
        expect(end).toMatchObject({ agent: 'gemini', success: true, failure_kind: null });
        const usage = end.usage as { input_tokens: number; output_tokens: number };
        expect(usage.input_tokens).toBeGreaterThanOrEqual(1000);
        expect(usage.output_tokens).toBeGreaterThanOrEqual(40);
      }

      // The server saw only model turns, all with the configured model, from both roles.
      const calls = run.server.requests.filter((request) => request.agent === 'gemini');
      expect(calls.filter((request) => request.unhandled)).toEqual([]);
      expect(calls.every((request) => MODEL_TURN.test(request.path) && request.status === 200)).toBe(true);
      expect(new Set(calls.map((request) => request.model))).toEqual(new Set([GEMINI_MODEL]));
      expect(new Set(calls.map((request) => request.role))).toEqual(new Set(['implementation', 'review']));

      recordRealAgentProof('gemini', 'end-to-end', {
        version: run.versions.gemini ?? 'unknown',
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
    // Seven host calls per WP cycle at several seconds each on a loaded machine: ~100-150 s.
  }, 300_000);
});

describe('gemini (real CLI) failures, without the host', () => {
  it('a rejected key (401) exits 145 (401 mod 256) and is an auth failure', async () => {
    const run = await runRealAgentOnce({
      profile,
      role: 'implementation',
      scenario: { faults: { gemini: 'auth' } },
    });
    expect(run.result).toMatchObject({ success: false, exitCode: 145, failureKind: 'auth' });
    expect(run.result.errors.join('\n')).toMatch(/UNAUTHENTICATED/);
    expect(run.server.requests.map((request) => request.status)).toEqual([401]);
  });

  it('a rate limit (429) exits 173 (429 mod 256) and is a rate_limit failure, after one attempt', async () => {
    const run = await runRealAgentOnce({
      profile,
      role: 'review',
      scenario: { faults: { gemini: 'rate_limit' } },
    });
    expect(run.result).toMatchObject({ success: false, exitCode: 173, failureKind: 'rate_limit' });
    expect(run.result.verdict?.decidedBy).toBe('exit_code');
    // general.maxAttempts: 1 in the profile's settings.json: no backoff, one request.
    expect(run.server.requests.map((request) => request.status)).toEqual([429]);
  });

  it('a model that never answers ends in a timeout', async () => {
    const run = await runRealAgentOnce({
      profile,
      role: 'implementation',
      scenario: { faults: { gemini: 'hang' } },
      // Gemini CLI takes 2-7 s to start before its first request.
      timeoutSeconds: 8,
    });
    expect(run.result).toMatchObject({ success: false, failureKind: 'timeout' });
    expect(run.result.durationMs).toBeLessThan(30_000);
    expect(run.server.requests.some((request) => MODEL_TURN.test(request.path))).toBe(true);
  });

  it('without --skip-trust the fresh repository is untrusted: exit 55, a setup failure, no model call', async () => {
    const agent = installedAgent('gemini');
    const server = await startModelServer({ codecs: [geminiCodec] });
    const repo = createTempRepo('sko-real-gemini-trust-');
    const home = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-real-gemini-trust-home-')));
    try {
      mkdirSync(path.join(home, '.gemini'), { recursive: true });
      writeFileSync(path.join(home, '.gemini', 'settings.json'), JSON.stringify(GEMINI_SETTINGS));
      const invocation = geminiAdapter.buildInvocation({
        role: 'implementation',
        prompt: buildImplementationPrompt({ wpPrompt: '# WP01', mission: '001-once', subtaskIds: ['T001'] }),
        workspace: repo.root,
        timeoutSeconds: 60,
        launcher: [agent.binary],
        settings: {
          model: GEMINI_MODEL,
          env: {
            ...profile.settings({ baseUrl: server.baseUrl('gemini'), home }).env,
            HOME: home,
            PATH: `${agent.binDir}${path.delimiter}${process.env.PATH ?? ''}`,
          },
        },
      });
      expect(invocation.args).toContain('--skip-trust');
      const untrusted = { ...invocation, args: invocation.args.filter((arg) => arg !== '--skip-trust') };
      const outcome = await runSupervised({
        invocation: untrusted,
        cwd: repo.root,
        logPath: path.join(home, 'agent.log'),
        timeoutMs: 60_000,
        tailBytes: 64 * 1024,
      });
      const result = geminiAdapter.parseOutcome(outcome, 'implementation');
      expect(result).toMatchObject({ success: false, exitCode: 55, failureKind: 'setup' });
      expect(result.errors.join('\n')).toMatch(/not running in a trusted directory/);
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
      repo.cleanup();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
