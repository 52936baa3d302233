/** Shared shapes of the agent layer: what an adapter builds and what it reads back. */

export const AGENT_IDS = [
  'claude-code',
  'codex',
  'copilot',
  'gemini',
  'qwen',
  'opencode',
  'kilocode',
  'augment',
  'cursor',
  'pi',
  'letta',
] as const;
export type AgentId = (typeof AGENT_IDS)[number];

export type AgentRole = 'implementation' | 'review';

/** Why a run failed; drives retry and fallback decisions. */
export type FailureKind = 'timeout' | 'auth' | 'rate_limit' | 'network' | 'no_output' | 'general';

/** A process to start: never a shell string. */
export interface AgentInvocation {
  file: string;
  args: string[];
  /** The prompt text to feed on stdin (through a file descriptor opened before spawn), if any. */
  stdinPrompt?: string;
  env?: Record<string, string>;
}

export interface InvocationRequest {
  role: AgentRole;
  prompt: string;
  workspace: string;
  timeoutSeconds: number;
}

export interface AgentUsage {
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

export type Verdict = 'approved' | 'changes_requested';

export interface ReviewVerdict {
  verdict: Verdict;
  /** Bounded feedback text for the rework prompt. */
  feedback: string;
  /** Whether the verdict was read from the agent's output or inferred from its exit code. */
  decidedBy: 'output' | 'exit_code';
}

/** What the supervised process produced, before an adapter interprets it. */
export interface ProcessOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  canceled: boolean;
  /** Bounded tails: the whole output is in the log file. */
  stdoutTail: string;
  stderrTail: string;
  durationMs: number;
  logPath: string;
}

export interface AgentResult {
  agent: AgentId;
  role: AgentRole;
  success: boolean;
  exitCode: number | null;
  durationMs: number;
  errors: string[];
  warnings: string[];
  filesReported: string[];
  commitsReported: string[];
  usage?: AgentUsage;
  verdict?: ReviewVerdict;
  failureKind?: FailureKind;
  logPath: string;
}

export interface AgentAdapter {
  id: AgentId;
  displayName: string;
  /** Binary looked up on PATH. */
  binary: string;
  promptVia: 'stdin' | 'argument';
  buildInvocation(request: InvocationRequest): AgentInvocation;
  /** Turns a finished process into a result; never throws. */
  parseOutcome(outcome: ProcessOutcome, role: AgentRole): AgentResult;
}
