/**
 * One agent attempt, start to finish: the adapter builds the invocation, the supervisor runs it
 * (process group, timeout, bounded log), and the adapter reads back what happened. Never throws
 * for an agent failure: the result says what kind of failure it was, and the WP machine decides
 * whether to retry, fall back or block.
 */
import { appendFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { getAdapter } from '../../agents/registry.js';
import { relayedMarks } from '../../agents/sandbox/mark-status-relay.js';
import type { AgentId, AgentInvocation, AgentResult, AgentRole, AgentSettings } from '../../agents/types.js';
import { runSupervised } from '../process/run-supervised.js';
import { type ConfinedRun, prepareConfinedRun, type SandboxSettings } from '../sandbox/confine-run.js';

/** The run is confined by bubblewrap (see agents/sandbox); its subtask marks are relayed. */
export interface AgentSandbox {
  settings: SandboxSettings;
  /** This WP's subtask ids: the only ones a relayed mark may name. */
  subtaskIds: readonly string[];
  /** Carries out the marks the agent asked for, outside the sandbox, in its worktree. */
  markSubtasks(ids: readonly string[], cwd: string, signal?: AbortSignal): Promise<unknown>;
}

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
  /** Confine the run (absent: the agent runs with the user's own rights). */
  sandbox?: AgentSandbox;
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
    ...(options.sandbox ? { confined: true } : {}),
  });
  // The environment the agent will see (the supervisor adds the same on top of ours).
  const agentEnv = { ...process.env, ...invocation.env, ...options.env };
  const home = agentEnv.HOME ?? homedir();
  const confined: ConfinedRun | undefined = options.sandbox
    ? await prepareConfinedRun(options.sandbox.settings, {
        agent: request.agent,
        worktree: request.workspacePath,
        home,
        env: agentEnv,
        // A reviewer reads the worktree; only an implementer writes it.
        worktreeWritable: request.role === 'implementation',
      })
    : undefined;
  try {
    const outcome = await supervise(request, confined ? confined.wrap(invocation) : invocation, options);
    if (confined && options.sandbox && !options.signal?.aborted) {
      await carryOutRelayedMarks(confined, options.sandbox, request, options.signal);
    }
    return adapter.parseOutcome(outcome, request.role);
  } finally {
    await confined?.dispose();
  }
}

function supervise(request: RunAgentRequest, invocation: AgentInvocation, options: RunAgentOptions) {
  return runSupervised({
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
}

/**
 * The subtask marks the agent asked the relay for, carried out now and written to its log. A
 * failure is not the run's: the host then refuses for_review, which the WP machine handles.
 */
async function carryOutRelayedMarks(
  confined: ConfinedRun,
  sandbox: AgentSandbox,
  request: RunAgentRequest,
  signal: AbortSignal | undefined,
): Promise<void> {
  const calls = await confined.relayedCalls();
  if (calls === '') return;
  const asked = relayedMarks(calls, { mission: request.mission ?? '', subtaskIds: sandbox.subtaskIds });
  const lines = asked.refused.map((why) => `[orchestrator] relayed mark-status not carried out: ${why}`);
  if (asked.ids.length > 0) {
    try {
      await sandbox.markSubtasks(asked.ids, request.workspacePath, signal);
      lines.push(`[orchestrator] relayed mark-status: ${asked.ids.join(' ')} marked done with the host`);
    } catch (error) {
      lines.push(
        `[orchestrator] relayed mark-status ${asked.ids.join(' ')} failed: ${(error as Error).message}`,
      );
    }
  }
  await appendFile(request.logPath, `${lines.join('\n')}\n`).catch(() => {});
}
