/**
 * The BUILT command line as a subprocess: `node dist/cli/main.js ...`, exactly as a user or a
 * script runs it (no stdin, CI=true, its own environment). Tests get the exit code, both streams,
 * and for long runs a handle to signal the process and wait for it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');
export const CLI_MAIN = path.join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
/** The simulated executable runs dist/host/simulated/cli.js. */
const SIMULATED_HOST_CLI = path.join(PROJECT_ROOT, 'dist', 'host', 'simulated', 'cli.js');

/** For a `beforeAll`: these tests exercise dist/, so a missing build is a setup error, said plainly. */
export function assertCliBuilt(): void {
  for (const file of [CLI_MAIN, SIMULATED_HOST_CLI]) {
    if (!existsSync(file)) {
      throw new Error(
        `${path.relative(PROJECT_ROOT, file)} is missing: the CLI end-to-end tests run the built CLI. ` +
          'Run `npm run build` first (`npm test` does).',
      );
    }
  }
}

export interface CliResult {
  /** null when the process was ended by a signal (see `signal`). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  cwd: string;
  /** The complete environment (not merged with the test process's). */
  env: Readonly<Record<string, string>>;
}

export interface RunningCli {
  readonly pid: number;
  readonly child: ChildProcess;
  /** What was printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited and both streams are closed. */
  done: Promise<CliResult>;
  signal(signal: NodeJS.Signals): void;
}

/** Starts the CLI; stdin is closed (`ignore`), like a CI job or a cron line. */
export function startCli(args: readonly string[], options: CliRunOptions): RunningCli {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], {
    cwd: options.cwd,
    // PWD as the user's shell sets it (the primary checkout): agents must not take it for theirs.
    env: { PWD: options.cwd, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
  if (child.pid === undefined) throw new Error(`could not start ${CLI_MAIN}`);
  const pid = child.pid;
  running.add(child);
  void done.finally(() => running.delete(child)).catch(() => undefined);
  return {
    pid,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    signal: (name) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(name);
    },
  };
}

export function runCli(args: readonly string[], options: CliRunOptions): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Every CLI process a test started and that has not exited yet; `killStrayClis` ends them. */
const running = new Set<ChildProcess>();

/** How long a stray CLI gets to save its state and stop its agents before it is killed. */
const STRAY_GRACE_MS = 10_000;

/**
 * For an `afterEach`: a failed assertion must not leave an orchestrator running. SIGTERM first
 * (the orchestrator then stops its agents' process groups), SIGKILL if it does not exit.
 */
export async function killStrayClis(): Promise<void> {
  const exits = [...running].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), STRAY_GRACE_MS);
        child.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  );
  await Promise.all(exits);
}

/** A readable account of a run for assertion messages. */
export function describeRun(result: CliResult): string {
  return [
    `exit ${result.exitCode}${result.signal ? ` (signal ${result.signal})` : ''}`,
    '--- stdout ---',
    result.stdout,
    '--- stderr ---',
    result.stderr,
  ].join('\n');
}
