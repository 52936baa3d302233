/**
 * The world-touching actors wpMachine invokes by name (besides the host calls): preparing the
 * workspace, running an agent, committing lane work and summarizing the lane diff. Each is a
 * thin `fromPromise` over a helper that does one job; the abort signal reaches every process, so
 * leaving a state (or stopping the actor) kills what it started.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fromPromise } from 'xstate';
import { buildImplementationPrompt, buildReviewPrompt, parseSubtaskIds } from '../agents/prompts.js';
import type { AgentId, AgentSettings } from '../agents/types.js';
import type {
  CommitLaneWorkInput,
  CommitLaneWorkOutput,
  LaneDiffSummaryInput,
  LaneDiffSummaryOutput,
  PrepareWorkspaceInput,
  PrepareWorkspaceOutput,
  RunAgentInput,
  RunAgentOutput,
} from '../machines/wp/types.js';
import { type AgentSandbox, runAgent } from './agents/run-agent.js';
import { laneDiffSummary } from './git/diff-summary.js';
import { commitLaneWork } from './git/lane-commit.js';
import { ensureWorkspace } from './git/workspace.js';
import { agentMarkEnv } from './process/agent-mark.js';
import { agentLogPath } from './process/log-paths.js';
import type { RunHold } from './process/run-hold.js';
import type { SandboxSettings } from './sandbox/confine-run.js';

export interface WpWorldOptions {
  repoRoot: string;
  /** Commands detection found per agent (absolute path, or `gh copilot`). */
  launchers?: Partial<Record<AgentId, readonly string[]>>;
  /** The user's per-agent settings (model, turn cap, extra args, env). */
  agentSettings?: Partial<Record<AgentId, AgentSettings>>;
  /** SIGTERM-to-SIGKILL grace for agent process groups. */
  graceMs?: number;
  now?: () => number;
  /** Confine every agent run with bubblewrap (absent: agents run with the user's own rights). */
  sandbox?: SandboxSettings;
  /** Carries out the subtask marks a confined agent asked for (HostApi.markSubtasksDone). */
  markSubtasks?: (
    args: { mission: string; ids: readonly string[]; cwd: string },
    signal?: AbortSignal,
  ) => Promise<unknown>;
  /** An interrupted session's hold: agents stop at once and their actors never settle. */
  hold?: RunHold;
  /** Told the pid of every agent process group started (recorded for reaping after a crash). */
  onAgentStart?: (event: {
    wpId: string;
    role: string;
    agent: AgentId;
    pid: number;
    logPath: string;
  }) => void;
}

/** The lane diff shown to a reviewer is bounded: big diffs are read by the agent itself. */
const DIFF_SUMMARY_MAX_CHARS = 12_000;

