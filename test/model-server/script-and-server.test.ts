/**
 * The scripted model server's own behaviour, through a minimal JSON codec of the test's own:
 * routing by agent prefix, the request log, faults, the implementer's shell call and the
 * reviewer's verdict sequence. The real API codecs are proven by the real CLIs that call them.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { buildImplementationPrompt, buildReviewPrompt } from '../../src/agents/prompts.js';
import {
  createScriptState,
  decideReply,
  findShellTool,
  implementationCommand,
  shellArguments,
} from '../support/model-server/script.js';
import { type ModelServer, sendJson, startModelServer } from '../support/model-server/server.js';
import type { FamilyCodec, ModelRequest, ToolSpec } from '../support/model-server/types.js';

const BASH: ToolSpec = {
  name: 'Bash',
  parameters: {
    type: 'object',
    properties: { command: { type: 'string' }, description: { type: 'string' } },
    required: ['command', 'description'],
  },
};
const CODEX_SHELL: ToolSpec = {
  name: 'shell',
  parameters: {
    type: 'object',
    properties: { command: { type: 'array' }, workdir: { type: 'string' } },
    required: ['command'],
  },
};
const WP_PROMPT = '---\nwork_package_id: WP03\nsubtasks: [T005, T006]\n---\n# WP03 Parser\n';

function request(overrides: Partial<ModelRequest>): ModelRequest {
  return {
    family: 'openai-chat',
    agent: 'qwen',
    model: 'test-model',
    stream: false,
    tools: [BASH],
    prompt: '',
    transcript: '',
    assistantTurns: 0,
    wantsJson: false,
    ...overrides,
  };
}

/** A codec of this test: POST /chat with `{model, prompt, turns, tools}`, the reply as JSON. */
const probeCodec: FamilyCodec = {
  family: 'openai-chat',
  isModelCall: (r) => r.method === 'POST' && r.path === '/chat',
  parse: (r) => {
    const body = r.body as { model: string; prompt: string; turns: number; tools?: ToolSpec[] };
    return {
      model: body.model,
      stream: false,
      tools: body.tools ?? [BASH],
      prompt: body.prompt,
      transcript: body.prompt,
      assistantTurns: body.turns,
      wantsJson: false,
    };
  },
  write: (reply, _request, res: ServerResponse) =>
    reply.kind === 'http_error'
      ? sendJson(res, reply.status, { error: reply.message })
      : sendJson(res, 200, reply),
  handleOther: (r, res) => {
    if (r.path !== '/models') return false;
    sendJson(res, 200, { models: ['test-model'] });
    return true;
  },
};

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(base: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}/chat`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('script', () => {
  it("builds the implementer's one shell call from the prompt: the WP file and the mark-status line", () => {
    const prompt = buildImplementationPrompt({
      wpPrompt: WP_PROMPT,
      mission: '007-m',
      subtaskIds: ['T005', 'T006'],
    });
    const command = implementationCommand(request({ prompt }), 'WP03');
    expect(command).toContain(
      "printf '%s\\n' 'WP03 implemented by qwen (model test-model)' >> real-agent-output/WP03.txt",
    );
    expect(command).toContain(
      'spec-kitty agent tasks mark-status T005 T006 --status done --mission 007-m --json',
    );
  });

  it("shapes the shell call by the tool's schema: a string command with its required description, or an argv", () => {
    expect(shellArguments(BASH, 'ls')).toEqual({
      command: 'ls',
      description: 'write the work package output',
    });
    expect(shellArguments(CODEX_SHELL, 'ls')).toEqual({ command: ['bash', '-lc', 'ls'] });
    expect(findShellTool([{ name: 'read_file', parameters: {} }, CODEX_SHELL])?.name).toBe('shell');
    expect(findShellTool([{ name: 'read_file', parameters: {} }])).toBeUndefined();
  });

  it('answers a reviewer with the scenario verdicts in order, the last one repeating', () => {
    const state = createScriptState();
    const prompt = buildReviewPrompt({
      wpPrompt: WP_PROMPT,
      mission: '007-m',
      wpId: 'WP03',
      diffSummary: '',
    });
    const scenario = {
      reviews: { WP03: ['changes_requested' as const, 'approved' as const] },
      feedback: 'Add tests',
    };
    const texts = [1, 2, 3].map(() => {
      const reply = decideReply(request({ prompt }), scenario, state);
      return reply.kind === 'message' ? reply.text : reply.kind;
    });
    expect(texts[0]).toMatch(/VERDICT: changes_requested\s+Add tests/);
    expect(texts[1]).toMatch(/VERDICT: approved/);
    expect(texts[2]).toMatch(/VERDICT: approved/);
  });
});

describe('server', () => {
  it('routes by agent prefix, logs each request with model, role and WP, and answers side endpoints', async () => {
    server = await startModelServer({ codecs: [probeCodec] });
    const prompt = buildImplementationPrompt({ wpPrompt: WP_PROMPT, mission: '007-m', subtaskIds: ['T005'] });
    const first = await post(server.baseUrl('qwen'), { model: 'm1', prompt, turns: 0 });
    expect(first.status).toBe(200);
    expect((first.json.toolCalls as unknown[]).length).toBe(1);
    const second = await post(server.baseUrl('qwen'), { model: 'm1', prompt, turns: 1 });
    expect(second.json.text).toMatch(/Implemented WP03/);
    const models = await fetch(`${server.baseUrl('qwen')}/models`);
    expect(models.status).toBe(200);
    const missing = await fetch(`${server.baseUrl('qwen')}/nowhere`);
    expect(missing.status).toBe(404);
    expect(
      server.requests.map((r) => [r.agent, r.path, r.model, r.role, r.wp, r.status, r.unhandled]),
    ).toEqual([
      ['qwen', '/chat', 'm1', 'implementation', 'WP03', 200, false],
      ['qwen', '/chat', 'm1', 'implementation', 'WP03', 200, false],
      ['qwen', '/models', null, null, null, 200, false],
      ['qwen', '/nowhere', null, null, null, 404, true],
    ]);
  });

  it("fails only the faulted agent's requests, and a hang holds the request open until close", async () => {
    server = await startModelServer({
      codecs: [probeCodec],
      scenario: { faults: { codex: 'auth', gemini: 'hang' } },
    });
    expect((await post(server.baseUrl('codex'), { model: 'm', prompt: 'x', turns: 0 })).status).toBe(401);
    expect((await post(server.baseUrl('qwen'), { model: 'm', prompt: 'x', turns: 0 })).status).toBe(200);
    server.setScenario({ faults: { codex: 'rate_limit' } });
    expect((await post(server.baseUrl('codex'), { model: 'm', prompt: 'x', turns: 0 })).status).toBe(429);
    server.setScenario({ faults: { codex: 'hang' } });
    const hanging = post(server.baseUrl('codex'), { model: 'm', prompt: 'x', turns: 0 }).then(
      () => 'answered',
      () => 'cut',
    );
    const raced = await Promise.race([
      hanging,
      new Promise((resolve) => setTimeout(() => resolve('still open'), 300)),
    ]);
    expect(raced).toBe('still open');
    await server.close();
    server = undefined;
    expect(await hanging).toBe('cut');
  });
});
