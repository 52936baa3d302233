#!/usr/bin/env node
// Prints the CI's closing line from vitest's JSON report: `tests: N passed, N failed[, N skipped]`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const file = process.argv[2] ?? '.cache/vitest-report.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`no test report at ${file}: ${error.message}`);
  console.log('tests: 0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
// A file that failed without a failing test (a load error, a failing beforeAll) is one failure.
const brokenFiles = (report.testResults ?? []).filter(
  (r) => r.status === 'failed' && !(r.assertionResults ?? []).some((a) => a.status === 'failed'),
).length;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
// Real agent CLIs proven in this run (test/real-agents/support/proof.ts writes one file per agent).
const proofsDir = path.join(path.dirname(file), 'real-agents');
const proofs = existsSync(proofsDir)
  ? readdirSync(proofsDir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(path.join(proofsDir, name), 'utf8')))
  : [];
const endToEnd = proofs.filter((proof) => proof.kind === 'end-to-end');
const argvChecked = proofs.filter((proof) => proof.kind === 'argv-checked');
const named = (list) => list.map((proof) => `${proof.agent} ${proof.version}`).join(', ') || 'none';
console.log(`real agents end-to-end: ${named(endToEnd)}; argv-checked: ${named(argvChecked)}`);
console.log(`real agents: ${endToEnd.length} end-to-end, ${argvChecked.length} argv-checked`);
const line = `tests: ${passed} passed, ${failed + brokenFiles} failed${skipped ? `, ${skipped} skipped` : ''}`;
console.log(line);
process.exit(failed + brokenFiles > 0 || passed === 0 ? 1 : 0);
