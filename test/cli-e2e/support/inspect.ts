/**
 * What a CLI run left behind, read from outside the orchestrator: the run-state file, the host's
 * own view of the mission, lane branches, the fake agents' log, and any agent process still alive.
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HostClient } from '../../../src/host/client.js';
import { createExecTransport } from '../../../src/host/exec-transport.js';
import type { MissionState } from '../../../src/host/schemas.js';
import { flowStep } from '../../../src/machines/restore/persisted-run.js';
import { git } from '../../support/temp-repo.js';
import { fakeAgentPids } from './processes.js';
import type { CliProject } from './project.js';

export function runStateFile(root: string): string {
  return path.join(root, '.kittify', 'orchestrator-run-state.json');
}

export function lockFile(root: string): string {
  return path.join(root, '.kittify', 'orchestrator.lock');
}

/** The run-state file as JSON, or undefined when there is none (or it is mid-write). */
export function readRunStateJson(root: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(runStateFile(root), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The host's answer to mission-state, through the same host binary the CLI used. */
export async function hostMissionState(project: CliProject): Promise<MissionState> {
  const client = new HostClient(
    createExecTransport({ repoRoot: project.root, hostBin: project.env.SPEC_KITTY_BIN, env: project.env }),
  );
  return client.missionState({ mission: project.mission });
}

export function lanesOf(state: MissionState): Record<string, string> {
  return Object.fromEntries(state.work_packages.map((wp) => [wp.wp_id, wp.lane]));
}

/** Lane moves per WP as `from>to`, the bootstrap move into planned left out. */
/** The lane moves of a WP implemented once and approved in its first review. */
export const APPROVED_PATH: readonly string[] = [
  'planned>claimed',
  'claimed>in_progress',
  'in_progress>for_review',
  'for_review>in_review',
  'in_review>done',
];

/** The step a saved WP actor was in (its flow region, dotted), read from the run-state file. */
export function savedWpStep(root: string, wp: string): string | undefined {
  const state = readRunStateJson(root) as
    | { snapshot?: { children?: Record<string, { snapshot?: { value?: unknown } }> } }
    | undefined;
  return flowStep(state?.snapshot?.children?.[wp]?.snapshot?.value);
}

export function laneSequences(project: CliProject): Record<string, string[]> {
  const sequences: Record<string, string[]> = {};
  for (const event of project.laneEvents()) {
    if (event.to_lane === 'planned' && !(event.wp_id in sequences)) continue;
    const sequence = sequences[event.wp_id] ?? [];
    sequence.push(`${event.from_lane}>${event.to_lane}`);
    sequences[event.wp_id] = sequence;
  }
  return sequences;
}

/** Local branch names. */
export function branches(root: string): string[] {
  return git(root, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/')
    .split('\n')
    .filter((name) => name !== '');
}

/** Commits on `branch` that are not on `base`. */
export function commitsAhead(root: string, base: string, branch: string): number {
  return Number(git(root, 'rev-list', '--count', `${base}..${branch}`));
}

export interface FakeInvocation {
  agent: string;
  role: 'implementation' | 'review';
  wp: string;
  attempt: number;
  action: string;
  /** The folder the agent ran in (its worktree). */
  cwd: string;
}

export function fakeInvocations(project: CliProject): FakeInvocation[] {
  const file = path.join(project.agentStateDir, 'invocations.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FakeInvocation);
}

/** Pids of this project's fake agents that are still alive (see fakeAgentPids). */
export function liveAgentPids(project: CliProject): number[] {
  return fakeAgentPids(project.agentStateDir);
}

/**
 * The process group of a live process (what the orchestrator signals and reports): the agent
 * itself when it runs unconfined, the bubblewrap process that runs it when confined. Read from
 * /proc/<pid>/stat (the field after the state; the command name before it may hold spaces).
 */
export function processGroupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[2]);
}

/**
 * Waits until `probe` returns a value; the test's own timeout bounds the wait (no timing is
 * asserted). `describe` says what was awaited when the process under test exits first.
 */
export async function waitFor<T>(
  probe: () => T | undefined | false,
  options: { what: string; stillRunning?: () => boolean; intervalMs?: number },
): Promise<T> {
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (options.stillRunning && !options.stillRunning()) {
      const last = probe();
      if (last !== undefined && last !== false) return last;
      throw new Error(`the CLI exited before ${options.what}`);
    }
    await sleep(options.intervalMs ?? 100);
  }
}

/** Everything `git status` reports, for before/after comparisons. */
export function gitStatus(root: string): string {
  return git(root, 'status', '--porcelain', '--untracked-files=all', '--ignored');
}

/**
 * The policy the REAL host recorded with each lane event it wrote for our calls (the event log's
 * `policy_metadata`), in log order; events without one (the host's own) are left out.
 */
export function hostRecordedPolicies(project: CliProject): Record<string, unknown>[] {
  const file = path.join(project.root, 'kitty-specs', project.mission, 'status.events.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter(
      (event) =>
        typeof event.to_lane === 'string' &&
        typeof event.policy_metadata === 'object' &&
        event.policy_metadata !== null,
    )
    .map((event) => event.policy_metadata as Record<string, unknown>);
}
