/**
 * Local (non-host) actors of wpMachine for tests: real git in the lane worktree, scripted agents.
 * An implementation run that "works" writes a file, as a real agent would; committing is real.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fromPromise } from 'xstate';
import { parseSubtaskIds } from '../../../src/agents/prompts.js';
import type { AgentResult } from '../../../src/agents/types.js';
import type { WaitUntilInput, WaitUntilOutput } from '../../../src/machines/shared/wait-until.js';
import type {
  CommitLaneWorkInput,
  CommitLaneWorkOutput,
  LaneDiffSummaryInput,
  LaneDiffSummaryOutput,
  PrepareWorkspaceInput,
  PrepareWorkspaceOutput,
  RunAgentInput,
  RunAgentOutput,
} from '../../../src/machines/wp/types.js';
import { GIT_TEST_ENV } from '../../support/temp-repo.js';
import { approved, succeeded } from './agent-results.js';

/** One scripted agent run: its result, and whether it leaves edits behind (default: on success). */
export interface AgentStep {
  /** 'hang' runs until the actor is stopped (its abort signal fires). */
  result: AgentResult | 'throw' | 'hang';
  writes?: boolean;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_TEST_ENV },
  }).trim();
}

export interface ScriptLog {
  agentRuns: RunAgentInput[];
  waits: number[];
  /** Agent runs whose abort signal fired (the process would have been killed). */
  aborted?: string[];
  /** Called as each agent run starts (after it is logged): lets a test wait for one, no polling. */
  onAgentRun?: (input: RunAgentInput) => void;
}

/** Simulated time shared by the scripted actors and the host bindings: waits jump to their deadline. */
export class TestClock {
  /** With `real`, the clock is the wall clock (for tests of real timers). */
  constructor(
    public t = 1_700_000_000_000,
    private readonly real = false,
  ) {}
  readonly now = (): number => {
    if (this.real) return Date.now();
    this.t += 1;
    return this.t;
  };
}

export function scriptedLocalActors(
  script: { implementation?: AgentStep[]; review?: AgentStep[] },
  log: ScriptLog,
  clock: TestClock = new TestClock(),
) {
  const queues = { implementation: [...(script.implementation ?? [])], review: [...(script.review ?? [])] };
  let written = 0;
  return {
    prepareWorkspace: fromPromise<PrepareWorkspaceOutput, PrepareWorkspaceInput>(async ({ input }) => {
      const promptFile = path.isAbsolute(input.promptPath)
        ? input.promptPath
        : path.join(input.repoRoot, input.promptPath);
      const promptText = readFileSync(promptFile, 'utf8');
      return {
        workspacePath: input.workspacePath,
        promptText,
        subtaskIds: parseSubtaskIds(promptText),
        baseHead: git(input.workspacePath, 'rev-parse', 'HEAD'),
        at: clock.now(),
      };
    }),
    runAgent: fromPromise<RunAgentOutput, RunAgentInput>(async ({ input, signal }) => {
      log.agentRuns.push(input);
      log.onAgentRun?.(input);
      const step = queues[input.role].shift() ?? {
        result: input.role === 'review' ? approved(input.agent) : succeeded(input.agent),
      };
      const startedAt = clock.now();
      if (step.result === 'hang') {
        return new Promise<RunAgentOutput>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            log.aborted = [...(log.aborted ?? []), `${input.wpId}:${input.role}`];
            reject(signal.reason);
          });
        });
      }
      if (step.result === 'throw') throw new Error(`agent ${input.agent} could not be started`);
      const result = { ...step.result, agent: input.agent, role: input.role };
      if (input.role === 'implementation' && (step.writes ?? result.success)) {
        written += 1;
        writeFileSync(
          path.join(input.workspacePath, `work-${input.wpId}-${written}.txt`),
          `edit ${written}\n`,
        );
      }
      return { result, startedAt, finishedAt: clock.now() };
    }),
    commitLaneWork: fromPromise<CommitLaneWorkOutput, CommitLaneWorkInput>(async ({ input }) => {
      git(input.workspacePath, 'add', '-A');
      const staged = git(input.workspacePath, 'diff', '--cached', '--name-only');
      if (staged !== '')
        git(
          input.workspacePath,
          'commit',
          '-q',
          '-m',
          `feat(${input.wpId}): ${input.kind} by ${input.agent}`,
        );
      const head = git(input.workspacePath, 'rev-parse', 'HEAD');
      const range = input.baseHead ? `${input.baseHead}..HEAD` : 'HEAD';
      return {
        commitCount: Number(git(input.workspacePath, 'rev-list', '--count', range)),
        head,
        at: clock.now(),
      };
    }),
    laneDiffSummary: fromPromise<LaneDiffSummaryOutput, LaneDiffSummaryInput>(async ({ input }) => ({
      summary: git(input.workspacePath, 'log', '--oneline', '-5'),
      at: clock.now(),
    })),
    /** Simulated time: a wait ends at once, reporting its deadline as "now". */
    waitUntil: fromPromise<WaitUntilOutput, WaitUntilInput>(async ({ input }) => {
      log.waits.push(input.deadline);
      clock.t = Math.max(clock.t, input.deadline);
      return { at: clock.now() };
    }),
  };
}
