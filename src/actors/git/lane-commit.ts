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
import {
  branchOfSymbolicHead,
  currentBranch,
  headSha,
  isPlainRef,
  resolveCommit,
  revParseLines,
} from './refs.js';

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
  const facts = await laneFacts(workspacePath, options.baseHead);
  const { baseHead, branch } = facts;

  let committedByUs = false;
  if (expectedBranch !== undefined) {
    if (branch !== expectedBranch) throw new LaneBranchMismatchError(workspacePath, branch, expectedBranch);
    await assertSafeCommitTarget(workspacePath, expectedBranch, facts.dirs);
    await git(['add', '--all'], workspacePath);
    const staged = await runGit(['diff', '--cached', '--quiet'], { cwd: workspacePath, okExitCodes: [1] });
    if (staged.exitCode === 1) {
      const [subject, body] = commitMessage(options);
      await git(['commit', '--quiet', '-m', subject, '-m', body], workspacePath);
      committedByUs = true;
    }
  }

  const { commitCount, changedFiles, newest } = await countLaneWork(workspacePath, `${baseHead}..HEAD`);
  // Our commit is HEAD, on the first-parent line and not a merge: the newest commit the count
  // listed. That saves a git process per implementation run (500 at 500 WPs).
  const head = committedByUs ? newest : facts.head;
  return {
    commitCount,
    head: head ?? (await headSha(workspacePath)),
    committedByUs,
    changedFiles,
    branch,
  };
}

interface LaneFacts {
  baseHead: string;
  branch: string | null;
  /** HEAD before we commit anything; null when the fast path did not answer. */
  head: string | null;
  /** Absolute git dir and common dir of the worktree; null when the fast path did not answer. */
  dirs: { gitDir: string; commonDir: string } | null;
}

/**
 * The base commit, the branch, HEAD and the worktree's git dirs in one git process; in any
 * unusual case (unknown base, unborn or odd HEAD) the one-question calls, which raise the
 * precise typed errors.
 */
async function laneFacts(workspacePath: string, baseRef: string): Promise<LaneFacts> {
  const fast = isPlainRef(baseRef)
    ? await revParseLines(
        workspacePath,
        [
          '--path-format=absolute',
          '--git-dir',
          '--git-common-dir',
          `${baseRef}^{commit}`,
          'HEAD^{commit}',
          '--symbolic-full-name',
          'HEAD',
        ],
        5,
      )
    : null;
  const [gitDir, commonDir, baseHead, head, symbolicHead] = fast ?? [];
  const branch = symbolicHead === undefined ? undefined : branchOfSymbolicHead(symbolicHead);
  if (gitDir && commonDir && baseHead && head && branch !== undefined) {
    return { baseHead, branch, head, dirs: { gitDir, commonDir } };
  }
  return {
    baseHead: await resolveCommit(workspacePath, baseRef, 'Base head'),
    branch: await currentBranch(workspacePath),
    head: null,
    dirs: null,
  };
}

/**
 * Non-merge first-parent commits in `range`, the files they touch and the newest commit, from
 * one `git log`: each
 * commit is a `\x01<sha>` field, followed (when it touched files) by its file names, all
 * NUL-separated (the first file of a commit comes after a newline).
 */
async function countLaneWork(
  workspacePath: string,
  range: string,
): Promise<{ commitCount: number; changedFiles: string[]; newest: string | undefined }> {
  const listing = await git(
    ['log', '-z', '--first-parent', '--no-merges', '--name-only', '--format=%x01%H', range],
    workspacePath,
  );
  let commitCount = 0;
  let newest: string | undefined;
  const files = new Set<string>();
  for (const field of listing.split('\0')) {
    if (isCommitField(field)) {
      commitCount += 1;
      // `git log` lists the newest first.
      newest ??= field.slice(1);
    } else {
      const file = field.replace(/^\n+/, '');
      if (file !== '') files.add(file);
    }
  }
  return { commitCount, changedFiles: [...files].sort(), newest };
}

/** `\x01` and a full object id: what `--format=%x01%H` prints, never a file name. */
function isCommitField(field: string): boolean {
  return field.charCodeAt(0) === 1 && /^[0-9a-f]{40,64}$/.test(field.slice(1));
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

async function assertSafeCommitTarget(
  workspacePath: string,
  branch: string,
  dirs: { gitDir: string; commonDir: string } | null,
): Promise<void> {
  if (PROTECTED_BRANCHES.has(branch)) {
    throw new UnsafeCommitTargetError(workspacePath, `${branch} is a protected branch, never a lane branch`);
  }
  const gitDir =
    dirs?.gitDir ?? (await git(['rev-parse', '--path-format=absolute', '--git-dir'], workspacePath));
  const commonDir =
    dirs?.commonDir ??
    (await git(['rev-parse', '--path-format=absolute', '--git-common-dir'], workspacePath));
  if (path.resolve(gitDir) === path.resolve(commonDir)) {
    throw new UnsafeCommitTargetError(workspacePath, 'it is the primary checkout, not a lane worktree');
  }
  const primaryBranch = await primaryCheckoutBranch(workspacePath, commonDir);
  if (primaryBranch === branch) {
    throw new UnsafeCommitTargetError(workspacePath, `${branch} is the branch of the primary checkout`);
  }
}

/**
 * The branch of the primary checkout, null when detached or bare. Asked of the common git dir
 * (whose HEAD is the primary checkout's) in one call: `git worktree list`, the fallback, reads
 * every lane's admin folder, so it grows with the lanes and fails while the host is adding one
 * ("failed to read .../commondir", seen with 16 lanes at once).
 */
async function primaryCheckoutBranch(cwd: string, commonDir: string): Promise<string | null> {
  const fast = await runGit(
    [`--git-dir=${commonDir}`, 'rev-parse', '--is-bare-repository', '--symbolic-full-name', 'HEAD'],
    { cwd },
  ).then(
    (answer) => answer.stdout.replace(/\n$/, '').split('\n'),
    () => null,
  );
  if (fast?.length === 2) {
    const [bare, head] = fast as [string, string];
    const branch = branchOfSymbolicHead(head);
    if (bare === 'true') return null;
    if (bare === 'false' && branch !== undefined) return branch;
  }
  return worktreeListPrimaryBranch(cwd);
}

/** The branch of the first (primary) entry of `git worktree list`, null when detached or bare. */
async function worktreeListPrimaryBranch(cwd: string): Promise<string | null> {
  const listing = await git(['worktree', 'list', '--porcelain', '-z'], cwd);
  for (const field of listing.split('\0')) {
    if (field === '') return null; // End of the first entry.
    if (field.startsWith('branch refs/heads/')) return field.slice('branch refs/heads/'.length);
  }
  return null;
}
