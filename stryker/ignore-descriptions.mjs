// @ts-check
/**
 * A Stryker ignorer for statechart `description` texts. They document each state for the
 * generated diagrams and docs/statecharts; no guard, action or test reads them, so every
 * mutant of one survives without saying anything about the machines. Ignored mutants are left
 * out of the score and listed as ignored in the report, with this reason.
 */
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const REASON = 'A statechart description is documentation only (diagrams, docs/statecharts).';

/** @type {import('@stryker-mutator/api/ignore').Ignorer} */
const descriptions = {
  shouldIgnore(path) {
    // The NodePath is Babel's; the API types it opaquely.
    const node = /** @type {any} */ (path).node;
    const isDescription =
      node?.type === 'ObjectProperty' &&
      !node.computed &&
      node.key?.type === 'Identifier' &&
      node.key.name === 'description';
    return isDescription ? REASON : undefined;
  },
};

export const strykerPlugins = [declareValuePlugin(PluginKind.Ignore, 'statechart-descriptions', descriptions)];
