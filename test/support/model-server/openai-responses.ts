/**
 * OpenAI Responses API (`POST /v1/responses`), the only wire API Codex CLI speaks to a custom
 * provider (`wire_api = "responses"`; "chat" was removed). Codex streams: its SSE reader acts on
 * `response.created`, `response.output_item.added` / `.done` (each item parsed as a ResponseItem:
 * `message` with `output_text` parts, `function_call` {call_id, name, arguments string}),
 * `response.output_text.delta`, and `response.completed` {response:{id, usage}}, whose usage must
 * carry input_tokens, output_tokens and total_tokens or the whole event is refused. A stream
 * that ends without `response.completed` is an error Codex retries, so every reply ends with it.
 *
 * Request side: `input` is a list of items (messages with `input_text` / `output_text` parts,
 * `function_call`, `function_call_output`, `reasoning`...); `instructions` is the system text.
 * Codex adds its own user messages (environment context, AGENTS.md, permissions) around ours,
 * so the prompt is the user message that carries the orchestrator's text, not simply the first.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, sseEvent, startSse } from './server.js';
import type { FamilyCodec, ModelReply, ModelRequest, ParsedHttpRequest, ToolSpec } from './types.js';

type Json = Record<string, unknown>;
type MessageReply = Extract<ModelReply, { kind: 'message' }>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Item types the model produced (they make up an assistant turn when replayed in `input`). */
const OUTPUT_ITEM_TYPES = new Set([
  'function_call',
  'custom_tool_call',
  'local_shell_call',
  'reasoning',
  'web_search_call',
]);

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

function isAssistantItem(item: Json): boolean {
  if (item.type === 'message' || item.type === undefined) return item.role === 'assistant';
  return typeof item.type === 'string' && OUTPUT_ITEM_TYPES.has(item.type);
}

/** Contiguous runs of model-produced items: one run per earlier model response. */
function countAssistantTurns(items: readonly Json[]): number {
  let turns = 0;
  let inRun = false;
  for (const item of items) {
    const assistant = isAssistantItem(item);
    if (assistant && !inRun) turns++;
    inRun = assistant;
  }
  return turns;
}

function itemText(item: Json): string {
  if (item.type === 'function_call' && typeof item.arguments === 'string') return item.arguments;
  if (item.type === 'custom_tool_call' && typeof item.input === 'string') return item.input;
  if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') {
    return typeof item.output === 'string' ? item.output : contentText(item.output);
  }
  return contentText(item.content);
}

/** Codex's own context messages are XML-ish blocks or the AGENTS.md header; ours are not. */
function isCodexContext(text: string): boolean {
  const start = text.trimStart();
  return start.startsWith('<') || start.startsWith('# AGENTS.md');
}

function promptOf(items: readonly Json[]): string {
  const users = items.filter((item) => item.role === 'user').map((item) => contentText(item.content));
  return users.find((text) => text !== '' && !isCodexContext(text)) ?? users[0] ?? '';
}

/**
 * Function tools are the ones the script can call; Codex also offers freeform (`custom`) tools
 * such as apply_patch and built-ins such as web_search, which are listed by name only.
 */
function toolSpecs(tools: unknown): ToolSpec[] {
  if (!Array.isArray(tools)) return [];
  const specs: ToolSpec[] = [];
  for (const tool of tools) {
    if (!isRecord(tool)) continue;
    const name =
      typeof tool.name === 'string' ? tool.name : typeof tool.type === 'string' ? tool.type : undefined;
    if (!name) continue;
    specs.push({
      name,
      ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
      parameters: tool.type === 'function' && isRecord(tool.parameters) ? tool.parameters : {},
    });
  }
  return specs;
}

export function parseResponsesRequest(request: ParsedHttpRequest): Omit<ModelRequest, 'agent' | 'family'> {
  const body = isRecord(request.body) ? request.body : {};
  const items = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : [];
  if (Array.isArray(body.input)) items.push(...(body.input.filter(isRecord) as typeof items));
  const all = items as Json[];
  const format = isRecord(body.text) && isRecord(body.text.format) ? body.text.format.type : undefined;
  const instructions = typeof body.instructions === 'string' ? body.instructions : '';
  return {
    model: typeof body.model === 'string' ? body.model : '',
    stream: body.stream === true,
    tools: toolSpecs(body.tools),
    prompt: promptOf(all),
    transcript: [instructions, ...all.map(itemText)].filter((text) => text !== '').join('\n'),
    assistantTurns: countAssistantTurns(all),
    wantsJson: format === 'json_schema' || format === 'json_object',
  };
}

