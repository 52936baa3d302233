/**
 * Observable moments of a running orchestrator, read from outside (as a person with `ps` and
 * `ls` would): which host calls run for this repository, whether an agent or its mark-status call
 * runs, when the run-state file was last replaced, how many lane events the host recorded, which
 * agents hang. The crash test kills the orchestrator at these moments.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fakeInvocations } from '../../cli-e2e/support/inspect.js';
import { fakeAgentPids } from '../../cli-e2e/support/processes.js';
import type { CliProject } from '../../cli-e2e/support/project.js';

export interface HostProcess {
  pid: number;
  /** The orchestrator-api verb (`transition`, `mission-state`...) or `agent` for mark-status. */
  verb: string;
  /** Its whole command line. */
  args: string[];
}

/** Live spec-kitty processes working on this project's repository. */
export function hostProcesses(project: CliProject): HostProcess[] {
  const markers = [`SPECIFY_REPO_ROOT=${project.root}\0`, `FAKE_AGENT_STATE_DIR=${project.agentStateDir}\0`];
  const found: HostProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0');
      const api = args.indexOf('orchestrator-api');
      const agent = args.indexOf('mark-status');
      if (api < 0 && agent < 0) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (!markers.some((marker) => `${environ}\0`.includes(marker))) continue;
      found.push({ pid: Number(entry), verb: api >= 0 ? (args[api + 1] ?? '?') : 'mark-status', args });
    } catch {
      // gone while we looked
    }
  }
  return found;
}

const MUTATIONS = new Set(['start-implementation', 'transition', 'start-review', 'append-history']);

export function mutationRunning(project: CliProject): boolean {
  return hostProcesses(project).some((call) => MUTATIONS.has(call.verb));
}

export function markStatusRunning(project: CliProject): boolean {
  return hostProcesses(project).some((call) => call.verb === 'mark-status');
}

/** An agent at work (not the `--version` probe of the preflight check). */
export function agentRunning(project: CliProject): boolean {
  return fakeAgentPids(project.agentStateDir).some((pid) => {
    try {
      return !readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').includes('--version');
    } catch {
      return false;
    }
  });
}

/** mtime (ns) of the run-state file, or null. */
export function stateFileStamp(root: string): bigint | null {
  try {
    return statSync(path.join(root, '.kittify', 'orchestrator-run-state.json'), { bigint: true }).mtimeNs;
  } catch {
    return null;
  }
}

/** Lane events the host recorded that end in `lane`. */
export function lanesReached(project: CliProject, lane: string): number {
  return project.laneEvents().filter((event) => event.to_lane === lane).length;
}

/** Pids of this project's agents that hang (scenario action `hang`) and are still alive. */
export function hangingAgents(project: CliProject): number[] {
  const alive = new Set(fakeAgentPids(project.agentStateDir));
  return agentRecords(project)
    .filter((record) => record.action === 'hang' && alive.has(record.pid))
    .map((record) => record.pid);
}

/** Whether every agent in `pids` has written its invocation record (with its pid) or is gone. */
export function agentsAccountedFor(project: CliProject, pids: readonly number[]): boolean {
  const recorded = new Set(agentRecords(project).map((record) => record.pid));
  const alive = new Set(fakeAgentPids(project.agentStateDir));
  return pids.every((pid) => recorded.has(pid) || !alive.has(pid));
}

function agentRecords(project: CliProject): Array<{ pid: number; action: string }> {
  return fakeInvocations(project).map((call) => ({
    pid: (call as { pid?: number }).pid ?? -1,
    action: call.action,
  }));
}
