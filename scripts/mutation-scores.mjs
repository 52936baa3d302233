#!/usr/bin/env node
// Mutation score per folder (src/agents/verdict.ts on its own) from one or more Stryker JSON
// reports (`npm run mutation` writes .cache/mutation/mutation.json). docs/testing.md records these.
// Scoped runs each report part of the mutants: a mutant tested in any report counts with the
// status of the last report that tested it, so a run that skipped static mutants (`Ignored`)
// and a run of those static mutants combine. Score as Stryker counts it: detected (killed +
// timeout) over valid (detected + survived + no coverage); ignored mutants and mutants that did
// not compile stay out of it.
// Usage: node scripts/mutation-scores.mjs <report.json> [more reports]
import { readFileSync } from 'node:fs';
import path from 'node:path';

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const TESTED = new Set([...DETECTED, ...UNDETECTED]);

/** file -> mutant key -> status */
const statuses = new Map();
for (const report of process.argv.slice(2)) {
  const { files } = JSON.parse(readFileSync(report, 'utf8'));
  for (const [file, { mutants }] of Object.entries(files)) {
    const byKey = statuses.get(file) ?? new Map();
    for (const { location, mutatorName, replacement, status } of mutants) {
      const { start, end } = location;
      const key = `${start.line}:${start.column}-${end.line}:${end.column} ${mutatorName} ${replacement}`;
      if (TESTED.has(status) || !byKey.has(key)) byKey.set(key, status);
    }
    statuses.set(file, byKey);
  }
}

const groups = new Map();
for (const [file, byKey] of statuses) {
  const group = file.endsWith('verdict.ts') ? file : path.dirname(file);
  const counts = groups.get(group) ?? { detected: 0, undetected: 0, other: 0 };
  for (const status of byKey.values()) {
    if (DETECTED.has(status)) counts.detected += 1;
    else if (UNDETECTED.has(status)) counts.undetected += 1;
    else counts.other += 1;
  }
  groups.set(group, counts);
}

for (const [group, { detected, undetected, other }] of [...groups].sort()) {
  const valid = detected + undetected;
  const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(2)} %`;
  console.log(`${group}\t${score}\tdetected ${detected}\tundetected ${undetected}\tnot tested ${other}`);
}