export function createWpWorldActors(options: WpWorldOptions) {
  const now = options.now ?? Date.now;

  const prepareWorkspace = fromPromise<PrepareWorkspaceOutput, PrepareWorkspaceInput>(async ({ input }) => {
    const workspace = await ensureWorkspace({
      repoRoot: input.repoRoot,
      workspacePath: input.workspacePath,
      ...(input.laneBranch ? { laneBranch: input.laneBranch } : {}),
      ...(input.laneBaseRef ? { baseRef: input.laneBaseRef } : {}),
    });
    // The host may answer with a path relative to the repository root.
    const promptText = await readFile(path.resolve(input.repoRoot, input.promptPath), 'utf8');
    // The lane's HEAD before the agent runs (what captureLaneHead would read again), so its work
    // can be counted after.
    const baseHead = input.laneBranch ? workspace.head : null;
    return {
      workspacePath: workspace.workspacePath,
      promptText,
      subtaskIds: parseSubtaskIds(promptText),
      baseHead,
      at: now(),
    };
  });

  const { hold } = options;
  // Held: the run ended by Ctrl-C must not read as the agent's failure (no retry counted).
  const runAgentActor = fromPromise<RunAgentOutput, RunAgentInput>(async ({ input, signal }) => {
    await hold?.gate();
    const output = await runAgentOnce(
      input,
      hold ? AbortSignal.any([signal, hold.agentSignal]) : signal,
    ).catch(async (error: unknown) => {
      await hold?.gate();
      throw error;
    });
    await hold?.gate();
    return output;
  });

  async function runAgentOnce(input: RunAgentInput, signal: AbortSignal): Promise<RunAgentOutput> {
    const prompt =
      input.role === 'review'
        ? buildReviewPrompt({
            wpPrompt: input.prompt.wpPromptText,
            mission: input.mission,
            wpId: input.wpId,
            diffSummary: input.prompt.diffSummary ?? '',
          })
        : buildImplementationPrompt({
            wpPrompt: input.prompt.wpPromptText,
            mission: input.mission,
            subtaskIds: input.prompt.subtaskIds,
            ...(input.prompt.feedback ? { feedback: input.prompt.feedback } : {}),
            ...(options.sandbox ? { sandboxed: true } : {}),
          });
    const cycle = input.log.reviewCycle > 0 ? `-cycle${input.log.reviewCycle}` : '';
    const logPath = agentLogPath(options.repoRoot, {
      mission: input.log.mission,
      wp: input.log.wpId,
      // The agent is part of the name: attempts restart at 1 when a fallback agent takes over.
      role: `${input.log.role}${cycle}-${input.agent}`,
      attempt: input.log.attempt,
    });
    const startedAt = now();
    const { sandbox: sandboxSettings, markSubtasks } = options;
    const sandbox: AgentSandbox | undefined = sandboxSettings
      ? {
          settings: sandboxSettings,
          subtaskIds: input.role === 'implementation' ? input.prompt.subtaskIds : [],
          markSubtasks: (ids, cwd, markSignal) =>
            markSubtasks
              ? markSubtasks({ mission: input.mission, ids, cwd }, markSignal)
              : Promise.reject(new Error('no host to carry out subtask marks')),
        }
      : undefined;
    const launcher = options.launchers?.[input.agent];
    const settings = options.agentSettings?.[input.agent];
    const result = await runAgent(
      {
        agent: input.agent,
        role: input.role,
        prompt,
        workspacePath: input.workspacePath,
        logPath,
        timeoutSeconds: input.timeoutSeconds,
        ...(launcher ? { launcher } : {}),
        ...(settings ? { settings } : {}),
        repoRoot: options.repoRoot,
        mission: input.mission,
        // The host's prompt files sit at <mission folder>/tasks/<WP>.md.
        missionDir: path.dirname(path.dirname(path.resolve(options.repoRoot, input.promptPath))),
      },
      {
        signal,
        ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
        onStart: (pid) =>
          options.onAgentStart?.({ wpId: input.wpId, role: input.role, agent: input.agent, pid, logPath }),
        env: agentMarkEnv(options.repoRoot, { wpId: input.wpId, role: input.role, agent: input.agent }),
        ...(sandbox ? { sandbox } : {}),
      },
    );
    return { result, startedAt, finishedAt: now() };
  }

  const commitLaneWorkActor = fromPromise<CommitLaneWorkOutput, CommitLaneWorkInput>(async ({ input }) => {
    if (!input.baseHead) {
      // Older hosts give no lane branch: nothing to commit on, and nothing to count from.
      return { commitCount: 0, head: null, at: now() };
    }
    const committed = await commitLaneWork({
      workspacePath: input.workspacePath,
      ...(input.laneBranch ? { expectedBranch: input.laneBranch } : {}),
      baseHead: input.baseHead,
      wpId: input.wpId,
      agent: input.agent,
      role: 'implementation',
      kind: input.kind,
    });
    return { commitCount: committed.commitCount, head: committed.head, at: now() };
  });

  const laneDiffSummaryActor = fromPromise<LaneDiffSummaryOutput, LaneDiffSummaryInput>(async ({ input }) => {
    const summary = input.laneBaseRef
      ? await laneDiffSummary({
          workspacePath: input.workspacePath,
          baseRef: input.laneBaseRef,
          maxChars: DIFF_SUMMARY_MAX_CHARS,
        })
      : '';
    return { summary, at: now() };
  });

  return {
    prepareWorkspace,
    runAgent: runAgentActor,
    commitLaneWork: commitLaneWorkActor,
    laneDiffSummary: laneDiffSummaryActor,
  };
}
