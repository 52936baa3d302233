/**
 * Liveness checks and group kills for agent processes. Agents are started as leaders of their
 * own process group (pgid = pid), so signalling `-pid` reaches the agent and every helper it
 * started that did not leave the group.
 *
 * Zombies count as gone: in containers PID 1 often does not reap orphans, and a zombie answers
 * `kill(pid, 0)` although it runs nothing. On Linux /proc tells them apart; elsewhere we trust
 * `kill(pid, 0)`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long to wait for the kernel to finish off a group after SIGKILL. */
const KILL_SETTLE_MS = 2_000;
const POLL_MS = 25;

export interface GroupKillResult {
  /** Whether anything of the group was running when we started. */
  wasAlive: boolean;
  /** Whether SIGKILL was needed because SIGTERM was ignored past the grace period. */
  forced: boolean;
  /** Whether the group is gone now (false only if something survived SIGKILL, e.g. stuck in the kernel). */
  gone: boolean;
}

/**
 * SIGTERM to the whole group, up to `graceMs` for it to leave, then SIGKILL. Resolves once the
 * group is gone (or a bounded wait after SIGKILL has passed).
 *
 * After a crash, call it with a pid recorded by `onStart`: if that group is already gone this
 * is a no-op. Refuses pids that would signal ourselves or everything (0, 1, negative, own group).
 */
export async function killProcessGroup(pgid: number, graceMs = 5_000): Promise<GroupKillResult> {
  assertSafeGroupId(pgid);
  if (!isProcessGroupAlive(pgid)) return { wasAlive: false, forced: false, gone: true };
  signalGroup(pgid, 'SIGTERM');
  if (await waitForGroupExit(pgid, graceMs)) return { wasAlive: true, forced: false, gone: true };
  signalGroup(pgid, 'SIGKILL');
  const gone = await waitForGroupExit(pgid, KILL_SETTLE_MS);
  return { wasAlive: true, forced: true, gone };
}

/** Whether a process exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (!answersSignalZero(pid)) return false;
  const state = readProcState(pid);
  return state === undefined ? true : state.state !== 'Z' && state.state !== 'X';
}

/** Whether any non-zombie member of process group `pgid` exists. */
export function isProcessGroupAlive(pgid: number): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  if (!answersSignalZero(-pgid)) return false;
  // A live leader answers it without reading every process of the machine (the usual case
  // while an agent runs: its start is recorded with a liveness check of every recorded group).
  const leader = readProcState(pgid);
  if (leader && leader.pgrp === pgid && leader.state !== 'Z' && leader.state !== 'X') return true;
  const members = livingGroupMembers(pgid);
  return members === undefined ? true : members.length > 0;
}

/** Polls until the group is gone; true if it went within `timeoutMs`. */
export async function waitForGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessGroupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}

/** Sends a signal to the group; a group that is already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  assertSafeGroupId(pgid);
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if (errorCode(error) !== 'ESRCH') throw error;
  }
}

function assertSafeGroupId(pgid: number): void {
  // kill(-1) would signal every process we may signal; kill(-0) our own group.
  if (!Number.isInteger(pgid) || pgid <= 1) throw new RangeError(`refusing to signal process group ${pgid}`);
  if (pgid === process.pid || pgid === readProcState(process.pid)?.pgrp) {
    throw new RangeError(`refusing to signal the orchestrator's own process group ${pgid}`);
  }
}

function answersSignalZero(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; still alive.
    return errorCode(error) === 'EPERM';
  }
}

export interface ProcState {
  state: string;
  pgrp: number;
}

/** Parses /proc/<pid>/stat; undefined when /proc is not available (not Linux) or the pid is gone. */
export function readProcState(pid: number): ProcState | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may itself contain ") ", so split after the last one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const pgrp = Number(fields[2]);
  if (state === undefined || !Number.isInteger(pgrp)) return undefined;
  return { state, pgrp };
}

function livingGroupMembers(pgid: number): number[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const state = readProcState(Number(entry));
    if (state && state.pgrp === pgid && state.state !== 'Z' && state.state !== 'X')
      members.push(Number(entry));
  }
  return members;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
