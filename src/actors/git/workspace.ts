/**
 * Makes sure the folder an agent will work in exists and is a git worktree of the repository:
 * an existing worktree is used as is, a missing one is created (on the lane branch when the
 * host named one). Paths are resolved (symlinks, `..`) before the inside-the-repository check,
 * so a crafted or stale workspace path can never point an agent at the rest of the disk.
 */
import { mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { WorkspaceCreateError, WorkspaceNotWorktreeError, WorkspaceOutsideRepoError } from './errors.js';
import { GitError, git } from './git.js';
import {
  assertValidBranchName,
  branchExists,
  branchOfSymbolicHead,
  headAndBranch,
  headSha,
  resolveCommit,
  revParseLines,
} from './refs.js';
import { withRepoLock } from './repo-mutex.js';

export interface EnsureWorkspaceOptions {
  repoRoot: string;
  /** Absolute, or relative to repoRoot (as the host may report it). */
  workspacePath: string;
  /** The lane branch to check out when the worktree has to be created. */
  laneBranch?: string;
  /** Where a lane branch that does not exist yet starts; defaults to the repository's HEAD. */
  baseRef?: string;
}

export interface Workspace {
  /** Resolved absolute path. */
  workspacePath: string;
  created: boolean;
  head: string;
  /** Branch checked out in the worktree, null when detached. */
  branch: string | null;
}

export async function ensureWorkspace(options: EnsureWorkspaceOptions): Promise<Workspace> {
  const repoRoot = await realpath(options.repoRoot);
  const workspacePath = await resolveThroughSymlinks(path.resolve(repoRoot, options.workspacePath));
  if (!isInside(repoRoot, workspacePath)) throw new WorkspaceOutsideRepoError(workspacePath, repoRoot);

  if (await exists(workspacePath)) return describeExisting(workspacePath);
  return withRepoLock(repoRoot, async () => {
    // Another caller may have created it while we waited for the lock.
    if (await exists(workspacePath)) return describeExisting(workspacePath);
    await createWorktree(repoRoot, workspacePath, options.laneBranch, options.baseRef);
    return { workspacePath, created: true, ...(await headAndBranch(workspacePath)) };
  });
}

/** The lane's current commit; take it before an agent runs so its work can be counted after. */
export async function captureLaneHead(workspacePath: string): Promise<string> {
  return headSha(workspacePath);
}

async function createWorktree(
  repoRoot: string,
  workspacePath: string,
  laneBranch: string | undefined,
  baseRef: string | undefined,
): Promise<void> {
  if (laneBranch !== undefined) await assertValidBranchName(repoRoot, laneBranch);
  const base = await resolveCommit(repoRoot, baseRef ?? 'HEAD', baseRef === undefined ? 'HEAD' : 'Base ref');
  try {
    // A worktree folder deleted by hand stays registered and blocks `worktree add` until pruned.
    await git(['worktree', 'prune'], repoRoot);
    await mkdir(path.dirname(workspacePath), { recursive: true });
    if (laneBranch === undefined) {
      await git(['worktree', 'add', '--detach', '--', workspacePath, base], repoRoot);
    } else if (await branchExists(repoRoot, laneBranch)) {
      await git(['worktree', 'add', '--', workspacePath, laneBranch], repoRoot);
    } else {
      await git(['worktree', 'add', '-b', laneBranch, '--', workspacePath, base], repoRoot);
    }
  } catch (error) {
    if (error instanceof GitError) throw new WorkspaceCreateError(workspacePath, laneBranch, error);
    throw error;
  }
}

async function describeExisting(workspacePath: string): Promise<Workspace> {
  const info = await stat(workspacePath);
  if (!info.isDirectory())
    throw new WorkspaceNotWorktreeError(workspacePath, 'it exists but is not a directory');
  // Every WP start comes here: one git process answers all three questions in the usual case.
  const fast = await revParseLines(
    workspacePath,
    ['--show-toplevel', 'HEAD^{commit}', '--symbolic-full-name', 'HEAD'],
    3,
  );
  const fastBranch = fast ? branchOfSymbolicHead(fast[2] as string) : undefined;
  if (fast && fastBranch !== undefined) {
    assertWorktreeRoot(workspacePath, await realpath(fast[0] as string));
    return { workspacePath, created: false, head: fast[1] as string, branch: fastBranch };
  }
  let topLevel: string;
  try {
    topLevel = await realpath(await git(['rev-parse', '--show-toplevel'], workspacePath));
  } catch (error) {
    if (error instanceof GitError)
      throw new WorkspaceNotWorktreeError(workspacePath, 'it is not inside a git worktree');
    throw error;
  }
  assertWorktreeRoot(workspacePath, topLevel);
  return { workspacePath, created: false, ...(await headAndBranch(workspacePath)) };
}

/** A plain folder inside the primary checkout would make the agent edit the primary checkout. */
function assertWorktreeRoot(workspacePath: string, topLevel: string): void {
  if (topLevel !== workspacePath) {
    throw new WorkspaceNotWorktreeError(
      workspacePath,
      `it is a plain folder inside the worktree ${topLevel}, not a worktree`,
    );
  }
}

/**
 * Resolves symlinks in the longest existing prefix of an absolute, normalised path (the rest
 * does not exist yet, so it cannot contain symlinks).
 */
async function resolveThroughSymlinks(absolute: string): Promise<string> {
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      return path.join(await realpath(existing), ...missing.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return absolute;
      missing.push(path.basename(existing));
      existing = parent;
    }
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
  );
}

async function exists(candidate: string): Promise<boolean> {
  try {
    await stat(candidate);
    return true;
  } catch {
    return false;
  }
}
