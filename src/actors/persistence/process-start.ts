/**
 * When a process started, as the OS tells it: with the pid (and, on Linux, the boot id) it names
 * one process for good, where a pid alone is reused (containers start again from pid 1, and a
 * busy machine wraps around). The lock records it so that a stale lock whose pid now belongs to
 * an unrelated process is judged stale, and `abort` never signals that process.
 *
 * Linux: field 22 of /proc/<pid>/stat (clock ticks since boot, exact). Elsewhere: `ps -o lstart=`
 * (to the second). Undefined when neither answers: the pid check alone decides, as before.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Index of `starttime` among the fields after the command name (field 22; the name is field 2). */
const STARTTIME_AFTER_NAME = 22 - 3;

export function processStartTime(pid: number): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const fromProc = procStartTime(pid);
  if (fromProc !== 'no-proc') return fromProc;
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2_000,
    }).trim();
    return out === '' ? undefined : `ps:${out}`;
  } catch {
    return undefined; // no such process, or no ps
  }
}

/** The /proc answer; 'no-proc' when this system has no /proc to ask. */
function procStartTime(pid: number): string | undefined | 'no-proc' {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      try {
        readFileSync('/proc/self/stat');
        return undefined; // /proc works: the process is gone
      } catch {
        return 'no-proc';
      }
    }
    return undefined;
  }
  // The command name is in parentheses and may contain ") ": split after the last one.
  const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[STARTTIME_AFTER_NAME];
  return ticks !== undefined && /^\d+$/.test(ticks) ? `proc:${ticks}` : undefined;
}
