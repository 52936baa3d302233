/**
 * The Responses API codec on its own, over real HTTP: what it reads from a request shaped like
 * codex-cli 0.171.0's (as 0.169.0's: developer messages, Codex's environment context, our
 * prompt, a replayed function call and its output) and the SSE / JSON / error bodies it writes.
 * The real Codex run in test/real-agents/codex.test.ts proves Codex accepts them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openAiResponsesCodec, parseResponsesRequest } from '../support/model-server/openai-responses.js';
import { type ModelServer, startModelServer } from '../support/model-server/server.js';

const EXEC_COMMAND = {
  type: 'function',
  name: 'exec_command',
  strict: false,
  parameters: {
    type: 'object',
    properties: { cmd: { type: 'string' }, login: { type: 'boolean' } },
    required: ['cmd'],
  },
};
const PROMPT =
  'Implement work package WP01.\nspec-kitty agent tasks mark-status T001 --status done --mission 001-x --json';

const text = (type: string, value: string) => [{ type, text: value }];

function codexBody(extra: unknown[] = []) {
  return {
    model: 'sko-model',
    stream: true,
    instructions: 'system words',
    tools: [EXEC_COMMAND, { type: 'web_search' }, { type: 'namespace', name: 'multi_agent_v1' }],
    input: [
      { type: 'message', role: 'developer', content: text('input_text', 'You are a coding agent') },
      { type: 'message', role: 'user', content: text('input_text', '<environment_context>\n<cwd>/w</cwd>') },
      { type: 'message', role: 'user', content: text('input_text', PROMPT) },
      ...extra,
    ],
  };
}

const replayedCall = [
  { type: 'reasoning', summary: [] },
  { type: 'function_call', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"ls"}' },
  { type: 'function_call_output', call_id: 'call_1', output: 'Process exited with code 0' },
];

function parse(body: unknown) {
  return parseResponsesRequest({
    method: 'POST',
    path: '/v1/responses',
    query: new URLSearchParams(),
    headers: {},
    body,
  });
}

describe('responses codec: reading a request', () => {
  it('finds our prompt behind Codex context messages, the function tools, and no earlier turn', () => {
    const request = parse(codexBody());
    expect(request.prompt).toBe(PROMPT);
    expect(request.model).toBe('sko-model');
    expect(request.stream).toBe(true);
    expect(request.assistantTurns).toBe(0);
    expect(request.tools.map((tool) => tool.name)).toEqual(['exec_command', 'web_search', 'multi_agent_v1']);
    expect(request.tools[0]?.parameters).toEqual(EXEC_COMMAND.parameters);
    expect(request.transcript).toContain('system words');
  });

  it('counts a replayed reasoning + function call as one assistant turn and keeps the tool output', () => {
    const request = parse(codexBody(replayedCall));
    expect(request.assistantTurns).toBe(1);
    expect(request.transcript).toContain('Process exited with code 0');
    const two = parse(
      codexBody([
        ...replayedCall,
        { type: 'message', role: 'assistant', content: text('output_text', 'done') },
      ]),
    );
    expect(two.assistantTurns).toBe(2);
  });

  it('reads JSON mode from text.format', () => {
    const body = { ...codexBody(), text: { format: { type: 'json_schema', name: 's', schema: {} } } };
    expect(parse(body).wantsJson).toBe(true);
    expect(parse(codexBody()).wantsJson).toBe(false);
  });
});

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function sseEvents(body: string): SseEvent[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1] ?? '';
      const data = JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>;
      return { event, data };
    });
}

describe('responses codec: writing replies', () => {
  let server: ModelServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const post = async (body: unknown) => {
    server ??= await startModelServer({ codecs: [openAiResponsesCodec] });
    return fetch(`${server.baseUrl('codex')}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  };

  it('streams the implementer a function_call item and ends with response.completed and full usage', async () => {
    const response = await post(codexBody());
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = sseEvents(await response.text());
    expect(events.map((e) => e.event)).toEqual([
      'response.created',
      'response.output_item.added',
      'response.output_item.done',
      'response.completed',
    ]);
    for (const e of events) expect(e.data.type).toBe(e.event);
    const item = events[2]?.data.item as Record<string, unknown>;
    expect(item).toMatchObject({ type: 'function_call', name: 'exec_command', status: 'completed' });
    expect(typeof item.call_id).toBe('string');
    const args = JSON.parse(String(item.arguments)) as { cmd: string };
    expect(args.cmd).toContain('real-agent-output/WP01.txt');
    expect(args.cmd).toContain(
      'spec-kitty agent tasks mark-status T001 --status done --mission 001-x --json',
    );
    const completed = events[3]?.data.response as Record<string, unknown>;
    expect(completed.status).toBe('completed');
    expect(completed.usage).toEqual({
      input_tokens: 1000,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 40,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 1040,
    });
  });

  it('streams the final answer as a message with a text delta', async () => {
    const events = sseEvents(await (await post(codexBody(replayedCall))).text());
    const delta = events.find((e) => e.event === 'response.output_text.delta');
    expect(String(delta?.data.delta)).toMatch(/^Implemented WP01/);
    const done = events.find((e) => e.event === 'response.output_item.done')?.data.item;
    expect(done).toMatchObject({ type: 'message', role: 'assistant' });
  });

  it('answers a non-streaming request with one response object', async () => {
    const body = await (await post({ ...codexBody(replayedCall), stream: false })).json();
    expect(body).toMatchObject({ object: 'response', status: 'completed', model: 'sko-model' });
    expect((body as { output: unknown[] }).output).toHaveLength(1);
  });

  it('writes 401 and 429 in the OpenAI error shape, the 429 with a short retry delay', async () => {
    server = await startModelServer({
      codecs: [openAiResponsesCodec],
      scenario: { faults: { codex: 'auth' } },
    });
    const unauthorized = await post(codexBody());
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toMatchObject({
      error: { code: 'invalid_api_key', type: 'invalid_request_error' },
    });
    server.setScenario({ faults: { codex: 'rate_limit' } });
    const limited = await post(codexBody());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('0');
    const body = (await limited.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limit_exceeded');
    expect(body.error.message).toMatch(/try again in 0\.1s/);
  });
});
