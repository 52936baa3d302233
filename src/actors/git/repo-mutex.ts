/**
 * Serialises worktree creation per repository inside this process: concurrent `git worktree
 * add` / `prune` calls on one repository race on its administrative files, while WPs of one
 * mission are prepared concurrently.
 */
const tails = new Map<string, Promise<unknown>>();

export async function withRepoLock<T>(repoKey: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(repoKey) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.catch(() => {});
  tails.set(repoKey, settled);
  try {
    return await run;
  } finally {
    if (tails.get(repoKey) === settled) tails.delete(repoKey);
  }
}
