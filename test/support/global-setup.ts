import { execFile, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { ensureInitTemplate } from './init-template.js';
import { realHosts } from './real-hosts.js';
import { INIT_TEMPLATES_ENV } from './warm-home.js';
import { stopWarmHosts, warmBinOfHost, warmHostTally } from './warm-host.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Runs once before the suite: makes sure the pinned real hosts exist and exposes them to every
 * test through SPEC_KITTY_HOSTS (every version, warm and cold, warm-host.ts) and SPEC_KITTY_BIN
 * (the default host, warm; a path given by the caller wins); makes sure the pinned real agent
 * CLIs are installed (a failed install is left for that agent's tests to report, with the
 * installer's reason); makes each host's `spec-kitty init` template (init-template.ts), at the
 * same time as the agents install; and clears the previous run's real-agent proofs. Its
 * teardown stops the warm hosts' zygotes.
 */
export default async function setup(): Promise<() => void> {
  if (!process.env.SPEC_KITTY_HOSTS) {
    const script = path.join(ROOT, 'scripts', 'ensure-host.mjs');
    const listing = execFileSync(process.execPath, [script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const hosts = listing
      .trim()
      .split('\n')
      .map((line, index) => {
        const [version = '', ...words] = line.split(' ');
        const coldBin = words.join(' ');
        return { version, bin: warmBinOfHost(coldBin, index, version), coldBin };
      });
    process.env.SPEC_KITTY_HOSTS = JSON.stringify(hosts);
    process.env.SPEC_KITTY_BIN ??= hosts[0]?.bin;
  }
  const templates = makeInitTemplates();
  // Quiet when everything is installed; the reason otherwise (the agent's tests fail with it too).
  const agentsFailure = await ensureAgents();
  if (agentsFailure !== undefined) process.stderr.write(agentsFailure);
  rmSync(path.join(ROOT, '.cache', 'real-agents'), { recursive: true, force: true });
  process.env[INIT_TEMPLATES_ENV] = JSON.stringify(await templates);
  return () => {
    const tally = warmHostTally();
    if (tally.zygotes > 0)
      process.stderr.write(
        `warm host: ${tally.warmCalls} calls served by ${tally.zygotes} zygotes, ${tally.coldCalls} ran cold\n`,
      );
    stopWarmHosts();
  };
}

/** Runs the agents' installer; resolves to its stderr when it failed. */
function ensureAgents(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'scripts', 'ensure-agents.mjs')],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => resolve(error ? stderr || String(error) : undefined),
    );
  });
}

/** One init template per pinned host, all at once, kept in the ignored cache between runs. */
async function makeInitTemplates(): Promise<Record<string, string>> {
  const entries = await Promise.all(
    realHosts().map(async (host, index) => {
      const dir = path.join(ROOT, '.cache', 'init-templates', `${index}-${host.version}`);
      // Made by the cold script (once, cached); found by either binary.
      await ensureInitTemplate(host.coldBin, dir);
      return [
        [host.bin, dir],
        [host.coldBin, dir],
      ] as const;
    }),
  );
  return Object.fromEntries(entries.flat());
}
