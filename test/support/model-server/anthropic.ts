/**
 * The Anthropic Messages API (`POST /v1/messages`, Claude Code's only model API). A turn is
 * `messages` of `{role, content}`, content a string or blocks (`text`, `tool_use {id, name,
 * input}`, `tool_result {tool_use_id, content}`); tools are `{name, description, input_schema}`.
 * A streamed reply is SSE with event names: message_start, per block content_block_start /
 * content_block_delta (text_delta or input_json_delta) / content_block_stop, message_delta
 * (stop_reason, usage), message_stop. Errors are `{type:'error', error:{type, message}}`.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, sseEvent, startSse } from './server.js';
import type { FamilyCodec, ModelReply, ModelRequest, ParsedHttpRequest, ToolSpec } from './types.js';

type Json = Record<string, unknown>;
type MessageReply = Extract<ModelReply, { kind: 'message' }>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Claude Code adds `<system-reminder>` blocks of its own to user turns (context files, the git
 * status, todo nudges); they are not the conversation and may name other work packages.
 */
function isCliContext(text: string): boolean {
  return /^\s*<system-reminder>/.test(text);
}

function blockText(block: unknown): string {
  if (typeof block === 'string') return isCliContext(block) ? '' : block;
  if (!isRecord(block)) return '';
  if (block.type === 'text' && typeof block.text === 'string')
    return isCliContext(block.text) ? '' : block.text;
  if (block.type === 'tool_use') return JSON.stringify(block.input ?? {});
  if (block.type === 'tool_result') return contentText(block.content);
  return '';
}

function contentText(content: unknown): string {
  const blocks = Array.isArray(content) ? content : [content];
  return blocks
    .map(blockText)
    .filter((text) => text !== '')
    .join('\n');
}

function toolSpecs(tools: unknown): ToolSpec[] {
  if (!Array.isArray(tools)) return [];
  const specs: ToolSpec[] = [];
  for (const tool of tools) {
    // Server tools (web_search_...) have a `type` and no schema: the script cannot call them.
    if (!isRecord(tool) || typeof tool.name !== 'string' || !isRecord(tool.input_schema)) continue;
    specs.push({
      name: tool.name,
      ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
      parameters: tool.input_schema,
    });
  }
  return specs;
}

/** Structured output: `output_format` (beta) or `output_config.format`, both `{type:'json_schema'}`. */
function asksForJson(body: Json): boolean {
  const format = isRecord(body.output_format)
    ? body.output_format
    : isRecord(body.output_config) && isRecord(body.output_config.format)
      ? body.output_config.format
      : undefined;
  return format?.type === 'json_schema';
}

export function parseMessages(request: ParsedHttpRequest): Omit<ModelRequest, 'agent' | 'family'> {
  const body = isRecord(request.body) ? request.body : {};
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
  const firstUser = messages.find((message) => message.role === 'user');
  return {
    model: typeof body.model === 'string' ? body.model : '',
    stream: body.stream === true,
    tools: toolSpecs(body.tools),
    prompt: firstUser ? contentText(firstUser.content) : '',
    // The system prompt is Claude Code's own (with the git status in it), not the orchestrator's.
    transcript: messages.map((message) => contentText(message.content)).join('\n'),
    assistantTurns: messages.filter((message) => message.role === 'assistant').length,
    wantsJson: asksForJson(body),
  };
}

let messageCounter = 0;

function contentBlocks(reply: MessageReply): Json[] {
  const blocks: Json[] = [];
  if (reply.text !== '') blocks.push({ type: 'text', text: reply.text });
  for (const call of reply.toolCalls) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input });
  }
  return blocks;
}

function stopReason(reply: MessageReply): string {
  return reply.toolCalls.length > 0 ? 'tool_use' : 'end_turn';
}

function usageBody(reply: MessageReply, outputTokens: number): Json {
  return {
    input_tokens: reply.usage.inputTokens,
    output_tokens: outputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

function writeStream(reply: MessageReply, request: ModelRequest, res: ServerResponse, id: string): void {
  startSse(res);
  sseEvent(
    res,
    {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: request.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: usageBody(reply, 1),
      },
    },
    'message_start',
  );
  contentBlocks(reply).forEach((block, index) => {
    if (block.type === 'text') {
      sseEvent(
        res,
        { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
        'content_block_start',
      );
      const delta = { type: 'text_delta', text: block.text };
      sseEvent(res, { type: 'content_block_delta', index, delta }, 'content_block_delta');
    } else {
      const start = { type: 'tool_use', id: block.id, name: block.name, input: {} };
      sseEvent(res, { type: 'content_block_start', index, content_block: start }, 'content_block_start');
      const delta = { type: 'input_json_delta', partial_json: JSON.stringify(block.input) };
      sseEvent(res, { type: 'content_block_delta', index, delta }, 'content_block_delta');
    }
    sseEvent(res, { type: 'content_block_stop', index }, 'content_block_stop');
  });
  sseEvent(
    res,
    {
      type: 'message_delta',
      delta: { stop_reason: stopReason(reply), stop_sequence: null },
      usage: usageBody(reply, reply.usage.outputTokens),
    },
    'message_delta',
  );
  sseEvent(res, { type: 'message_stop' }, 'message_stop');
  res.end();
}

function writeJson(reply: MessageReply, request: ModelRequest, res: ServerResponse, id: string): void {
  sendJson(res, 200, {
    id,
    type: 'message',
    role: 'assistant',
    model: request.model,
    content: contentBlocks(reply),
    stop_reason: stopReason(reply),
    stop_sequence: null,
    usage: usageBody(reply, reply.usage.outputTokens),
  });
}

/**
 * Error bodies as the API sends them. A 429 says retry at once (`retry-after: 0`), so a test does
 * not wait on our header whatever the client's own backoff; `x-should-retry: false` on the 500
 * tells the SDK not to retry a fault the scenario makes permanent.
 */
function writeError(reply: Extract<ModelReply, { kind: 'http_error' }>, res: ServerResponse): void {
  const headers: Record<string, string> = { 'request-id': `req_sko_${++messageCounter}` };
  if (reply.status === 429) headers['retry-after'] = '0';
  if (reply.status >= 500) headers['x-should-retry'] = 'false';
  sendJson(
    res,
    reply.status,
    { type: 'error', error: { type: reply.errorType, message: reply.message } },
    headers,
  );
}

export const anthropicCodec: FamilyCodec = {
  family: 'anthropic',
  isModelCall: (request) => request.method === 'POST' && request.path === '/v1/messages',
  parse: parseMessages,
  write: (reply, request, res) => {
    if (reply.kind === 'http_error') {
      writeError(reply, res);
      return;
    }
    const id = `msg_sko_${++messageCounter}`;
    if (request.stream) writeStream(reply, request, res, id);
    else writeJson(reply, request, res, id);
  },
  handleOther: (request, res) => {
    // Token counting (context-size checks): a rough figure is all a client does with it.
    if (request.method === 'POST' && request.path === '/v1/messages/count_tokens') {
      const size = JSON.stringify(request.body ?? '').length;
      sendJson(res, 200, { input_tokens: Math.max(1, Math.ceil(size / 4)) });
      return true;
    }
    return false;
  },
};
