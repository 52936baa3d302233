/**
 * One agent attempt, start to finish: the adapter builds the invocation, the supervisor runs it
 * (process group, timeout, bounded log), and the adapter reads back what happened. Never throws
 * for an agent failure: the result says what kind of failure it was, and the WP machine decides
 * whether to retry, fall back or block.
 */
import { getAdapter } from '../../agents/registry.js';
import type { AgentId, AgentResult, AgentRole, AgentSettings } from '../../agents/types.js';
import { runSupervised } from '../process/run-supervised.js';

export interface RunAgentRequest {
  agent: AgentId;
  role: AgentRole;
  prompt: string;
  workspacePath: string;
  logPath: string;
  timeoutSeconds: number;
  /** The command detection found for this agent (absolute path, or `gh copilot`). */
  launcher?: readonly string[];
  /** The user's `agent_settings` for this agent. */
  settings?: AgentSettings;
  /** The primary checkout and the mission, for adapters that must let the agent write its status files. */
  repoRoot?: string;
  mission?: string;
  missionDir?: string;
}

export interface RunAgentOptions {
  signal?: AbortSignal;
  graceMs?: number;
  onStart?: (pid: number) => void;
  /** Extra environment for the agent process (the reaper's mark). */
  env?: Record<string, string>;
}

/** Claude and cursor print their whole answer as one JSON line: keep enough tail for it. */
const STDOUT_TAIL_BYTES = 1024 * 1024;

export async function runAgent(
  request: RunAgentRequest,
  options: RunAgentOptions = {},
): Promise<AgentResult> {
  const adapter = getAdapter(request.agent);
  const invocation = adapter.buildInvocation({
    role: request.role,
    prompt: request.prompt,
    workspace: request.workspacePath,
    timeoutSeconds: request.timeoutSeconds,
    ...(request.launcher ? { launcher: request.launcher } : {}),
    ...(request.settings ? { settings: request.settings } : {}),
    ...(request.repoRoot ? { repoRoot: request.repoRoot } : {}),
    ...(request.mission ? { mission: request.mission } : {}),
    ...(request.missionDir ? { missionDir: request.missionDir } : {}),
  });
  const outcome = await runSupervised({
    invocation,
    cwd: request.workspacePath,
    logPath: request.logPath,
    timeoutMs: request.timeoutSeconds * 1000,
    tailBytes: STDOUT_TAIL_BYTES,
    ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onStart ? { onStart: options.onStart } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  return adapter.parseOutcome(outcome, request.role);
}
