#!/usr/bin/env node
// Prints the CI's closing line from vitest's JSON report: `tests: N passed, N failed[, N skipped]`.
import { readFileSync } from 'node:fs';

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
const line = `tests: ${passed} passed, ${failed + brokenFiles} failed${skipped ? `, ${skipped} skipped` : ''}`;
console.log(line);
process.exit(failed + brokenFiles > 0 || passed === 0 ? 1 : 0);
