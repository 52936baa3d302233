/**
 * OpenAI Chat Completions (`POST /v1/chat/completions`), the API Qwen Code, opencode and Kilo
 * speak to an OpenAI-compatible provider. A streamed reply is SSE `data:` chunks without event
 * names: a role chunk, the text, the tool calls (one chunk each, `index` + `id` + the whole
 * `arguments` string), a finish chunk, then `data: [DONE]`. Usage goes in its own final chunk
 * with `choices: []` when the client asked for it (`stream_options.include_usage`), else on the
 * finish chunk, where the AI SDK and most compatible servers put it too.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, sseEvent, startSse } from './server.js';
import type { FamilyCodec, ModelReply, ModelRequest, ParsedHttpRequest, ToolSpec } from './types.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `content` is a string or a list of parts (`{type:'text', text}`, images, ...). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

/**
 * The user's own words in a message: Qwen Code puts its context (skills, folder listing, date)
 * in `<system-reminder>` parts of the first user message, before the prompt part.
 */
function promptText(content: unknown): string {
  if (!Array.isArray(content)) return contentText(content);
  const own = content.filter(
    (part) =>
      !(
        isRecord(part) &&
        typeof part.text === 'string' &&
        /^\s*<system-reminder>[\s\S]*<\/system-reminder>\s*$/.test(part.text)
      ),
  );
  return contentText(own.length > 0 ? own : content);
}

function toolSpecs(tools: unknown): ToolSpec[] {
  if (!Array.isArray(tools)) return [];
  const specs: ToolSpec[] = [];
  for (const tool of tools) {
    const fn = isRecord(tool) && isRecord(tool.function) ? tool.function : undefined;
    if (!fn || typeof fn.name !== 'string') continue;
    specs.push({
      name: fn.name,
      ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
      parameters: isRecord(fn.parameters) ? fn.parameters : {},
    });
  }
  return specs;
}

function messageText(message: Json): string {
  const parts = [contentText(message.content)];
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      if (isRecord(call) && isRecord(call.function) && typeof call.function.arguments === 'string') {
        parts.push(call.function.arguments);
      }
    }
  }
  return parts.filter((text) => text !== '').join('\n');
}

function parseChat(request: ParsedHttpRequest): Omit<ModelRequest, 'agent' | 'family'> {
  const body = isRecord(request.body) ? request.body : {};
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
  const firstUser = messages.find((message) => message.role === 'user');
  const format = isRecord(body.response_format) ? body.response_format.type : undefined;
  return {
    model: typeof body.model === 'string' ? body.model : '',
    stream: body.stream === true,
    tools: toolSpecs(body.tools),
    prompt: firstUser ? promptText(firstUser.content) : '',
    transcript: messages.map(messageText).join('\n'),
    assistantTurns: messages.filter((message) => message.role === 'assistant').length,
    wantsJson: format === 'json_object' || format === 'json_schema',
  };
}

function wantsUsageChunk(body: unknown): boolean {
  return isRecord(body) && isRecord(body.stream_options) && body.stream_options.include_usage === true;
}

/** 401 and 429 carry the type/code pairs OpenAI sends, which the OpenAI SDK's error classes key on. */
function errorCode(status: number): string {
  if (status === 401) return 'invalid_api_key';
  if (status === 429) return 'rate_limit_exceeded';
  return 'server_error';
}

function errorType(status: number, fallback: string): string {
  if (status === 401) return 'invalid_request_error';
  if (status === 429) return 'requests';
  return fallback;
}

interface ChatIds {
  id: string;
  created: number;
}

function usageBody(reply: Extract<ModelReply, { kind: 'message' }>): Json {
  const { inputTokens, outputTokens } = reply.usage;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
  };
}

function writeStream(
  reply: Extract<ModelReply, { kind: 'message' }>,
  request: ModelRequest,
  res: ServerResponse,
  usageChunk: boolean,
  ids: ChatIds,
): void {
  const chunk = (choices: Json[], extra: Json = {}): Json => ({
    id: ids.id,
    object: 'chat.completion.chunk',
    created: ids.created,
    model: request.model,
    choices,
    ...extra,
  });
  startSse(res);
  sseEvent(res, chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
  if (reply.text !== '') {
    sseEvent(res, chunk([{ index: 0, delta: { content: reply.text }, finish_reason: null }]));
  }
  reply.toolCalls.forEach((call, index) => {
    const toolCall = {
      index,
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.input) },
    };
    sseEvent(res, chunk([{ index: 0, delta: { tool_calls: [toolCall] }, finish_reason: null }]));
  });
  const finish = reply.toolCalls.length > 0 ? 'tool_calls' : 'stop';
  const finishChoice = { index: 0, delta: {}, finish_reason: finish };
  if (usageChunk) {
    sseEvent(res, chunk([finishChoice]));
    sseEvent(res, chunk([], { usage: usageBody(reply) }));
  } else {
    sseEvent(res, chunk([finishChoice], { usage: usageBody(reply) }));
  }
  res.write('data: [DONE]\n\n');
  res.end();
}

function writeJson(
  reply: Extract<ModelReply, { kind: 'message' }>,
  request: ModelRequest,
  res: ServerResponse,
  ids: ChatIds,
): void {
  const message: Json = { role: 'assistant', content: reply.text === '' ? null : reply.text };
  if (reply.toolCalls.length > 0) {
    message.tool_calls = reply.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.input) },
    }));
  }
  sendJson(res, 200, {
    id: ids.id,
    object: 'chat.completion',
    created: ids.created,
    model: request.model,
    choices: [
      {
        index: 0,
        message,
        finish_reason: reply.toolCalls.length > 0 ? 'tool_calls' : 'stop',
        logprobs: null,
      },
    ],
    usage: usageBody(reply),
  });
}

let completionCounter = 0;

export const openAiChatCodec: FamilyCodec = {
  family: 'openai-chat',
  isModelCall: (request) => request.method === 'POST' && /^(\/v1)?\/chat\/completions$/.test(request.path),
  // The server spreads the parsed object into the ModelRequest it hands to write(), so an extra
  // key travels along: whether this client asked for the separate usage chunk.
  parse: (request) => ({ ...parseChat(request), includeUsage: wantsUsageChunk(request.body) }),
  write: (reply, request, res) => {
    if (reply.kind === 'http_error') {
      const headers: Record<string, string> = {};
      // A short explicit wait (the OpenAI SDK and Qwen Code read `retry-after-ms` first): without
      // one the CLIs fall back to their own exponential backoff of a minute or more.
      if (reply.status === 429) Object.assign(headers, { 'retry-after-ms': '50', 'retry-after': '0' });
      sendJson(
        res,
        reply.status,
        {
          error: {
            message: reply.message,
            type: errorType(reply.status, reply.errorType),
            code: errorCode(reply.status),
            param: null,
          },
        },
        headers,
      );
      return;
    }
    completionCounter++;
    const ids: ChatIds = { id: `chatcmpl-sko-${completionCounter}`, created: Math.floor(Date.now() / 1000) };
    const usageChunk = (request as ModelRequest & { includeUsage?: boolean }).includeUsage === true;
    if (request.stream) writeStream(reply, request, res, usageChunk, ids);
    else writeJson(reply, request, res, ids);
  },
  handleOther: (request, res) => {
    // Model lists: some clients list models before the first turn (or to validate the name).
    if (request.method === 'GET' && /^(\/v1)?\/models$/.test(request.path)) {
      sendJson(res, 200, { object: 'list', data: [] });
      return true;
    }
    return false;
  },
};
