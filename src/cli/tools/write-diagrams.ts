/**
 * Writes docs/statecharts/* from the machine definitions; with --check, writes nothing and exits 1
 * naming every file that is missing or stale. Run from the repository root (npm run diagrams).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderDiagramFiles } from '../../machines/diagram/render-docs.js';

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function staleDiagramFiles(repoRoot: string): string[] {
  return renderDiagramFiles()
    .filter((file) => readOrNull(path.join(repoRoot, file.path)) !== file.content)
    .map((file) => file.path);
}

function main(argv: readonly string[]): number {
  const repoRoot = process.cwd();
  if (argv.includes('--check')) {
    const stale = staleDiagramFiles(repoRoot);
    if (stale.length === 0) {
      process.stdout.write('statechart diagrams are up to date\n');
      return 0;
    }
    process.stderr.write(
      `stale statechart diagrams (run npm run diagrams):\n${stale.map((f) => `  ${f}\n`).join('')}`,
    );
    return 1;
  }
  for (const file of renderDiagramFiles()) {
    const target = path.join(repoRoot, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    process.stdout.write(`wrote ${file.path}\n`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
