/**
 * What the scripted model answers, decided from the request alone (plus a little per-server
 * memory: how many review conversations each WP has had). The implementer gets one shell tool
 * call that writes the WP's file and runs the prompt's mark-status lines, then a final answer;
 * the reviewer answers with the scenario's verdict. Wire formats live in the codecs.
 */
import type { ModelReply, ModelRequest, ToolCall, ToolSpec, Usage } from './types.js';

export type Fault = 'auth' | 'rate_limit' | 'server_error' | 'hang';
export type ScriptedVerdict = 'approved' | 'changes_requested';

export interface Scenario {
  /** Every request of this agent (the `/a/<agent>` prefix) fails this way. */
  faults?: Record<string, Fault>;
  /** Verdicts per WP, one per review conversation in order (the last one repeats). Default approved. */
  reviews?: Record<string, ScriptedVerdict[]>;
  /** Feedback text of a changes_requested verdict. */
  feedback?: string;
}

/** The marker every review prompt carries (src/agents/prompts.ts REVIEW_PROMPT_MARKER). */
const REVIEW_MARKER = '[spec-kitty-orchestrator:review-request]';
const MARK_STATUS_LINE =
  /spec-kitty agent tasks mark-status [A-Za-z0-9_.,\s-]+?--mission [A-Za-z0-9_.-]+(?: --json)?/g;
const SHELL_TOOL_NAMES = [
  'bash',
  'shell',
  'run_shell_command',
  'exec_command',
  'shell_command',
  'local_shell',
  'execute_command',
  'terminal',
  'run_command',
];

export const DEFAULT_FEEDBACK = 'Please add a short usage note to the output file.';

export interface ScriptState {
  reviewConversations: Map<string, number>;
  callCounter: number;
}

export function createScriptState(): ScriptState {
  return { reviewConversations: new Map(), callCounter: 0 };
}

export type RunRole = 'implementation' | 'review' | 'side';

/** Role and WP of a request, also used by the server's request log. */
export function classifyRequest(request: ModelRequest): { role: RunRole; wp: string | null } {
  const text = `${request.prompt}\n${request.transcript}`;
  // The WP prompt's own frontmatter first: CLIs add context (git log, file trees) that names
  // other WPs before it.
  const wp =
    /^work_package_id:\s*(WP\d+)/m.exec(text)?.[1] ??
    /\bwork package (WP\d+)\b/i.exec(text)?.[1] ??
    /\b(WP\d{2,})\b/.exec(text)?.[1] ??
    null;
  if (request.wantsJson || request.tools.length === 0) return { role: 'side', wp };
  return { role: text.includes(REVIEW_MARKER) ? 'review' : 'implementation', wp };
}

function usageFor(request: ModelRequest): Usage {
  // Deterministic and distinct per turn, so a test can tell usage was read, not invented.
  return { inputTokens: 1000 + 100 * request.assistantTurns, outputTokens: 40 + 10 * request.assistantTurns };
}

function faultReply(fault: Fault): ModelReply {
  switch (fault) {
    case 'auth':
      return {
        kind: 'http_error',
        status: 401,
        errorType: 'authentication_error',
        message: 'invalid x-api-key',
      };
    case 'rate_limit':
      return {
        kind: 'http_error',
        status: 429,
        errorType: 'rate_limit_error',
        message: 'Rate limit exceeded',
      };
    case 'server_error':
      return { kind: 'http_error', status: 500, errorType: 'api_error', message: 'Internal server error' };
    case 'hang':
      return { kind: 'hang' };
  }
}

export function findShellTool(tools: readonly ToolSpec[]): ToolSpec | undefined {
  for (const name of SHELL_TOOL_NAMES) {
    const tool = tools.find((candidate) => candidate.name.toLowerCase() === name);
    if (tool) return tool;
  }
  return tools.find((tool) => /bash|shell/i.test(tool.name));
}

function schemaProperties(tool: ToolSpec): Record<string, Record<string, unknown>> {
  const properties = tool.parameters.properties;
  return properties && typeof properties === 'object'
    ? (properties as Record<string, Record<string, unknown>>)
    : {};
}

