/**
 * Every agent process carries a mark in its environment naming the repository (and the WP, role
 * and agent) it works for, and so does everything it starts. After a SIGKILL of the orchestrator,
 * the reaper finds by this mark the groups the registry could not know of: an agent started in
 * the instant before its pid reached the disk, or a helper that left the agent's process group.
 *
 * Linux only (it reads /proc); elsewhere the registry alone answers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readProcState } from './process-group.js';

export const AGENT_MARK_ENV = 'SPEC_KITTY_ORCHESTRATOR_AGENT';

export interface AgentMark {
  wpId: string;
  role: string;
  agent: string;
}

const markSchema = z.object({ repo: z.string(), wpId: z.string(), role: z.string(), agent: z.string() });

/** The environment entry an agent of `repoRoot` is started with. */
export function agentMarkEnv(repoRoot: string, mark: AgentMark): Record<string, string> {
  return { [AGENT_MARK_ENV]: JSON.stringify({ repo: path.resolve(repoRoot), ...mark }) };
}

export interface MarkedGroup extends AgentMark {
  pgid: number;
}

/**
 * The live process groups holding a process marked as an agent of `repoRoot` (one entry per
 * group; the orchestrator's own group never). Processes we may not read are someone else's.
 */
export function findMarkedGroups(repoRoot: string): MarkedGroup[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const repo = path.resolve(repoRoot);
  const ownGroup = readProcState(process.pid)?.pgrp;
  const groups = new Map<number, MarkedGroup>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const mark = readMark(Number(entry));
    if (!mark || mark.repo !== repo) continue;
    const state = readProcState(Number(entry));
    if (!state || state.state === 'Z' || state.state === 'X') continue;
    if (state.pgrp <= 1 || state.pgrp === ownGroup || groups.has(state.pgrp)) continue;
    groups.set(state.pgrp, { pgid: state.pgrp, wpId: mark.wpId, role: mark.role, agent: mark.agent });
  }
  return [...groups.values()];
}

function readMark(pid: number): z.infer<typeof markSchema> | undefined {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return undefined;
  }
  const prefix = `${AGENT_MARK_ENV}=`;
  const entry = environ.split('\0').find((variable) => variable.startsWith(prefix));
  if (!entry) return undefined;
  try {
    const parsed = markSchema.safeParse(JSON.parse(entry.slice(prefix.length)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
