/**
 * The oracle is only worth something while it does not ask the machine what to expect: its
 * specification and trace modules may use the agent and lane vocabulary, never src/machines, and
 * take the world adapters (which read the model's events) only as types.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ORACLE = path.resolve(import.meta.dirname, 'oracle');
const SPECIFICATION = ['wp-spec.ts', 'wp-trace.ts', 'mission-spec.ts', 'mission-trace.ts'];
const ALLOWED = [
  '../../../src/agents/types.js',
  '../../../src/host/lanes.js',
  './wp-trace.js',
  './mission-trace.js',
  './wp-world.js',
  './mission-world.js',
];

const IMPORT = /^import\s+(type\s+)?[^'"]*?from\s*['"]([^'"]+)['"]/gm;

function importsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const text = readFileSync(path.join(ORACLE, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((match) => ({
    specifier: match[2] ?? '',
    typeOnly: match[1] !== undefined,
  }));
}

describe('the oracle stands apart from the machines', () => {
  it.each(SPECIFICATION)('%s imports only the shared vocabulary, and the world only as types', (file) => {
    const offenders = importsOf(file)
      .filter(
        ({ specifier, typeOnly }) =>
          !ALLOWED.includes(specifier) || (specifier.endsWith('-world.js') && !typeOnly),
      )
      .map(({ specifier }) => specifier);
    expect(offenders).toEqual([]);
  });

  it('the scanner sees imports (self-check)', () => {
    expect(importsOf('wp-spec.ts').map((entry) => entry.specifier)).toContain('../../../src/host/lanes.js');
    expect(importsOf('wp-observe.ts').map((entry) => entry.specifier)).toContain(
      '../../../src/machines/wp/machine.js',
    );
  });
});
