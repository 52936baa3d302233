/**
 * Subtask marks carried out for an agent that asked for them from inside the sandbox
 * (agents/sandbox/mark-status-relay.ts): the very command the prompt gives the agent,
 * `spec-kitty agent tasks mark-status <ids> --status done --mission <m> --json`, run in the WP's
 * worktree. It is the agent's host command, not an orchestrator-api verb (the contract has no
 * subtask verb, and `transition --subtasks-complete` does not replace the marks: measured on
 * 3.2.7, the host still refuses for_review until they are marked). One host process for all ids.
 */
import { z } from 'zod';
import type { CallOptions, HostTransport } from './api.js';

export interface MarkSubtasksArgs {
  mission: string;
  ids: readonly string[];
  /** The WP's worktree: where the agent would have run it. */
  cwd: string;
}

export interface SubtasksMarked {
  /** Ids the host changed or found already done. */
  marked: string[];
}

/** The host could not mark them (its own words, cut to a line). */
export class MarkStatusFailedError extends Error {
  readonly code = 'MARK_STATUS_FAILED';
  constructor(detail: string) {
    super(`spec-kitty agent tasks mark-status failed: ${detail}`);
    this.name = 'MarkStatusFailedError';
  }
}

const markStatusAnswer = z.object({
  results: z.array(z.object({ id: z.string(), outcome: z.string() })),
});

/** Outcomes after which the subtask is done on the host. */
const DONE_OUTCOMES = new Set(['updated', 'already_satisfied']);

export async function markSubtasksDone(
  transport: HostTransport,
  args: MarkSubtasksArgs,
  options: CallOptions = {},
): Promise<SubtasksMarked> {
  if (!transport.runAgentCommand) {
    throw new MarkStatusFailedError('this host connection cannot run agent commands');
  }
  const argv = [
    'agent',
    'tasks',
    'mark-status',
    ...args.ids,
    '--status',
    'done',
    '--mission',
    args.mission,
    '--json',
  ];
  const result = await transport.runAgentCommand(argv, {
    cwd: args.cwd,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const answer = markStatusAnswer.safeParse(parseJson(result.stdout));
  if (result.exitCode !== 0 || !answer.success) {
    const said = `${result.stdout}\n${result.stderr}`.trim().split('\n').at(-1) ?? '';
    throw new MarkStatusFailedError(
      `exit ${result.exitCode ?? 'none'}${said ? `: ${said.slice(0, 300)}` : ''}`,
    );
  }
  return {
    marked: answer.data.results.filter((entry) => DONE_OUTCOMES.has(entry.outcome)).map((entry) => entry.id),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
