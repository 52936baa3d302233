/**
 * A record of the agent process groups this repository's orchestrator started, kept on disk so
 * that a run killed with SIGKILL (which skips every exit hook) leaves nothing running once it is
 * resumed: the next session reaps every recorded group that is still alive before anything else
 * runs.
 *
 * Written synchronously (temp file + rename) from the agent's start callback: the pid is in the
 * file before the agent can do anything worth reaping, and a crash mid-write leaves the previous
 * file. A crash between writing the temp file and renaming it leaves the newest entry only in
 * that temp file, so the reaper reads the temp files of earlier processes too. Not fsynced: what
 * it guards against is our process dying (the kernel's page cache keeps the file for the next
 * session), and a machine crash, the one case an fsync covers, ends the agents with it. The
 * fsync blocked the event loop for ~2 ms at every agent start (400 ms a 100-WP run). Each entry
 * keeps the leader's start time, so a pid the kernel has since given to an unrelated process is
 * never signalled.
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { findMarkedGroups } from './agent-mark.js';
import { isProcessGroupAlive, killProcessGroup } from './process-group.js';

/** Under `.kittify/logs/`, which projects already keep out of git. */
export const AGENT_REGISTRY_FILE = path.join('.kittify', 'logs', 'orchestrator-agents.json');

const recordedAgentSchema = z.object({
  pid: z.int().positive(),
  /** /proc/<pid>/stat start time (clock ticks since boot); null where /proc is not available. */
  startTime: z.string().nullable(),
  wpId: z.string(),
  role: z.string(),
  agent: z.string(),
  startedAt: z.string(),
});
export type RecordedAgent = z.infer<typeof recordedAgentSchema>;

const registrySchema = z.object({ agents: z.array(recordedAgentSchema) });

export function agentRegistryPath(repoRoot: string): string {
  return path.join(repoRoot, AGENT_REGISTRY_FILE);
}

export interface AgentStartRecord {
  wpId: string;
  role: string;
  agent: string;
  pid: number;
}

export interface AgentRegistry {
  /** Records a started group (synchronously); groups that have ended meanwhile are dropped. */
  record(start: AgentStartRecord): void;
}

export function createAgentRegistry(repoRoot: string, now: () => Date = () => new Date()): AgentRegistry {
  const file = agentRegistryPath(repoRoot);
  return {
    record(start) {
      const live = readRecordedAgents(file).agents.filter((entry) => isSameProcessGroup(entry));
      live.push({
        pid: start.pid,
        startTime: processStartTime(start.pid),
        wpId: start.wpId,
        role: start.role,
        agent: start.agent,
        startedAt: now().toISOString(),
      });
      writeRegistrySync(file, live);
    },
  };
}

export interface ReapReport {
  /** Groups found alive and killed. */
  reaped: RecordedAgent[];
  /** Entries whose group had already ended (or whose pid now belongs to someone else). */
  gone: number;
  /** The registry could not be read as ours (it is then replaced); the reason, for a warning. */
  unreadable?: string;
}

/**
 * Kills every recorded group that is still alive (SIGTERM, `graceMs`, SIGKILL), then empties the
 * registry. Call it once the run lock is held and before any agent of the new session starts:
 * the lock makes every record (and every temp file a killed writer left) an earlier run's, and
 * every live process marked as an agent of this repository (see agent-mark.ts) an orphan too:
 * that catches a group started in the instant before its record reached the disk.
 */
export async function reapRecordedAgents(repoRoot: string, graceMs: number): Promise<ReapReport> {
  const file = agentRegistryPath(repoRoot);
  const { agents: recorded, unreadable } = readRecordedAgents(file);
  const unfinished = unfinishedWrites(file);
  const agents = uniqueByPid([...recorded, ...unfinished.flatMap((temp) => temp.agents)]);
  const known = new Set(agents.map((entry) => entry.pid));
  const unrecorded: RecordedAgent[] = findMarkedGroups(repoRoot)
    .filter((group) => !known.has(group.pgid))
    .map(({ pgid, wpId, role, agent }) => ({
      pid: pgid,
      wpId,
      role,
      agent,
      startTime: null,
      startedAt: 'unrecorded',
    }));
  const reaped: RecordedAgent[] = [];
  let gone = 0;
  await Promise.all(
    [...agents, ...unrecorded].map(async (entry) => {
      if (!isSameProcessGroup(entry)) {
        gone += 1;
        return;
      }
      try {
        const result = await killProcessGroup(entry.pid, graceMs);
        if (result.wasAlive) reaped.push(entry);
        else gone += 1;
      } catch {
        // Our own group, or not ours to signal: leave it, nothing we started can be there.
        gone += 1;
      }
    }),
  );
  if (agents.length > 0 || unreadable) writeRegistrySync(file, []);
  for (const temp of unfinished) rmSync(temp.path, { force: true });
  return { reaped, gone, ...(unreadable ? { unreadable } : {}) };
}

/**
 * Temp files of other processes' registry writes that never reached their rename (the writer was
 * killed): complete or not, what parses counts; their newest entry may be an agent still running.
 */
function unfinishedWrites(file: string): Array<{ path: string; agents: RecordedAgent[] }> {
  const prefix = `${path.basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(path.dirname(file));
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'))
    .filter((name) => name !== path.basename(tempPathFor(file)))
    .map((name) => {
      const temp = path.join(path.dirname(file), name);
      return { path: temp, agents: readRecordedAgents(temp).agents };
    });
}

function uniqueByPid(agents: RecordedAgent[]): RecordedAgent[] {
  const byPid = new Map<number, RecordedAgent>();
  for (const agent of agents) byPid.set(agent.pid, agent);
  return [...byPid.values()];
}

function tempPathFor(file: string): string {
  return `${file}.${process.pid}.tmp`;
}

export function readRecordedAgents(file: string): { agents: RecordedAgent[]; unreadable?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { agents: [] };
    return { agents: [], unreadable: String(error) };
  }
  try {
    const parsed = registrySchema.safeParse(JSON.parse(text));
    if (parsed.success) return { agents: parsed.data.agents };
    return { agents: [], unreadable: parsed.error.message };
  } catch (error) {
    return { agents: [], unreadable: `not JSON (${(error as Error).message})` };
  }
}

/**
 * Whether the recorded group still runs, and is still the one we started. While any member of a
 * group lives, Linux does not reuse its id, so a live group whose leader is gone is still ours; a
 * live leader must have the recorded start time.
 */
function isSameProcessGroup(entry: RecordedAgent): boolean {
  if (!isProcessGroupAlive(entry.pid)) return false;
  const startTime = processStartTime(entry.pid);
  if (startTime === null || entry.startTime === null) return true;
  return startTime === entry.startTime;
}

/** Field 22 of /proc/<pid>/stat; null when the process is gone or /proc is not there. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function writeRegistrySync(file: string, agents: RecordedAgent[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${JSON.stringify({ agents }, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}
