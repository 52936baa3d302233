import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Runs once before the suite: makes sure the pinned real hosts exist and exposes them to every
 * test through SPEC_KITTY_HOSTS (every version) and SPEC_KITTY_BIN (the default host; a path
 * given by the caller wins); makes sure the pinned real agent
 * CLIs are installed (a failed install is left for that agent's tests to report, with the
 * installer's reason); and clears the previous run's real-agent proofs.
 */
export default function setup(): void {
  if (!process.env.SPEC_KITTY_HOSTS) {
    const script = path.join(ROOT, 'scripts', 'ensure-host.mjs');
    const listing = execFileSync(process.execPath, [script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const hosts = listing
      .trim()
      .split('\n')
      .map((line) => {
        const [version = '', ...bin] = line.split(' ');
        return { version, bin: bin.join(' ') };
      });
    process.env.SPEC_KITTY_HOSTS = JSON.stringify(hosts);
    process.env.SPEC_KITTY_BIN ??= hosts[0]?.bin;
  }
  const agents = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-agents.mjs')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  // Quiet when everything is installed; the reason otherwise (the agent's tests fail with it too).
  if (agents.status !== 0) process.stderr.write(agents.stderr ?? '');
  rmSync(path.join(ROOT, '.cache', 'real-agents'), { recursive: true, force: true });
}
