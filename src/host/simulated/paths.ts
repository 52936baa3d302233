/** Where the simulated host keeps things, and the real host's worktree/branch naming. */
import path from 'node:path';

export const SIMULATED_DIR = path.join('.kittify', 'simulated-host');

export interface MissionPaths {
  dir: string;
  missionFile: string;
  eventsFile: string;
  lockFile: string;
  tasksDir: string;
}

export function missionPaths(repoRoot: string, slug: string): MissionPaths {
  const dir = path.join(repoRoot, SIMULATED_DIR);
  return {
    dir,
    missionFile: path.join(dir, `${slug}.json`),
    eventsFile: path.join(dir, `${slug}.events.jsonl`),
    lockFile: path.join(dir, `${slug}.lock`),
    tasksDir: path.join(dir, slug, 'tasks'),
  };
}

/** `kitty/mission-001-demo`, as the real host names the mission branch. */
export function missionBranchName(slug: string): string {
  return `kitty/mission-${slug}`;
}

/** `kitty/mission-001-demo-lane-a`. */
export function laneBranchName(slug: string, laneId: string): string {
  return `${missionBranchName(slug)}-${laneId}`;
}

/** `<repo>/.worktrees/001-demo-lane-a`. */
export function laneWorktreePath(repoRoot: string, slug: string, laneId: string): string {
  return path.join(repoRoot, '.worktrees', `${slug}-${laneId}`);
}

/** Mission slugs become file names: refuse anything that could escape the folder. */
export function isSafeSlug(slug: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(slug) && !slug.includes('..');
}
