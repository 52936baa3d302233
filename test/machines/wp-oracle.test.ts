/**
 * The wpMachine model paths checked against an independent oracle: for every path xstate/graph
 * generates (the same entries and payloads as wp-model.test.ts), the live machine's lane changes,
 * agent runs, retry waits and ending must be what the documented rules (oracle/wp-spec.ts) say
 * follows from the world's answers along the path. The model test only checks the machine
 * against itself; this catches a machine that is consistently wrong. The same generator runs
 * again over a world whose host never loses an answer (oracle/reliable-host.ts), whose paths
 * reach the last review cycle through real rejections. The machine's domain events (what --json
 * and the live view report) are checked against the same oracle trace (oracle/wp-told.ts).
 */
import { describe, expect, it } from 'vitest';
import type { WpEmitted } from '../../src/machines/wp/emitted.js';
import { wpMachine } from '../../src/machines/wp/machine.js';
import { reliableHostPayloads } from './oracle/reliable-host.js';
import { ENTRIES, modelInput, specEntry } from './oracle/wp-entries.js';
import { observeWpTrace } from './oracle/wp-observe.js';
import { expectedWpTrace } from './oracle/wp-spec.js';
import { expectedTold, toldTrace } from './oracle/wp-told.js';
import { worldAnswers } from './oracle/wp-world.js';
import { modelPaths } from './support/model/paths.js';
import { wpEventKind, wpPayloads, wpProjection } from './support/model/wp-model.js';

const WORLDS = [
  { name: 'the model world', payloads: wpPayloads },
  { name: 'a host that never loses an answer', payloads: reliableHostPayloads },
];

for (const world of WORLDS) {
  describe(`wpMachine against the oracle, in ${world.name}`, () => {
    for (const entry of ENTRIES) {
      const input = modelInput(entry);
      const { paths } = modelPaths(wpMachine, {
        input,
        payloads: world.payloads,
        project: wpProjection,
        kindOf: wpEventKind,
        // Only a safety cap: a planted bug that lets the WP run longer (more review cycles) must
        // still get its paths, so that the oracle, not the traversal limit, is what fails.
        limit: 100_000,
      });
      describe(`entered from ${entry.lane} (${paths.length} paths)`, () => {
        it.each(paths.map((p, i) => [i + 1, p] as const))(
          'path %i does what the rules say',
          async (_i, path) => {
            const answers = worldAnswers(path);
            const expected = expectedWpTrace(specEntry(input), answers);
            const told: WpEmitted[] = [];
            const observed = await observeWpTrace(path, input, told);
            expect(observed).toEqual(expected);
            // The domain events tell the same story (they feed --json, the live view, the summary).
            const answeredRuns = answers.filter((a) => a.call === 'agent' || a.call === 'reviewer').length;
            expect(toldTrace(told)).toEqual(expectedTold(expected, answeredRuns));
          },
        );
      });
    }
  });
}
