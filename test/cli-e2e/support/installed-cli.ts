/**
 * This project as npm installs it: `npm pack`, then the tarball installed into a temporary global
 * prefix (a symlinked bin, like `npm install -g`) and into a consumer project's node_modules (like
 * a local dependency or npx). Tests run those bins, never `node dist/cli/main.js`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CliResult } from './cli.js';
import { PROJECT_ROOT } from './cli.js';

export interface InstalledCli {
  /** `<prefix>/bin/spec-kitty-orchestrator` (a symlink). */
  globalBin: string;
  /** `<consumer>/node_modules/.bin/spec-kitty-orchestrator` (a symlink). */
  localBin: string;
}

/** Packs and installs into `scratch` (about 10 s); the caller removes `scratch`. */
export function installPackedCli(scratch: string): InstalledCli {
  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  }).trim();
  const tarball = path.join(scratch, packed.split('\n').pop() ?? '');
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  const prefix = path.join(scratch, 'prefix');
  execFileSync('npm', ['install', '-g', '--prefix', prefix, ...quiet, tarball], { stdio: 'ignore' });
  const consumer = path.join(scratch, 'consumer');
  mkdirSync(consumer);
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  execFileSync('npm', ['install', ...quiet, tarball], { cwd: consumer, stdio: 'ignore' });
  return {
    globalBin: path.join(prefix, 'bin', 'spec-kitty-orchestrator'),
    localBin: path.join(consumer, 'node_modules', '.bin', 'spec-kitty-orchestrator'),
  };
}

/** Runs a bin (no stdin, the given environment only) and collects what it printed. */
export function runBin(
  bin: string,
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>>,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...args], { cwd, env: { ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
}
