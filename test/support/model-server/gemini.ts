/**
 * The Gemini API (`POST /v1beta/models/<model>:streamGenerateContent?alt=sse` and
 * `:generateContent`), which Gemini CLI calls through the genai SDK. A turn is `contents` of
 * `{role: 'user'|'model', parts}`, a part being `{text}`, `{functionCall: {name, args}}` or
 * `{functionResponse: {name, response}}`; tools are `functionDeclarations` whose schema is in
 * `parameters` or `parametersJsonSchema`. A streamed reply is SSE `data:` chunks of
 * GenerateContentResponse (no event names, no terminator); usage is `usageMetadata`. Errors are
 * Google RPC bodies `{error: {code, message, status, details}}`.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, sseEvent, startSse } from './server.js';
import type { FamilyCodec, ModelReply, ModelRequest, ParsedHttpRequest, ToolSpec } from './types.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MODEL_PATH =
  /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/;

function pathParts(request: ParsedHttpRequest): { model: string; method: string } | undefined {
  const match = MODEL_PATH.exec(request.path);
  return match ? { model: decodeURIComponent(match[1] ?? ''), method: match[2] ?? '' } : undefined;
}

function partsOf(content: unknown): Json[] {
  return isRecord(content) && Array.isArray(content.parts) ? content.parts.filter(isRecord) : [];
}

/**
 * Gemini CLI opens every chat with a user content of its own, `<session_context>` (date, OS, the
 * workspace's file tree and context files such as AGENTS.md, which may name other work
 * packages); hooks add `<hook_context>`. Neither is conversation: the script must not read them.
 */
function isCliContext(part: Json): boolean {
  return typeof part.text === 'string' && /^\s*<(session|hook)_context>/.test(part.text);
}

function partText(part: Json): string {
  if (isCliContext(part)) return '';
  if (typeof part.text === 'string') return part.text;
  if (isRecord(part.functionCall)) return JSON.stringify(part.functionCall.args ?? {});
  if (isRecord(part.functionResponse)) return JSON.stringify(part.functionResponse.response ?? {});
  return '';
}

function contentText(content: unknown): string {
  return partsOf(content)
    .map(partText)
    .filter((text) => text !== '')
    .join('\n');
}

function toolSpecs(tools: unknown): ToolSpec[] {
  if (!Array.isArray(tools)) return [];
  const specs: ToolSpec[] = [];
  for (const tool of tools) {
    const declarations =
      isRecord(tool) && Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations : [];
    for (const declaration of declarations) {
      if (!isRecord(declaration) || typeof declaration.name !== 'string') continue;
      const schema = declaration.parametersJsonSchema ?? declaration.parameters;
      specs.push({
        name: declaration.name,
        ...(typeof declaration.description === 'string' ? { description: declaration.description } : {}),
        parameters: isRecord(schema) ? lowerTypes(schema) : {},
      });
    }
  }
  return specs;
}

/** The `parameters` form spells types in upper case (`STRING`); the script reads JSON schema's. */
function lowerTypes(schema: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type' && typeof value === 'string') out[key] = value.toLowerCase();
    else if (key === 'properties' && isRecord(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, isRecord(sub) ? lowerTypes(sub) : sub]),
      );
    } else out[key] = value;
  }
  return out;
}

/** The user text the orchestrator sent: the first user content that is text, not a tool result. */
function firstUserText(contents: Json[]): string {
  for (const content of contents) {
    if (content.role !== 'user') continue;
    const text = partsOf(content)
      .filter((part) => typeof part.text === 'string' && !isCliContext(part))
      .map((part) => part.text as string)
      .join('\n');
    if (text !== '') return text;
  }
  return '';
}

function jsonSchemaOf(config: unknown): Json | undefined {
  if (!isRecord(config)) return undefined;
  const schema = config.responseJsonSchema ?? config.responseSchema;
  return isRecord(schema) ? schema : undefined;
}

