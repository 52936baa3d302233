#!/usr/bin/env node
// Installs the pinned real host (spec-kitty-cli) into an ignored virtualenv, once.
// Tests and .ci/run find it through SPEC_KITTY_BIN; this script prints the path it settled on.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOST_VERSION = '3.2.7';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const venv = process.env.SPEC_KITTY_VENV ?? path.join(root, '.cache', 'host-venv');
const bin = path.join(venv, 'bin', 'spec-kitty');

function installedVersion() {
  if (!existsSync(bin)) return null;
  try {
    const out = execFileSync(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'show', 'spec-kitty-cli'], {
      encoding: 'utf8',
    });
    return /^Version:\s*(\S+)/m.exec(out)?.[1] ?? null;
  } catch {
    return null;
  }
}

if (installedVersion() !== HOST_VERSION) {
  const python = process.env.PYTHON ?? 'python3';
  process.stderr.write(`installing spec-kitty-cli==${HOST_VERSION} into ${venv}\n`);
  if (!existsSync(path.join(venv, 'bin', 'python'))) {
    execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  }
  execFileSync(
    path.join(venv, 'bin', 'python'),
    ['-m', 'pip', 'install', '-q', `spec-kitty-cli==${HOST_VERSION}`],
    {
      stdio: 'inherit',
    },
  );
}
process.stdout.write(`${bin}\n`);
