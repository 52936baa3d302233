#!/usr/bin/env node
// Installs the pinned real hosts (spec-kitty-cli), each into its own ignored virtualenv, once.
// Prints one line per host, `<version> <path of its spec-kitty>`, the default host first.
// Tests find the default host through SPEC_KITTY_BIN and every host through SPEC_KITTY_HOSTS
// (set by the test setup from this output). `--default` prints only the default host's path.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The host users have today first; the next release (4.0) beside it. */
export const HOST_VERSIONS = ['3.2.7', '4.0.0rc7'];
export const HOST_VERSION = HOST_VERSIONS[0];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** 3.2.7 keeps the folder it always had, so existing caches stay valid. */
function venvOf(version) {
  if (version === HOST_VERSION) return process.env.SPEC_KITTY_VENV ?? path.join(root, '.cache', 'host-venv');
  return path.join(root, '.cache', `host-venv-${version}`);
}

function installedVersion(venv) {
  if (!existsSync(path.join(venv, 'bin', 'spec-kitty'))) return null;
  try {
    const out = execFileSync(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'show', 'spec-kitty-cli'], {
      encoding: 'utf8',
    });
    return /^Version:\s*(\S+)/m.exec(out)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Runs a command with its output on our stderr (stdout is the listing's). */
function run(file, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${file} ${args.join(' ')} exited ${code}`)),
    );
  });
}

async function ensure(version) {
  const venv = venvOf(version);
  if (installedVersion(venv) !== version) {
    const python = process.env.PYTHON ?? 'python3';
    process.stderr.write(`installing spec-kitty-cli==${version} into ${venv}\n`);
    if (!existsSync(path.join(venv, 'bin', 'python'))) await run(python, ['-m', 'venv', venv]);
    await run(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '-q', `spec-kitty-cli==${version}`]);
  }
  return path.join(venv, 'bin', 'spec-kitty');
}

// Both hosts install at once (a fresh machine spends most of it waiting on downloads); the
// listing keeps the order of HOST_VERSIONS.
const onlyDefault = process.argv.includes('--default');
const versions = onlyDefault ? [HOST_VERSION] : HOST_VERSIONS;
const bins = await Promise.all(versions.map(ensure));
versions.forEach((version, index) => {
  process.stdout.write(onlyDefault ? `${bins[index]}\n` : `${version} ${bins[index]}\n`);
});
