/**
 * Files that drive real processes (the real hosts, real agent CLIs, the built CLI) run first.
 * Each takes one to seven minutes against milliseconds for a unit file, and a fresh CI clone has
 * no vitest duration cache, so the default order (larger files first) left several of them to
 * start in the last quarter of the run and set its end (measured: the last one started at 1140 s
 * of a 1283 s run; with folders first, live conformance started at 1112 s of 1397 s). Within a group the default order still applies.
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Folder (or file) prefixes, slowest kinds first; anything else runs after them. */
const SLOW_FIRST: readonly string[] = [
  'test/crash/',
  // One file, both hosts' walks in a row (about 280 s under load): it set the end when it ran last.
  'test/host/live-conformance.test.ts',
  'test/e2e/',
  'test/cli-e2e/',
  'test/real-agents/',
  'test/host/real-mutation-concurrency.test.ts',
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const group = (spec: TestSpecification) => {
      const relative = path.relative(spec.project.config.root, spec.moduleId).split(path.sep).join('/');
      const index = SLOW_FIRST.findIndex((prefix) => relative.startsWith(prefix));
      return index === -1 ? SLOW_FIRST.length : index;
    };
    // Array.prototype.sort is stable: the base order holds inside each group.
    return sorted.sort((a, b) => group(a) - group(b));
  }
}
