/**
 * Runs one orchestrator command line on a prepared project and times it. The command is a
 * template: {mission}, {repo} and {eventLog} are replaced (shell-quoted), so any orchestrator can
 * be measured on the same scenario and host. Ours also writes the metrics file (SKO_METRICS_FILE).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './project.js';

export function defaultCommand(): string {
  const main = path.join(projectRoot(), 'dist', 'cli', 'main.js');
  return `node ${quote(main)} orchestrate --mission {mission} --event-log {eventLog}`;
}

export interface CommandRun {
  command: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Spawn to exit, as the harness saw it. */
  makespanMs: number;
  startedAtMs: number;
  endedAtMs: number;
  /**
   * CPU (user + sys) of the command and every process it waited for (host calls, agents, git),
   * from the kernel's count of reaped children of this harness; undefined off Linux.
   */
  treeCpuMs?: number;
}

export interface CommandRunOptions {
  template: string;
  cwd: string;
  env: Record<string, string>;
  values: { mission: string; repo: string; eventLog: string };
  /** stdout and stderr go here. */
  outputFile: string;
  timeoutMs: number;
}

export function runCommand(options: CommandRunOptions): Promise<CommandRun> {
  const command = options.template.replace(
    /\{(mission|repo|eventLog)\}/g,
    (_, key: keyof CommandRunOptions['values']) => quote(options.values[key]),
  );
  const output = createWriteStream(options.outputFile);
  return new Promise((resolve, reject) => {
    const startedAtMs = Date.now();
    const started = performance.now();
    const childrenCpuBefore = reapedChildrenCpuMs();
    // `exec` so the timed process is the orchestrator itself, not a shell waiting for it.
    const child = spawn('sh', ['-c', `exec ${command}`], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(output, { end: false });
    child.stderr.pipe(output, { end: false });
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      const makespanMs = performance.now() - started;
      const childrenCpuAfter = reapedChildrenCpuMs();
      const treeCpuMs =
        childrenCpuBefore === undefined || childrenCpuAfter === undefined
          ? undefined
          : childrenCpuAfter - childrenCpuBefore;
      output.end(() =>
        resolve({
          command,
          exitCode,
          signal,
          makespanMs,
          startedAtMs,
          endedAtMs: startedAtMs + makespanMs,
          ...(treeCpuMs === undefined ? {} : { treeCpuMs }),
        }),
      );
    });
  });
}

/** Linux clock ticks per second (USER_HZ): 100 on every mainstream kernel build. */
const USER_HZ = 100;

/**
 * cutime + cstime of this process (/proc/self/stat fields 16 and 17): the CPU of every child it
 * reaped, each including the children those reaped in turn. Runs are one at a time, so the
 * difference around a run is that run's whole process tree.
 */
export function reapedChildrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cutime = Number(fields[13]);
    const cstime = Number(fields[14]);
    if (!Number.isFinite(cutime) || !Number.isFinite(cstime)) return undefined;
    return ((cutime + cstime) * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
}

/** POSIX shell quoting. */
export function quote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