/** The shell tool's arguments for one command line, shaped by the tool's own schema. */
export function shellArguments(tool: ToolSpec, command: string): Record<string, unknown> {
  const properties = schemaProperties(tool);
  const key = ['command', 'cmd', 'script', 'commandLine'].find((name) => name in properties) ?? 'command';
  const type = properties[key]?.type;
  const input: Record<string, unknown> = {
    [key]: type === 'array' ? ['bash', '-lc', command] : command,
  };
  // A login shell re-reads /etc/profile, which resets PATH on Debian (the host's venv is lost).
  if ('login' in properties && properties.login?.type === 'boolean') input.login = false;
  // Some shells insist on a description or a timeout: fill the required ones we can.
  const required = Array.isArray(tool.parameters.required) ? (tool.parameters.required as string[]) : [];
  for (const name of required) {
    if (name in input) continue;
    const propertyType = properties[name]?.type;
    if (name === 'description' || propertyType === 'string') input[name] = 'write the work package output';
    else if (propertyType === 'number' || propertyType === 'integer') input[name] = 60_000;
    else if (propertyType === 'boolean') input[name] = false;
  }
  return input;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function implementationCommand(request: ModelRequest, wp: string): string {
  const text = `${request.prompt}\n${request.transcript}`;
  const markStatus = [...new Set(text.match(MARK_STATUS_LINE) ?? [])].map((line) => line.trim());
  const rework = /Review feedback/i.test(request.prompt);
  const body = `${wp} implemented by ${request.agent} (model ${request.model})${rework ? ', rework done' : ''}`;
  const file = `real-agent-output/${wp}.txt`;
  return ['mkdir -p real-agent-output', `printf '%s\\n' ${shellQuote(body)} >> ${file}`, ...markStatus].join(
    ' && ',
  );
}

function nextCallId(state: ScriptState): string {
  state.callCounter++;
  return `call_sko_${state.callCounter}`;
}

function reviewVerdict(scenario: Scenario, state: ScriptState, wp: string): ScriptedVerdict {
  const seen = state.reviewConversations.get(wp) ?? 0;
  state.reviewConversations.set(wp, seen + 1);
  const list = scenario.reviews?.[wp] ?? [];
  return list[Math.min(seen, list.length - 1)] ?? 'approved';
}

export function decideReply(request: ModelRequest, scenario: Scenario, state: ScriptState): ModelReply {
  const fault = scenario.faults?.[request.agent];
  if (fault) return faultReply(fault);
  const usage = usageFor(request);
  const { role, wp } = classifyRequest(request);
  if (role === 'side') {
    return { kind: 'message', text: request.wantsJson ? '{}' : 'OK', toolCalls: [], usage };
  }
  const wpId = wp ?? 'WP00';
  if (role === 'review') {
    if (request.assistantTurns > 0) {
      return { kind: 'message', text: 'VERDICT: approved', toolCalls: [], usage };
    }
    const verdict = reviewVerdict(scenario, state, wpId);
    const text =
      verdict === 'approved'
        ? `Reviewed ${wpId}: the output file is present.\n\nVERDICT: approved`
        : `Reviewed ${wpId}.\n\nVERDICT: changes_requested\n\n${scenario.feedback ?? DEFAULT_FEEDBACK}`;
    return { kind: 'message', text, toolCalls: [], usage };
  }
  if (request.assistantTurns === 0) {
    const shell = findShellTool(request.tools);
    if (!shell) {
      return { kind: 'message', text: `No shell tool was offered for ${wpId}.`, toolCalls: [], usage };
    }
    const call: ToolCall = {
      id: nextCallId(state),
      name: shell.name,
      input: shellArguments(shell, implementationCommand(request, wpId)),
    };
    return { kind: 'message', text: '', toolCalls: [call], usage };
  }
  return {
    kind: 'message',
    text: `Implemented ${wpId}: wrote real-agent-output/${wpId}.txt and marked its subtasks done.`,
    toolCalls: [],
    usage,
  };
}
