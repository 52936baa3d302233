#!/usr/bin/env node
// Installs the pinned real agent CLIs from npm into the ignored cache, one npm prefix per agent
// (their dependency trees are large and must not meet), in parallel, once per pinned version.
// Writes .cache/agents/manifest.json: per agent id, the installed version, its bin directory and
// binary, or why it could not be installed. Tests read the manifest; this script prints it.
// A failed install is recorded and reported, never silently skipped: the real-agent tests fail
// for an agent whose manifest entry has no binary.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = process.env.SKO_AGENTS_DIR ?? path.join(root, '.cache', 'agents');

/**
 * The pinned versions (the newest each registry served when they were last checked). `bin` is the
 * executable name the package installs; `overrides` and `stubs` work around dependencies the
 * registry does not serve (each says why).
 */
export const PINNED_AGENTS = {
  'claude-code': { pkg: '@anthropic-ai/claude-code', version: '2.1.332', bin: 'claude' },
  codex: { pkg: '@openai/codex', version: '0.171.0', bin: 'codex' },
  gemini: { pkg: '@google/gemini-cli', version: '0.61.0', bin: 'gemini' },
  qwen: { pkg: '@qwen-code/qwen-code', version: '0.24.4', bin: 'qwen' },
  opencode: { pkg: 'opencode-ai', version: '1.18.33', bin: 'opencode' },
  pi: { pkg: '@mariozechner/pi-coding-agent', version: '0.73.1', bin: 'pi' },
  // 7.8.1 names a linux-x64 binary package the registry does not have; 7.7.7 is complete.
  kilocode: { pkg: '@kilocode/cli', version: '7.7.7', bin: 'kilo' },
  letta: {
    pkg: '@letta-ai/letta-code',
    version: '0.32.18',
    bin: 'letta',
    // Its bundle never imports these two (they are named in help text only), but npm wants them
    // and the registry does not serve them; sharp-electron's pinned pre-release is not served
    // either, the next one is.
    overrides: { '@janhapke/sharp-electron': '0.35.4-electron.1' },
    stubs: { '@letta-ai/letta-agent-sdk': '0.8.11', '@letta-ai/trajectory': '0.2.0' },
  },
  copilot: { pkg: '@github/copilot', version: '1.0.102', bin: 'copilot' },
  augment: { pkg: '@augmentcode/auggie', version: '0.36.0', bin: 'auggie' },
};

/** Agents we know and cannot install from npm, with the reason (the README says the same). */
export const NOT_ON_NPM = {
  cursor: 'Cursor CLI (`agent` / `cursor-agent`) is distributed only by its own download script, not on npm',
};

function manifestPath() {
  return path.join(cacheDir, 'manifest.json');
}

function readManifest() {
  try {
    return JSON.parse(readFileSync(manifestPath(), 'utf8'));
  } catch {
    return { agents: {} };
  }
}

function packageJsonFor(spec, prefix) {
  const dependencies = { [spec.pkg]: spec.version };
  const overrides = { ...(spec.overrides ?? {}) };
  for (const [name, version] of Object.entries(spec.stubs ?? {})) {
    const dir = path.join(prefix, 'stubs', name.replace('/', '__'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version, private: true }));
    overrides[name] = `file:./stubs/${name.replace('/', '__')}`;
  }
  return { name: 'sko-agent-cache', private: true, dependencies, overrides };
}

async function installOne(id, spec) {
  const prefix = path.join(cacheDir, id);
  const binPath = path.join(prefix, 'node_modules', '.bin', spec.bin);
  const previous = readManifest().agents?.[id];
  if (previous?.version === spec.version && previous.binary && existsSync(previous.binary)) {
    return previous;
  }
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  writeFileSync(path.join(prefix, 'package.json'), JSON.stringify(packageJsonFor(spec, prefix), null, 2));
  const started = Date.now();
  try {
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: prefix,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
  } catch (error) {
    const text = `${error.stderr ?? ''}${error.stdout ?? ''}`.trim().split('\n').slice(-3).join(' | ');
    return { package: spec.pkg, version: spec.version, binary: null, error: `npm install failed: ${text}` };
  }
  if (!existsSync(binPath)) {
    return { package: spec.pkg, version: spec.version, binary: null, error: `no ${spec.bin} after install` };
  }
  return {
    package: spec.pkg,
    version: spec.version,
    binary: binPath,
    binDir: path.dirname(binPath),
    installSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

async function main() {
  mkdirSync(cacheDir, { recursive: true });
  const only = process.argv.slice(2);
  const ids = Object.keys(PINNED_AGENTS).filter((id) => only.length === 0 || only.includes(id));
  const entries = await Promise.all(ids.map(async (id) => [id, await installOne(id, PINNED_AGENTS[id])]));
  const manifest = readManifest();
  manifest.agents = { ...(manifest.agents ?? {}), ...Object.fromEntries(entries) };
  manifest.notOnNpm = NOT_ON_NPM;
  writeFileSync(manifestPath(), `${JSON.stringify(manifest, null, 2)}\n`);
  let failed = 0;
  for (const [id, entry] of entries) {
    if (entry.binary) process.stderr.write(`agent ${id}: ${entry.package}@${entry.version}\n`);
    else {
      failed++;
      process.stderr.write(`agent ${id}: NOT INSTALLED (${entry.error})\n`);
    }
  }
  process.stdout.write(`${manifestPath()}\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

// Imported by a test (to compare the pins with src/agents/tested-versions.ts): then do nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