let responseCounter = 0;

interface OutputItems {
  id: string;
  items: Json[];
}

function outputItems(reply: MessageReply): OutputItems {
  responseCounter++;
  const id = `resp_sko_${responseCounter}`;
  const items: Json[] = [];
  if (reply.text !== '') {
    items.push({
      type: 'message',
      id: `msg_sko_${responseCounter}`,
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: reply.text, annotations: [] }],
    });
  }
  for (const call of reply.toolCalls) {
    items.push({
      type: 'function_call',
      id: `fc_sko_${call.id}`,
      call_id: call.id,
      name: call.name,
      arguments: JSON.stringify(call.input),
      status: 'completed',
    });
  }
  return { id, items };
}

function usageBody(reply: MessageReply): Json {
  const { inputTokens, outputTokens } = reply.usage;
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: inputTokens + outputTokens,
  };
}

function responseObject(
  request: ModelRequest,
  id: string,
  status: string,
  output: Json[],
  usage?: Json,
): Json {
  return {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model: request.model,
    output,
    ...(usage ? { usage } : {}),
  };
}

function writeStream(reply: MessageReply, request: ModelRequest, res: ServerResponse): void {
  const { id, items } = outputItems(reply);
  let sequence = 0;
  const send = (data: Json) => sseEvent(res, { ...data, sequence_number: sequence++ }, String(data.type));
  startSse(res);
  send({ type: 'response.created', response: responseObject(request, id, 'in_progress', []) });
  items.forEach((item, index) => {
    const pending = item.type === 'message' ? { ...item, status: 'in_progress', content: [] } : item;
    send({ type: 'response.output_item.added', output_index: index, item: pending });
    if (item.type === 'message') {
      send({
        type: 'response.output_text.delta',
        item_id: item.id,
        output_index: index,
        content_index: 0,
        delta: reply.text,
      });
    }
    send({ type: 'response.output_item.done', output_index: index, item });
  });
  send({
    type: 'response.completed',
    response: responseObject(request, id, 'completed', items, usageBody(reply)),
  });
  res.end();
}

/**
 * 401 / 429 bodies in OpenAI's shape. Codex reads the 429 delay from the message ("try again in
 * Ns") when the code is rate_limit_exceeded, so the message names a short one: the tests must
 * not wait on our word, and Codex's own retry settings (in the profile) bound the rest.
 */
function errorBody(reply: Extract<ModelReply, { kind: 'http_error' }>): Json {
  if (reply.status === 401) {
    return {
      error: { message: reply.message, type: 'invalid_request_error', code: 'invalid_api_key', param: null },
    };
  }
  if (reply.status === 429) {
    return {
      error: {
        message: `${reply.message}. Please try again in 0.1s.`,
        type: 'requests',
        code: 'rate_limit_exceeded',
        param: null,
      },
    };
  }
  return { error: { message: reply.message, type: 'server_error', code: 'server_error', param: null } };
}

export const openAiResponsesCodec: FamilyCodec = {
  family: 'openai-responses',
  isModelCall: (request) => request.method === 'POST' && /^(\/v1)?\/responses$/.test(request.path),
  parse: parseResponsesRequest,
  write: (reply, request, res) => {
    if (reply.kind === 'http_error') {
      const headers: Record<string, string> = reply.status === 429 ? { 'retry-after': '0' } : {};
      sendJson(res, reply.status, errorBody(reply), headers);
      return;
    }
    if (request.stream) {
      writeStream(reply, request, res);
      return;
    }
    const { id, items } = outputItems(reply);
    sendJson(res, 200, responseObject(request, id, 'completed', items, usageBody(reply)));
  },
  handleOther: (request, res) => {
    // Codex refreshes its model catalog from `<base_url>/models` (the provider's list).
    if (request.method === 'GET' && /^(\/v1)?\/models$/.test(request.path)) {
      sendJson(res, 200, { object: 'list', data: [], models: [] });
      return true;
    }
    return false;
  },
};
