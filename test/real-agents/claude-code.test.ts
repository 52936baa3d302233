/**
 * Claude Code 2.1.332 end to end: the real `claude` against the scripted model server (Anthropic
 * Messages, SSE) as implementer and reviewer of a two-WP mission on the real host, WP01's first
 * review asking for changes (a rework cycle); the review role's flags keep a reviewer that tries
 * to write from writing; and faults from the server classified: 401 auth, 429 rate limit, 500 not
 * auth, a hung stream a timeout.
 */
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReviewPrompt } from '../../src/agents/prompts.js';
import { AGENTS } from '../../src/agents/registry.js';
import { assertCliBuilt } from '../cli-e2e/support/cli.js';
import { anthropicCodec } from '../support/model-server/anthropic.js';
import { startModelServer } from '../support/model-server/server.js';
import type { FamilyCodec, ModelRequest } from '../support/model-server/types.js';
import { createTempRepo } from '../support/temp-repo.js';
import { profile } from './profiles/claude-code.js';
import { installedAgent } from './support/installed.js';
import { recordRealAgentProof } from './support/proof.js';
import {
  REAL_AGENT_MISSION_TIMEOUT_MS,
  type RealMissionRun,
  runRealAgentMission,
  runRealAgentOnce,
} from './support/run-real-agent.js';

const AGENT = 'claude-code';
const runs: RealMissionRun[] = [];
afterAll(async () => {
  for (const run of runs) await run.cleanup();
});

