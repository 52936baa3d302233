/**
 * Typed refusals of the workspace and lane-commit layer. Each has a stable `code` to branch on
 * (never the message) and a message that names the paths or branches involved and what to do.
 */
export type GitLayerErrorCode =
  | 'WORKSPACE_OUTSIDE_REPO'
  | 'WORKSPACE_NOT_A_WORKTREE'
  | 'WORKSPACE_CREATE_FAILED'
  | 'INVALID_REF'
  | 'LANE_BRANCH_MISMATCH'
  | 'UNSAFE_COMMIT_TARGET';

export abstract class GitLayerError extends Error {
  abstract readonly code: GitLayerErrorCode;
}

export class WorkspaceOutsideRepoError extends GitLayerError {
  override readonly name = 'WorkspaceOutsideRepoError';
  readonly code = 'WORKSPACE_OUTSIDE_REPO' as const;
  constructor(
    readonly workspacePath: string,
    readonly repoRoot: string,
  ) {
    super(
      `Refusing to use workspace ${workspacePath}: it resolves outside the repository root ${repoRoot}. ` +
        'Agents only run in worktrees inside the repository; check the workspace path the host reported.',
    );
  }
}

export class WorkspaceNotWorktreeError extends GitLayerError {
  override readonly name = 'WorkspaceNotWorktreeError';
  readonly code = 'WORKSPACE_NOT_A_WORKTREE' as const;
  constructor(
    readonly workspacePath: string,
    detail: string,
  ) {
    super(
      `Refusing to use workspace ${workspacePath}: ${detail}. Remove it (or move it away) so a git worktree can be created there.`,
    );
  }
}

export class WorkspaceCreateError extends GitLayerError {
  override readonly name = 'WorkspaceCreateError';
  readonly code = 'WORKSPACE_CREATE_FAILED' as const;
  constructor(
    readonly workspacePath: string,
    readonly laneBranch: string | undefined,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `Could not create the worktree ${workspacePath}${laneBranch ? ` on branch ${laneBranch}` : ''}: ${detail}`,
      { cause },
    );
  }
}

export class InvalidRefError extends GitLayerError {
  override readonly name = 'InvalidRefError';
  readonly code = 'INVALID_REF' as const;
  constructor(
    readonly ref: string,
    readonly what: string,
  ) {
    super(`${what} "${ref}" is not a valid git ref here (or names no commit).`);
  }
}

export class LaneBranchMismatchError extends GitLayerError {
  override readonly name = 'LaneBranchMismatchError';
  readonly code = 'LANE_BRANCH_MISMATCH' as const;
  constructor(
    readonly workspacePath: string,
    readonly actualBranch: string | null,
    readonly expectedBranch: string,
  ) {
    super(
      `Refusing to commit: worktree ${workspacePath} is on ${actualBranch ?? 'a detached HEAD'}, ` +
        `expected ${expectedBranch}. Check out ${expectedBranch} in that worktree (the agent may have switched branches).`,
    );
  }
}

export class UnsafeCommitTargetError extends GitLayerError {
  override readonly name = 'UnsafeCommitTargetError';
  readonly code = 'UNSAFE_COMMIT_TARGET' as const;
  constructor(
    readonly workspacePath: string,
    reason: string,
  ) {
    super(`Refusing to commit in ${workspacePath}: ${reason}.`);
  }
}
