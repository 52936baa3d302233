/**
 * Keeps the machine from sleeping while a run lasts, as the Python reference does on macOS with
 * `caffeinate`: on Linux through `systemd-inhibit` (which needs a running logind: containers and
 * CI have the binary but no bus), on macOS through `caffeinate`. The helper process is tied to
 * our pid (`tail --pid`, `caffeinate -w`), so even a SIGKILL of the orchestrator releases it.
 * Where neither works nothing is said beyond a debug line: sleep prevention is a comfort, not a
 * requirement.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { findOnPath } from '../../agents/detect.js';

export interface KeepAwake {
  /** Which tool holds the machine awake, or null when none could. */
  readonly tool: 'systemd-inhibit' | 'caffeinate' | null;
  release(): void;
}

export interface KeepAwakeOptions {
  why: string;
  pid?: number;
  platform?: NodeJS.Platform;
  pathDirs?: readonly string[];
  /** How long the helper must stay up to count as holding the inhibitor (it fails fast otherwise). */
  settleMs?: number;
}

const NONE: KeepAwake = { tool: null, release: () => undefined };

function command(
  options: KeepAwakeOptions,
  pid: number,
): { tool: KeepAwake['tool']; file: string; args: string[] } | null {
  const dirs = options.pathDirs ?? (process.env.PATH ?? '').split(':').filter((dir) => dir !== '');
  const platform = options.platform ?? process.platform;
  if (platform === 'darwin') {
    const file = findOnPath('caffeinate', dirs);
    return file ? { tool: 'caffeinate', file, args: ['-i', '-w', String(pid)] } : null;
  }
  if (platform === 'linux') {
    const file = findOnPath('systemd-inhibit', dirs);
    const tail = findOnPath('tail', dirs);
    if (!file || !tail) return null;
    return {
      tool: 'systemd-inhibit',
      file,
      args: [
        '--what=idle:sleep',
        '--who=spec-kitty-orchestrator',
        `--why=${options.why}`,
        '--mode=block',
        tail,
        `--pid=${pid}`,
        '-f',
        '/dev/null',
      ],
    };
  }
  return null;
}

export async function keepAwake(options: KeepAwakeOptions): Promise<KeepAwake> {
  const pid = options.pid ?? process.pid;
  const chosen = command(options, pid);
  if (!chosen) return NONE;
  let child: ChildProcess;
  try {
    child = spawn(chosen.file, chosen.args, { stdio: 'ignore' });
  } catch {
    return NONE;
  }
  const exited = new Promise<boolean>((resolve) => {
    child.once('exit', () => resolve(true));
    child.once('error', () => resolve(true));
  });
  const settled = await Promise.race([
    exited,
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), options.settleMs ?? 800).unref()),
  ]);
  if (settled) return NONE;
  // Not a reason for the orchestrator to stay alive.
  child.unref();
  return {
    tool: chosen.tool,
    release: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
