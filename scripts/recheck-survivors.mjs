#!/usr/bin/env node
// Re-runs the surviving mutants of a Stryker JSON report outside Stryker, one at a time, against
// the given test files, and prints which a test now detects. Why: Stryker's vitest runner counts a
// test file that fails while loading (a statechart config that xstate refuses at createMachine)
// as "no test ran", so such mutants are reported as survivors although `vitest run` fails on
// them; and after new tests, Stryker's incremental mode keeps old results for static mutants.
// Here a mutant is detected when vitest exits non-zero, for a failing test or a file that fails
// to load. The work happens in a temporary copy of the project; the working tree is not touched.
// Usage: node scripts/recheck-survivors.mjs <report.json> <path prefix> <test file>...
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [reportPath, prefix, ...testFiles] = process.argv.slice(2);
if (!reportPath || !prefix || testFiles.length === 0) {
  console.error('usage: node scripts/recheck-survivors.mjs <report.json> <path prefix> <test file>...');
  process.exit(2);
}

const copy = mkdtempSync(path.join(tmpdir(), 'sko-recheck-'));
for (const entry of [
  'src',
  'test',
  'fixtures',
  'package.json',
  'tsconfig.json',
  'vitest.mutation.config.ts',
]) {
  cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
}
symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));

/** The source with one mutant applied (Stryker locations: 1-based lines and columns, end exclusive). */
function applied(source, { location, replacement }) {
  const lines = source.split('\n');
  const offset = (line, column) =>
    lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0) + column - 1;
  return (
    source.slice(0, offset(location.start.line, location.start.column)) +
    replacement +
    source.slice(offset(location.end.line, location.end.column))
  );
}

try {
  const { files } = JSON.parse(readFileSync(reportPath, 'utf8'));
  for (const [file, { mutants }] of Object.entries(files)) {
    if (!file.startsWith(prefix)) continue;
    const target = path.join(copy, file);
    const original = readFileSync(target, 'utf8');
    for (const mutant of mutants.filter((m) => m.status === 'Survived')) {
      writeFileSync(target, applied(original, mutant));
      const run = spawnSync(
        'npx',
        [
          'vitest',
          'run',
          '-c',
          'vitest.mutation.config.ts',
          '--bail',
          '1',
          '--testTimeout',
          '4000',
          ...testFiles,
        ],
        { cwd: copy, encoding: 'utf8', timeout: 120_000 },
      );
      writeFileSync(target, original);
      const verdict = run.status === 0 ? 'survived' : 'detected';
      const { line, column } = mutant.location.start;
      console.log(
        `${verdict}\t${file}:${line}:${column}\t${mutant.mutatorName}\t${mutant.replacement.replace(/\s+/g, ' ').slice(0, 80)}`,
      );
    }
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}
