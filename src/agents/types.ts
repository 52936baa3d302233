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

/**
 * Why a run failed; drives retry and fallback decisions. `setup`: the agent cannot run here as
 * configured (an untrusted folder, a bad config file, a flag its version refuses); like `auth`,
 * retrying the same agent cannot help, so the next agent takes over at once.
 */
export type FailureKind = 'timeout' | 'auth' | 'setup' | 'rate_limit' | 'network' | 'no_output' | 'general';

/** A process to start: never a shell string. */
export interface AgentInvocation {
  file: string;
  args: string[];
  /** The prompt text to feed on stdin (through a file descriptor opened before spawn), if any. */
  stdinPrompt?: string;
  env?: Record<string, string>;
}

/**
 * What the user's config says for one agent (`agent_settings.<id>` in .kittify/orchestrator.yaml).
 * Adapters turn model and max turns into their CLI's own flags; extra args go before the prompt;
 * env is added to the agent's environment (it wins over the adapter's own).
 */
export interface AgentSettings {
  model?: string;
  /** The review role's model, when it differs from `model`. */
  reviewModel?: string;
  maxTurns?: number;
  extraArgs?: readonly string[];
  env?: Readonly<Record<string, string>>;
}

export interface InvocationRequest {
  role: AgentRole;
  prompt: string;
  workspace: string;
  timeoutSeconds: number;
  /**
   * The command that starts the agent, as detection resolved it (an absolute path, or
   * `['gh', 'copilot']` for Copilot through the GitHub CLI). Defaults to `[adapter.binary]`.
   */
  launcher?: readonly string[];
  settings?: AgentSettings;
  /** The primary checkout. */
  repoRoot?: string;
  /** The mission slug. */
  mission?: string;
  /**
   * The mission's folder in the primary checkout, derived from the prompt path the host gave
   * (never built by us: the host owns its layout). An agent that confines writes to its working
   * folder must also be let write the status files there, which the prompt's
   * `spec-kitty agent tasks mark-status` commands append to.
   */
  missionDir?: string;
  /**
   * The run is confined by the orchestrator's sandbox (bubblewrap): an agent whose CLI nests a
   * sandbox of its own, which cannot start inside ours, leaves that to ours.
   */
  confined?: boolean;
}

/** How an agent prints its answer in headless mode. */
export type AgentOutputFormat = 'json' | 'jsonl' | 'text';

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

/** Why an agent process could not be started at all (it never ran, so retrying the same agent is pointless). */
export interface SpawnFailure {
  reason: 'binary_not_found' | 'not_executable' | 'cwd_missing' | 'other';
  /** The system error code (ENOENT, EACCES...), when there is one. */
  code: string | null;
  message: string;
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
  /** Set only when the process never started; exitCode and signal are then null. */
  spawnFailure?: SpawnFailure;
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
  /** The agent's final answer text (bounded), when its output format has one. */
  resultText?: string;
  /** Copied from the outcome when the process never started. */
  spawnFailure?: SpawnFailure;
}

export interface AgentAdapter {
  id: AgentId;
  displayName: string;
  /** Binary looked up on PATH. */
  binary: string;
  /** Other names of the same CLI, tried in order when `binary` is not on PATH (a renamed binary). */
  altBinaries?: readonly string[];
  promptVia: 'stdin' | 'argument';
  outputFormat?: AgentOutputFormat;
  /** Whether the review role's flags stop the agent from writing files (else only the prompt asks it not to). */
  reviewIsReadOnly?: boolean;
  /** Whether the CLI has a model flag (settings.model) and a turn cap (settings.maxTurns). */
  supportsModel?: boolean;
  supportsMaxTurns?: boolean;
  /** Commands (after the launcher) that print the CLI's flags, for `agents --check`. */
  helpCommands?: readonly (readonly string[])[];
  /** Flags the CLI accepts that its help does not list (proven by a real-binary test). */
  unlistedFlags?: readonly string[];
  /** Throws AgentInvocationError when the request cannot be expressed (e.g. a too long argument prompt). */
  buildInvocation(request: InvocationRequest): AgentInvocation;
  /** Turns a finished process into a result; never throws. */
  parseOutcome(outcome: ProcessOutcome, role: AgentRole): AgentResult;
}
