/** The Anthropic Messages codec: what it reads from a request and the wire format it writes. */
import { afterEach, describe, expect, it } from 'vitest';
import { anthropicCodec, parseMessages } from './model-server/anthropic.js';
import { type ModelServer, startModelServer } from './model-server/server.js';

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const BASH = {
  name: 'Bash',
  description: 'run',
  input_schema: { type: 'object', properties: { command: { type: 'string' } } },
};

function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function sseEvents(text: string): { event: string; data: Record<string, unknown> }[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? '{}') as Record<string, unknown>;
      return { event, data };
    });
}

describe('anthropic codec', () => {
  it('reads the prompt without Claude Code system reminders, tools, turns and JSON requests', () => {
    const parsed = parseMessages({
      method: 'POST',
      path: '/v1/messages',
      query: new URLSearchParams(),
      headers: {},
      body: {
        model: 'm',
        stream: true,
        system: [{ type: 'text', text: 'gitStatus: WP09 commit' }],
        tools: [BASH, { type: 'web_search_20250305', name: 'web_search' }],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: '<system-reminder>work package WP07</system-reminder>' },
              { type: 'text', text: 'Implement work package WP01' },
            ],
          },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls' } }],
          },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'file.txt' }] },
        ],
        output_config: { format: { type: 'json_schema', schema: {} } },
      },
    });
    expect(parsed.prompt).toBe('Implement work package WP01');
    expect(parsed.transcript).not.toContain('WP07');
    expect(parsed.transcript).not.toContain('WP09');
    expect(parsed.transcript).toContain('file.txt');
    expect(parsed.tools.map((tool) => tool.name)).toEqual(['Bash']);
    expect(parsed.assistantTurns).toBe(1);
    expect(parsed.wantsJson).toBe(true);
  });

  it('streams a tool call as tool_use blocks with input_json_delta, usage and stop_reason tool_use', async () => {
    server = await startModelServer({ codecs: [anthropicCodec] });
    const response = await post(server.baseUrl('claude-code'), {
      model: 'sko-m',
      stream: true,
      tools: [BASH],
      messages: [{ role: 'user', content: 'Implement work package WP01' }],
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = sseEvents(await response.text());
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events.every((event) => event.data.type === event.event)).toBe(true);
    expect(events[1]?.data.content_block).toMatchObject({ type: 'tool_use', name: 'Bash' });
    const delta = events[2]?.data.delta as { type: string; partial_json: string };
    expect(delta.type).toBe('input_json_delta');
    expect((JSON.parse(delta.partial_json) as { command: string }).command).toContain(
      'real-agent-output/WP01.txt',
    );
    expect(events[4]?.data).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { input_tokens: 1000, output_tokens: 40 },
    });
    expect(server.requests[0]).toMatchObject({ model: 'sko-m', role: 'implementation', wp: 'WP01' });
  });

  it('answers a non-streamed request with one message and end_turn', async () => {
    server = await startModelServer({ codecs: [anthropicCodec] });
    const response = await post(server.baseUrl('claude-code'), {
      model: 'sko-m',
      messages: [{ role: 'user', content: 'title this' }],
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: 'OK' }],
    });
  });

  it('writes faults in the API error shape with the status', async () => {
    server = await startModelServer({
      codecs: [anthropicCodec],
      scenario: { faults: { 'claude-code': 'rate_limit' } },
    });
    const response = await post(server.baseUrl('claude-code'), { model: 'm', stream: true, messages: [] });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('0');
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Rate limit exceeded' },
    });
  });

  it('serves count_tokens', async () => {
    server = await startModelServer({ codecs: [anthropicCodec] });
    const response = await fetch(`${server.baseUrl('claude-code')}/v1/messages/count_tokens`, {
      method: 'POST',
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hello there' }] }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
    expect(server.requests[0]?.unhandled).toBe(false);
  });
});