function parseGemini(
  request: ParsedHttpRequest,
): Omit<ModelRequest, 'agent' | 'family'> & { jsonSchema?: Json } {
  const body = isRecord(request.body) ? request.body : {};
  const contents = Array.isArray(body.contents) ? body.contents.filter(isRecord) : [];
  const config = isRecord(body.generationConfig) ? body.generationConfig : {};
  const schema = jsonSchemaOf(config);
  return {
    model: pathParts(request)?.model ?? '',
    stream: pathParts(request)?.method === 'streamGenerateContent',
    tools: toolSpecs(body.tools),
    prompt: firstUserText(contents),
    transcript: [contentText(body.systemInstruction), ...contents.map(contentText)]
      .filter((text) => text !== '')
      .join('\n'),
    assistantTurns: contents.filter((content) => content.role === 'model').length,
    wantsJson: config.responseMimeType === 'application/json' || schema !== undefined,
    ...(schema ? { jsonSchema: schema } : {}),
  };
}

/**
 * A value of the schema's shape. Gemini CLI's side checks ask for JSON: whether the model or the
 * user speaks next (`next_speaker`: answering 'user' ends the turn) and loop detection (a
 * confidence: the lowest, 0, says no loop). An enum takes 'user' when offered, else its first.
 */
export function sampleOf(schema: unknown): unknown {
  if (!isRecord(schema)) return {};
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum.includes('user') ? 'user' : schema.enum[0];
  }
  const type = typeof schema.type === 'string' ? schema.type.toLowerCase() : 'object';
  if (type === 'string') return 'No issue.';
  if (type === 'number' || type === 'integer') return 0;
  if (type === 'boolean') return false;
  if (type === 'array') return [];
  const properties = isRecord(schema.properties) ? schema.properties : {};
  return Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, sampleOf(sub)]));
}

function statusName(status: number): string {
  if (status === 400) return 'INVALID_ARGUMENT';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RESOURCE_EXHAUSTED';
  if (status === 503) return 'UNAVAILABLE';
  return 'INTERNAL';
}

function writeError(reply: Extract<ModelReply, { kind: 'http_error' }>, res: ServerResponse): void {
  // A 429 carries RetryInfo like Google's: Gemini CLI then throws a RetryableQuotaError (its
  // delay can only lengthen the CLI's 5 s minimum backoff, so the profile caps attempts instead).
  const details =
    reply.status === 429
      ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.05s' }]
      : [];
  sendJson(res, reply.status, {
    error: { code: reply.status, message: reply.message, status: statusName(reply.status), details },
  });
}

function usageMetadata(reply: Extract<ModelReply, { kind: 'message' }>): Json {
  const { inputTokens, outputTokens } = reply.usage;
  return {
    promptTokenCount: inputTokens,
    candidatesTokenCount: outputTokens,
    totalTokenCount: inputTokens + outputTokens,
  };
}

function replyParts(reply: Extract<ModelReply, { kind: 'message' }>, request: ModelRequest): Json[] {
  const schema = (request as ModelRequest & { jsonSchema?: Json }).jsonSchema;
  const text = request.wantsJson && schema ? JSON.stringify(sampleOf(schema)) : reply.text;
  const parts: Json[] = text === '' ? [] : [{ text }];
  for (const call of reply.toolCalls) {
    parts.push({ functionCall: { id: call.id, name: call.name, args: call.input } });
  }
  return parts;
}

export const geminiCodec: FamilyCodec = {
  family: 'gemini',
  isModelCall: (request) => {
    const parts = pathParts(request);
    return request.method === 'POST' && parts !== undefined && parts.method !== 'countTokens';
  },
  parse: parseGemini,
  write: (reply, request, res) => {
    if (reply.kind === 'http_error') {
      writeError(reply, res);
      return;
    }
    const response = {
      candidates: [
        { content: { role: 'model', parts: replyParts(reply, request) }, finishReason: 'STOP', index: 0 },
      ],
      usageMetadata: usageMetadata(reply),
      modelVersion: request.model,
    };
    if (!request.stream) {
      sendJson(res, 200, response);
      return;
    }
    startSse(res);
    sseEvent(res, response);
    res.end();
  },
  handleOther: (request, res) => {
    // Token counting of the conversation (Gemini CLI's compression check): a rough figure.
    if (request.method === 'POST' && pathParts(request)?.method === 'countTokens') {
      const size = JSON.stringify(request.body ?? {}).length;
      sendJson(res, 200, { totalTokens: Math.ceil(size / 4) });
      return true;
    }
    return false;
  },
};
