/**
 * Commits what an agent left in its lane worktree and counts the lane's new work.
 *
 * Counting: commits on the lane's first-parent line from `baseHead` (captured just before the
 * run, so merges made at allocation are already behind it) to HEAD, merges excluded
 * (`rev-list --first-parent --no-merges`). An agent that merged the target or a dependency
 * branch into the lane brings in other people's commits: first-parent skips those, and the
 * merge commit itself is not implementation work. So a run whose only effect is a merge counts
 * 0 and is treated as "no output", which is what a reviewer would conclude too. Commits the
 * agent made itself count like ours.
 *
 * Safety: we commit only on the expected lane branch, never in the primary checkout, never on
 * the primary checkout's branch, main or master. Without an expected branch (older hosts
 * without lanes) nothing is committed, as in the reference; the agent's own commits still count.
 * Commit hooks run: they are the repository owner's policy, and a failing hook is a GitError.
 */
import path from 'node:path';
import type { AgentRole } from '../../agents/types.js';
import { LaneBranchMismatchError, UnsafeCommitTargetError } from './errors.js';
import { git, runGit } from './git.js';
import { currentBranch, headSha, resolveCommit } from './refs.js';

export type LaneCommitKind = 'implementation' | 'rework';

/** Branch names we never commit to, whatever the caller expects. */
const PROTECTED_BRANCHES: ReadonlySet<string> = new Set(['main', 'master']);

export interface CommitLaneWorkOptions {
  workspacePath: string;
  /** The lane branch the host allocated; without it nothing is committed. */
  expectedBranch?: string;
  /** Lane HEAD captured before the agent ran (captureLaneHead). */
  baseHead: string;
  wpId: string;
  agent: string;
  role: AgentRole;
  kind?: LaneCommitKind;
}

export interface LaneCommitResult {
  /** Non-merge first-parent commits since baseHead; 0 means the run produced nothing. */
  commitCount: number;
  head: string;
  committedByUs: boolean;
  /** Files touched by the counted commits, sorted. */
  changedFiles: string[];
  branch: string | null;
}

export async function commitLaneWork(options: CommitLaneWorkOptions): Promise<LaneCommitResult> {
  const { workspacePath, expectedBranch } = options;
  const baseHead = await resolveCommit(workspacePath, options.baseHead, 'Base head');
  const branch = await currentBranch(workspacePath);

  let committedByUs = false;
  if (expectedBranch !== undefined) {
    if (branch !== expectedBranch) throw new LaneBranchMismatchError(workspacePath, branch, expectedBranch);
    await assertSafeCommitTarget(workspacePath, expectedBranch);
    await git(['add', '--all'], workspacePath);
    const staged = await runGit(['diff', '--cached', '--quiet'], { cwd: workspacePath, okExitCodes: [1] });
    if (staged.exitCode === 1) {
      const [subject, body] = commitMessage(options);
      await git(['commit', '--quiet', '-m', subject, '-m', body], workspacePath);
      committedByUs = true;
    }
  }

  const range = `${baseHead}..HEAD`;
  const count = await git(['rev-list', '--count', '--first-parent', '--no-merges', range], workspacePath);
  const files = await git(
    ['log', '-z', '--first-parent', '--no-merges', '--name-only', '--format=', range],
    workspacePath,
  );
  return {
    commitCount: Number(count),
    head: await headSha(workspacePath),
    committedByUs,
    changedFiles: [
      ...new Set(
        files
          .split('\0')
          .map((file) => file.replace(/^\n+/, ''))
          .filter(Boolean),
      ),
    ].sort(),
    branch,
  };
}

function commitMessage(options: CommitLaneWorkOptions): [subject: string, body: string] {
  const wp = singleLine(options.wpId, 'wpId');
  const agent = singleLine(options.agent, 'agent');
  const subject =
    (options.kind ?? 'implementation') === 'rework'
      ? `fix(${wp}): rework by ${agent}`
      : `feat(${wp}): implementation by ${agent}`;
  return [subject, `Committed by spec-kitty-orchestrator after the ${options.role} agent's run.`];
}

function singleLine(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || /[\r\n]/.test(trimmed))
    throw new RangeError(`${field} must be one non-empty line, got ${JSON.stringify(value)}`);
  return trimmed;
}

async function assertSafeCommitTarget(workspacePath: string, branch: string): Promise<void> {
  if (PROTECTED_BRANCHES.has(branch)) {
    throw new UnsafeCommitTargetError(workspacePath, `${branch} is a protected branch, never a lane branch`);
  }
  const gitDir = await git(['rev-parse', '--path-format=absolute', '--git-dir'], workspacePath);
  const commonDir = await git(['rev-parse', '--path-format=absolute', '--git-common-dir'], workspacePath);
  if (path.resolve(gitDir) === path.resolve(commonDir)) {
    throw new UnsafeCommitTargetError(workspacePath, 'it is the primary checkout, not a lane worktree');
  }
  const primaryBranch = await primaryCheckoutBranch(workspacePath);
  if (primaryBranch === branch) {
    throw new UnsafeCommitTargetError(workspacePath, `${branch} is the branch of the primary checkout`);
  }
}

/** The branch of the first (primary) entry of `git worktree list`, null when detached. */
async function primaryCheckoutBranch(cwd: string): Promise<string | null> {
  const listing = await git(['worktree', 'list', '--porcelain', '-z'], cwd);
  for (const field of listing.split('\0')) {
    if (field === '') return null; // End of the first entry.
    if (field.startsWith('branch refs/heads/')) return field.slice('branch refs/heads/'.length);
  }
  return null;
}
