/**
 * Order of test files in a mutation run (vitest.mutation.config.ts): the in-memory and pure
 * unit files first, the files on the simulated host (real git per test, about a second each)
 * last. Stryker stops a mutant's run at its first failing test, so a mutant that a fast file
 * kills costs milliseconds instead of waiting behind the git-backed tests. A mutant that
 * survives still runs every test that covers it, in any order.
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The files that build a simulated mission in a temp git repository for each test. */
export const SIMULATED_HOST_FILES: readonly string[] = [
  'test/machines/wp-machine.test.ts',
  'test/machines/mission-machine.test.ts',
  'test/machines/wp-faults.test.ts',
  'test/machines/wp-persistence.test.ts',
];

export default class MutationFastFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const slow = (spec: TestSpecification) => {
      const relative = path.relative(spec.project.config.root, spec.moduleId).split(path.sep).join('/');
      return SIMULATED_HOST_FILES.includes(relative) ? 1 : 0;
    };
    // Array.prototype.sort is stable: the base order holds inside each group.
    return sorted.sort((a, b) => slow(a) - slow(b));
  }
}
