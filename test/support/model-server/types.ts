/**
 * The scripted model server's shared shapes. A family codec (one file per API: anthropic.ts,
 * openai-chat.ts, openai-responses.ts, gemini.ts) turns an HTTP request into a ModelRequest and
 * writes a ModelReply back in its wire format (SSE or JSON); script.ts decides the reply from the
 * request and the test's scenario. Codecs know nothing of work packages, scripts know nothing of
 * wire formats.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

export type ApiFamily = 'anthropic' | 'openai-chat' | 'openai-responses' | 'gemini';

export interface ToolSpec {
  name: string;
  description?: string;
  /** JSON schema of the arguments (`{type:'object', properties, required}`); `{}` when the API gives none. */
  parameters: Record<string, unknown>;
}

/** A request, reduced to what the script needs. */
export interface ModelRequest {
  family: ApiFamily;
  /** From the URL prefix `/a/<agent>/...` that each CLI's base URL carries. */
  agent: string;
  model: string;
  stream: boolean;
  tools: ToolSpec[];
  /** The first user message's text: the prompt the orchestrator sent (CLIs may wrap it). */
  prompt: string;
  /** Every text of the conversation (system, user, assistant, tool results) joined, in order. */
  transcript: string;
  /** Assistant turns already in the conversation: 0 on the first request of a run. */
  assistantTurns: number;
  /** Asks for structured JSON (a response schema / JSON mode), e.g. a CLI's side check. */
  wantsJson: boolean;
}

export interface ToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export type ModelReply =
  | { kind: 'message'; text: string; toolCalls: ToolCall[]; usage: Usage }
  | { kind: 'http_error'; status: number; errorType: string; message: string }
  /** Accept the request and never answer (the connection stays open until the server closes). */
  | { kind: 'hang' };

export interface ParsedHttpRequest {
  method: string;
  /** The path after the agent prefix, without the query string, e.g. `/v1/messages`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when there was none or it was not JSON. */
  body: unknown;
}

export interface FamilyCodec {
  family: ApiFamily;
  /** Whether this request is a model turn this codec parses (`POST /v1/messages`, ...). */
  isModelCall(request: ParsedHttpRequest): boolean;
  parse(request: ParsedHttpRequest): Omit<ModelRequest, 'agent' | 'family'>;
  write(reply: Exclude<ModelReply, { kind: 'hang' }>, request: ModelRequest, res: ServerResponse): void;
  /**
   * Side endpoints the CLIs call besides model turns (model lists, token counts, ...). Returns
   * true when it answered; unanswered requests get a 404 and are logged as unhandled.
   */
  handleOther?(request: ParsedHttpRequest, res: ServerResponse): boolean;
}
