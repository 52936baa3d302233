/**
 * The Gemini API codec on its own, over real HTTP: what it reads from a request shaped like
 * Gemini CLI 0.61.0's (its `<session_context>` opening, our prompt, a replayed function call and
 * its response) and the SSE / JSON / error bodies it writes. The real Gemini CLI run in
 * test/real-agents/gemini.test.ts proves the CLI accepts them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { geminiCodec, sampleOf } from '../support/model-server/gemini.js';
import { type ModelServer, startModelServer } from '../support/model-server/server.js';

const PROMPT =
  'Implement work package WP02.\nspec-kitty agent tasks mark-status T002 --status done --mission 001-x --json';
const SHELL = {
  name: 'run_shell_command',
  parametersJsonSchema: {
    type: 'object',
    properties: { command: { type: 'string' }, description: { type: 'string' } },
    required: ['command'],
  },
};

function body(extra: unknown[] = []) {
  return {
    systemInstruction: { role: 'user', parts: [{ text: 'You are Gemini CLI' }] },
    tools: [{ functionDeclarations: [SHELL, { name: 'read_file', parameters: { type: 'OBJECT' } }] }],
    contents: [
      // The CLI's own opening names other work packages (AGENTS.md, the file tree): not the prompt.
      {
        role: 'user',
        parts: [{ text: '<session_context>\nwork package WP01 mark-status\n</session_context>' }],
      },
      { role: 'user', parts: [{ text: PROMPT }] },
      ...extra,
    ],
  };
}

interface Part {
  text?: string;
  functionCall?: { name: string; args: Record<string, string> };
}
interface GenerateResponse {
  candidates: { content: { parts: Part[] } }[];
  usageMetadata: unknown;
}
interface ErrorBody {
  error: { code: number; status: string; details: Record<string, unknown>[] };
}
interface CountResponse {
  totalTokens: number;
}

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(path: string, payload: unknown): Promise<Response> {
  server ??= await startModelServer({ codecs: [geminiCodec] });
  return fetch(`${server.baseUrl('gemini')}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
}

describe('gemini codec', () => {
  it('reads the prompt past the CLI context, the tools, and answers a first turn with a functionCall', async () => {
    const response = await post('/v1beta/models/sko-m:streamGenerateContent?alt=sse', body());
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = (await response.text())
      .split('\n\n')
      .filter((chunk) => chunk.startsWith('data: '))
      .map((chunk) => JSON.parse(chunk.slice(6)) as GenerateResponse);
    expect(events).toHaveLength(1);
    const [call] = events[0]?.candidates[0]?.content.parts ?? [];
    expect(call?.functionCall?.name).toBe('run_shell_command');
    expect(call?.functionCall?.args.command).toContain('real-agent-output/WP02.txt');
    expect(call?.functionCall?.args.command).toContain('mark-status T002');
    expect(call?.functionCall?.args.command).not.toContain('WP01');
    expect(events[0]?.usageMetadata).toEqual({
      promptTokenCount: 1000,
      candidatesTokenCount: 40,
      totalTokenCount: 1040,
    });
    expect(server?.requests[0]).toMatchObject({
      model: 'sko-m',
      role: 'implementation',
      wp: 'WP02',
      assistantTurns: 0,
    });
  });

  it('counts model turns, so the turn after the function response is the final text (plain JSON)', async () => {
    const extra = [
      { role: 'model', parts: [{ functionCall: { name: 'run_shell_command', args: { command: 'x' } } }] },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'run_shell_command', response: { output: 'ok' } } }],
      },
    ];
    const response = await post('/v1beta/models/sko-m:generateContent', body(extra));
    const json = (await response.json()) as GenerateResponse;
    expect(json.candidates[0]?.content.parts[0]?.text).toMatch(/^Implemented WP02/);
    expect(server?.requests[0]?.assistantTurns).toBe(1);
  });

  it('answers a JSON side check in the shape its schema asks for (next speaker: user)', async () => {
    const schema = {
      type: 'object',
      properties: {
        reasoning: { type: 'string' },
        next_speaker: { type: 'string', enum: ['user', 'model'] },
      },
    };
    const response = await post('/v1beta/models/flash:generateContent', {
      contents: [{ role: 'user', parts: [{ text: 'Who speaks next?' }] }],
      generationConfig: { responseMimeType: 'application/json', responseJsonSchema: schema },
    });
    const json = (await response.json()) as GenerateResponse;
    expect(JSON.parse(json.candidates[0]?.content.parts[0]?.text ?? '')).toEqual({
      reasoning: 'No issue.',
      next_speaker: 'user',
    });
    expect(server?.requests[0]?.role).toBe('side');
    expect(sampleOf({ type: 'NUMBER' })).toBe(0);
  });

  it('writes Google RPC error bodies: 429 RESOURCE_EXHAUSTED with RetryInfo, 401 UNAUTHENTICATED', async () => {
    server = await startModelServer({
      codecs: [geminiCodec],
      scenario: { faults: { gemini: 'rate_limit' } },
    });
    const limited = await post('/v1beta/models/sko-m:streamGenerateContent?alt=sse', body());
    expect(limited.status).toBe(429);
    const { error } = (await limited.json()) as ErrorBody;
    expect(error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(error.details[0]?.['@type']).toBe('type.googleapis.com/google.rpc.RetryInfo');
    server.setScenario({ faults: { gemini: 'auth' } });
    const denied = await post('/v1beta/models/sko-m:streamGenerateContent?alt=sse', body());
    expect(((await denied.json()) as ErrorBody).error).toMatchObject({
      code: 401,
      status: 'UNAUTHENTICATED',
    });
  });

  it('answers countTokens itself, and leaves other paths unhandled', async () => {
    const counted = await post('/v1beta/models/sko-m:countTokens', body());
    expect(((await counted.json()) as CountResponse).totalTokens).toBeGreaterThan(0);
    const other = await post('/v1beta/models/sko-m:embedContent', {});
    expect(other.status).toBe(404);
    expect(server?.requests.map((request) => request.unhandled)).toEqual([false, true]);
  });
});
