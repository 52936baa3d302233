/**
 * The scripted model server: one HTTP server on 127.0.0.1 that speaks every API family a real
 * agent CLI calls, each CLI pointed at its own `/a/<agent>` prefix through its documented
 * base-URL setting. It keeps a log of every request (the tests' witness of what the CLI sent:
 * model, turns, role) and answers from the scenario (script.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { classifyRequest, createScriptState, decideReply, type RunRole, type Scenario } from './script.js';
import type { ApiFamily, FamilyCodec, ModelRequest, ParsedHttpRequest } from './types.js';

export interface LoggedRequest {
  agent: string;
  family: ApiFamily | null;
  method: string;
  path: string;
  model: string | null;
  status: number;
  assistantTurns: number | null;
  role: RunRole | null;
  wp: string | null;
  inputTokens: number;
  outputTokens: number;
  /** No codec answered: the CLI called an endpoint we do not serve. */
  unhandled: boolean;
}

export interface ModelServer {
  url: string;
  baseUrl(agent: string): string;
  readonly requests: readonly LoggedRequest[];
  setScenario(scenario: Scenario): void;
  close(): Promise<void>;
}

export interface ModelServerOptions {
  codecs: readonly FamilyCodec[];
  scenario?: Scenario;
}

const AGENT_PREFIX = /^\/a\/([A-Za-z0-9_.-]+)(\/.*)?$/;
const MAX_BODY_BYTES = 32 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  let scenario: Scenario = options.scenario ?? {};
  const state = createScriptState();
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = AGENT_PREFIX.exec(url.pathname);
    const agent = match?.[1] ?? 'unknown';
    const body = parseJson(await readBody(req));
    const parsed: ParsedHttpRequest = {
      method: req.method ?? 'GET',
      path: match ? (match[2] ?? '/') : url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    const entry: LoggedRequest = {
      agent,
      family: null,
      method: parsed.method,
      path: parsed.path,
      model: null,
      status: 0,
      assistantTurns: null,
      role: null,
      wp: null,
      inputTokens: 0,
      outputTokens: 0,
      unhandled: false,
    };
    requests.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    const codec = options.codecs.find((candidate) => candidate.isModelCall(parsed));
    if (!codec) {
      const answered = options.codecs.some((candidate) => candidate.handleOther?.(parsed, res) === true);
      if (!answered) {
        entry.unhandled = true;
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `not served: ${parsed.method} ${parsed.path}` } }));
      }
      return;
    }
    const request: ModelRequest = { ...codec.parse(parsed), agent, family: codec.family };
    const { role, wp } = classifyRequest(request);
    Object.assign(entry, {
      family: codec.family,
      model: request.model,
      assistantTurns: request.assistantTurns,
      role,
      wp,
    });
    const reply = decideReply(request, scenario, state);
    if (reply.kind === 'hang') return; // the socket stays open until close()
    if (reply.kind === 'message') {
      entry.inputTokens = reply.usage.inputTokens;
      entry.outputTokens = reply.usage.outputTokens;
    }
    codec.write(reply, request, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `model server: ${String(error)}` } }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: (agentId) => `${url}/a/${agentId}`,
    requests,
    setScenario(next) {
      scenario = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** SSE framing shared by the codecs: `event:` is optional (OpenAI chat has none). */
export function sseEvent(res: ServerResponse, data: unknown, event?: string): void {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  res.write(`${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`);
}

export function startSse(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
