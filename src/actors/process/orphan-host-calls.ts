/**
 * Host calls a crashed orchestrator left running. SIGKILL ends the orchestrator but not the
 * `spec-kitty orchestrator-api ...` process it had started: that call still completes and moves a
 * lane. A resumed run that read mission-state before it lands would act on a stale lane (and, for
 * a review we own, force it back from a lane the orphan has just left). So resume waits, bounded,
 * for such processes to finish before it reads anything.
 *
 * Found through /proc (Linux): processes whose environment names this repository as
 * SPECIFY_REPO_ROOT and whose command line is an orchestrator-api call, other than our own
 * children. Elsewhere nothing is found and resume proceeds as before.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 100;

/** Pids of live `orchestrator-api` host processes working on `repoRoot` that we did not start. */
export function orphanHostCalls(repoRoot: string): number[] {
  const marker = `SPECIFY_REPO_ROOT=${repoRoot}\0`;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Zombies are finished; our own children are calls of this session.
      if (fields[0] === 'Z' || Number(fields[1]) === process.pid) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      if (!cmdline.includes('\0orchestrator-api\0')) continue;
      const environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
      if (`${environ}\0`.includes(marker)) pids.push(pid);
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return pids;
}

/** Waits until no orphan host call runs on `repoRoot`; false when `timeoutMs` passed first. */
export async function waitForOrphanHostCalls(
  repoRoot: string,
  timeoutMs: number,
  onWaiting?: (pids: number[]) => void,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    const pids = orphanHostCalls(repoRoot);
    if (pids.length === 0) return true;
    if (!told) onWaiting?.(pids);
    told = true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}
