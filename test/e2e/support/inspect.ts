/**
 * Reading back what a mission run left behind: the host's lane events and lanes, the lane
 * branches' commits, and whether any agent process is still alive.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive, isProcessGroupAlive } from '../../../src/actors/process/run-supervised.js';
import type { HostCallRecord, HostClient } from '../../../src/host/index.js';
import type { NormalizedLaneEvent } from '../../support/real-mission.js';
import { git } from '../../support/temp-repo.js';

/** Values grouped by key, each group in input order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string, value: (item: T) => string) {
  const groups: Record<string, string[]> = {};
  for (const item of items) {
    const group = groups[key(item)] ?? [];
    group.push(value(item));
    groups[key(item)] = group;
  }
  return groups;
}

/** Lane moves per WP as `from>to`, in log order; the bootstrap (genesis>planned) is not ours. */
export function laneSequences(events: readonly NormalizedLaneEvent[]): Record<string, string[]> {
  return groupBy(
    events.filter((event) => event.from_lane !== 'genesis'),
    (event) => event.wp_id,
    (event) => `${event.from_lane}>${event.to_lane}`,
  );
}

/** Lanes as mission-state reports them now. */
export async function hostLanes(host: HostClient, mission: string): Promise<Record<string, string>> {
  const state = await host.missionState({ mission });
  return Object.fromEntries(state.work_packages.map((wp) => [wp.wp_id, wp.lane]));
}

export interface LaneWork {
  branch: string;
  /** Commits on the lane branch that touch fake-agent-output/<wp>.txt. */
  outputCommits: number;
  /** That file at the branch tip, or null when absent. */
  output: string | null;
}

/** What the fake agents left on a WP's lane branch (the host names the branch). */
export async function laneWork(
  host: HostClient,
  repoRoot: string,
  mission: string,
  wpId: string,
): Promise<LaneWork> {
  const workspace = await host.resolveWorkspace({ mission, wp: wpId });
  const branch = workspace.lane_branch;
  if (!branch) throw new Error(`${wpId}: the host reports no lane branch`);
  const file = `fake-agent-output/${wpId}.txt`;
  const log = git(repoRoot, 'log', '--format=%H', branch, '--', file);
  const exists = git(repoRoot, 'ls-tree', '--name-only', branch, '--', file) !== '';
  const output = exists ? git(repoRoot, 'show', `${branch}:${file}`) : null;
  return { branch, outputCommits: log === '' ? 0 : log.split('\n').length, output };
}

/**
 * Pids (and process groups) still alive once `boundMs` has passed. Killing a group is
 * asynchronous after an abort, so this waits for them to go rather than sampling once; a normal
 * run has already reaped every group before its output is delivered.
 */
export async function survivors(pids: readonly number[], boundMs = 15_000): Promise<number[]> {
  const alive = () => pids.filter((pid) => isProcessAlive(pid) || isProcessGroupAlive(pid));
  const giveUpAt = Date.now() + boundMs;
  while (alive().length > 0 && Date.now() < giveUpAt) await sleep(100);
  return alive();
}

export function callCounts(calls: readonly HostCallRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.command] = (counts[call.command] ?? 0) + 1;
  return counts;
}
