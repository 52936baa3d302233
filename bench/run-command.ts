/**
 * Runs one orchestrator command line on a prepared project and times it. The command is a
 * template: {mission}, {repo} and {eventLog} are replaced (shell-quoted), so any orchestrator can
 * be measured on the same scenario and host. Ours also writes the metrics file (SKO_METRICS_FILE).
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
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
      output.end(() =>
        resolve({ command, exitCode, signal, makespanMs, startedAtMs, endedAtMs: startedAtMs + makespanMs }),
      );
    });
  });
}

/** POSIX shell quoting. */
export function quote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
