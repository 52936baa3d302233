/**
 * Is bubblewrap usable here? Found on PATH (or $SKO_BWRAP) is not enough: a kernel or container
 * that forbids unprivileged user namespaces makes every `bwrap` fail at once. So the probe runs
 * the same mounts an agent run gets, around `true`, and times it (the start-up cost each agent
 * run pays). Runs once per orchestrator start.
 */
import { execa } from 'execa';
import { READ_ONLY_BASE } from '../../agents/sandbox/bwrap-argv.js';

export type SandboxProbe =
  | { available: true; bwrap: string; version: string; startMs: number }
  | { available: false; reason: string };

/** How to get bubblewrap, for the messages that need it. */
export const BWRAP_INSTALL_HINT =
  'install bubblewrap (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: `sudo dnf install bubblewrap`)';

export async function probeSandbox(env: NodeJS.ProcessEnv = process.env): Promise<SandboxProbe> {
  const bwrap = env.SKO_BWRAP || 'bwrap';
  const version = await execa(bwrap, ['--version'], { reject: false, timeout: 10_000, stdin: 'ignore' });
  if (version.exitCode !== 0) {
    return {
      available: false,
      reason:
        version.failed && version.exitCode === undefined
          ? `bubblewrap (${bwrap}) is not installed`
          : `\`${bwrap} --version\` failed: ${lastLine(version.stderr)}`,
    };
  }
  const startedAt = performance.now();
  const probe = await execa(bwrap, [...READ_ONLY_BASE, '--', 'true'], {
    reject: false,
    timeout: 10_000,
    stdin: 'ignore',
  });
  const startMs = performance.now() - startedAt;
  if (probe.exitCode !== 0) {
    return {
      available: false,
      reason: `bubblewrap is installed but cannot confine a process here (${lastLine(probe.stderr) || `exit ${probe.exitCode}`}); user namespaces may be disabled`,
    };
  }
  return { available: true, bwrap, version: version.stdout.trim().replace(/^bubblewrap\s+/, ''), startMs };
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}