describe('Claude Code (real CLI, scripted model server)', () => {
  it(
    'implements, reworks once and reviews a two-WP mission to done',
    async () => {
      assertCliBuilt();
      const run = await runRealAgentMission({
        profile,
        scenario: { reviews: { WP01: ['changes_requested', 'approved'] } },
      });
      runs.push(run);
      const requests = run.server.requests.filter((request) => request.agent === AGENT);
      const context = `${run.result.stdout}\n${run.result.stderr}\n${JSON.stringify(requests, null, 1)}`;
      expect(run.result.exitCode, context).toBe(0);
      expect(await run.hostLanes()).toEqual({ WP01: 'done', WP02: 'done' });

      // The model's Bash call ran (no permission bypass) and its edits are committed on a lane;
      // WP01's second implementation run was the rework.
      expect(run.laneBranchHolds('real-agent-output/WP01.txt', 'rework done'), context).toBe(true);
      expect(run.laneBranchHolds('real-agent-output/WP02.txt', `WP02 implemented by ${AGENT}`)).toBe(true);

      expect(
        requests.filter((request) => request.unhandled),
        context,
      ).toEqual([]);
      const modelCalls = requests.filter((request) => request.family === 'anthropic');
      expect(new Set(modelCalls.map((request) => request.model))).toEqual(new Set([profile.model]));

      const verdicts = run.events.filter((event) => event.type === 'review.verdict');
      expect(verdicts.map((event) => [event.wp, event.verdict, event.decided_by])).toEqual(
        expect.arrayContaining([
          ['WP01', 'changes_requested', 'output'],
          ['WP01', 'approved', 'output'],
          ['WP02', 'approved', 'output'],
        ]),
      );
      expect(verdicts.length).toBe(3);

      const ends = run.events.filter((event) => event.type === 'agent.end' && event.agent === AGENT);
      // WP01: implement, review, rework, review; WP02: implement, review.
      expect(ends.length, JSON.stringify(ends)).toBe(6);
      for (const end of ends) expect(end.success, JSON.stringify(end)).toBe(true);
      // An implementation run is two turns (Bash call, then the answer): 1000 + 1100 in, 40 + 50 out.
      const implementation = ends.find((end) => end.role === 'implementation');
      expect(implementation?.usage, JSON.stringify(implementation)).toMatchObject({
        input_tokens: 2100,
        output_tokens: 90,
      });

      recordRealAgentProof(AGENT, 'end-to-end', {
        version: installedAgent(AGENT).version,
        proven: [
          'two-WP mission done on the real host (implementer and reviewer), no permission bypass flag',
          'WP01 rework cycle after changes_requested',
          'edits committed on lane branches',
          'verdicts read from output',
          'usage read from the result object',
          `model ${profile.model} seen by the server`,
          'faults: 401 auth, 429 rate_limit, 500 not auth, hang timeout',
        ],
      });
    },
    REAL_AGENT_MISSION_TIMEOUT_MS,
  );

  const faults = [
    ['auth', 401, 'auth'],
    ['rate_limit', 429, 'rate_limit'],
  ] as const;
  for (const [fault, status, kind] of faults) {
    it(`reads a ${status} from the model server as ${kind}`, async () => {
      const run = await runRealAgentOnce({
        profile,
        role: 'implementation',
        scenario: { faults: { [AGENT]: fault } },
      });
      expect(
        run.server.requests.some((request) => request.status === status),
        run.log,
      ).toBe(true);
      expect(run.result.success, run.log).toBe(false);
      expect(run.result.failureKind, `${run.result.errors.join('\n')}\n${run.log}`).toBe(kind);
    }, 60_000);
  }

  it('does not read a 500 from the model server as auth', async () => {
    const run = await runRealAgentOnce({
      profile,
      role: 'review',
      scenario: { faults: { [AGENT]: 'server_error' } },
    });
    expect(
      run.server.requests.some((request) => request.status === 500),
      run.log,
    ).toBe(true);
    expect(run.result.success, run.log).toBe(false);
    expect(run.result.failureKind, `${run.result.errors.join('\n')}\n${run.log}`).not.toBe('auth');
    expect(run.result.verdict?.verdict).not.toBe('approved');
  }, 60_000);

  it('times out on a model call that never answers', async () => {
    const run = await runRealAgentOnce({
      profile,
      role: 'implementation',
      scenario: { faults: { [AGENT]: 'hang' } },
      timeoutSeconds: 5,
    });
    expect(
      run.server.requests.some((request) => request.path === '/v1/messages'),
      run.log,
    ).toBe(true);
    expect(run.result.success).toBe(false);
    expect(run.result.failureKind, run.log).toBe('timeout');
  }, 60_000);

  it('keeps the reviewer read-only: no write tool, a writing shell command denied, git status allowed', async () => {
    // A reviewer that misbehaves: its model asks Bash to write a file, then to run git status.
    const seen: { tools: string[]; transcript: string }[] = [];
    const commands = ['echo tampered > review-wrote.txt', 'git status'];
    const misbehaving: FamilyCodec = {
      ...anthropicCodec,
      write: (reply, request: ModelRequest, res: ServerResponse) => {
        seen.push({ tools: request.tools.map((tool) => tool.name), transcript: request.transcript });
        const command = commands[request.assistantTurns];
        if (reply.kind !== 'message' || request.tools.length === 0 || command === undefined) {
          anthropicCodec.write(reply, request, res);
          return;
        }
        const call = {
          id: `toolu_sko_${request.assistantTurns}`,
          name: 'Bash',
          input: { command, description: 'check' },
        };
        anthropicCodec.write({ ...reply, text: '', toolCalls: [call] }, request, res);
      },
    };
    const server = await startModelServer({ codecs: [misbehaving] });
    const repo = createTempRepo('sko-claude-review-');
    const home = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-claude-review-home-')));
    try {
      const agent = installedAgent(AGENT);
      const settings = profile.settings({ baseUrl: server.baseUrl(AGENT), home });
      const invocation = AGENTS[AGENT].buildInvocation({
        role: 'review',
        prompt: buildReviewPrompt({
          wpPrompt: '# WP01 Core',
          mission: '001-once',
          wpId: 'WP01',
          diffSummary: '',
        }),
        workspace: repo.root,
        timeoutSeconds: 60,
        launcher: [agent.binary],
        settings: {
          ...(settings.model ? { model: settings.model } : {}),
          ...(settings.env ? { env: settings.env } : {}),
        },
      });
      const done = await execa(invocation.file, invocation.args, {
        cwd: repo.root,
        input: invocation.stdinPrompt ?? '',
        env: { PATH: process.env.PATH ?? '', HOME: home, ...invocation.env },
        extendEnv: false,
        reject: false,
        timeout: 60_000,
      });
      const log = `${done.stdout}\n${done.stderr}\n${JSON.stringify(seen, null, 1)}`;
      expect(seen.length, log).toBeGreaterThanOrEqual(3);
      expect(seen[0]?.tools, log).toContain('Bash');
      for (const tool of ['Write', 'Edit', 'NotebookEdit']) expect(seen[0]?.tools, log).not.toContain(tool);
      expect(existsSync(path.join(repo.root, 'review-wrote.txt')), log).toBe(false);
      // git status ran: its output came back as the tool result.
      expect(seen[2]?.transcript, log).toContain('On branch main');
      expect(done.exitCode, log).toBe(0);
    } finally {
      await server.close();
      repo.cleanup();
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
