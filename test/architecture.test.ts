/**
 * The layering rules the design rests on, checked on the source text: machines stay pure (no
 * process, file-system or clock access of their own), and only src/host runs the host.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((match) => match[1] ?? match[2] ?? '');
}

describe('architecture', () => {
  it('machines import no node built-in, execa, or world-touching layer', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(path.join(SRC, 'machines'))) {
      for (const specifier of importsOf(file)) {
        const forbidden =
          specifier.startsWith('node:') ||
          specifier === 'execa' ||
          /(^|\/)(actors|cli)\//.test(specifier) ||
          /\/host\/(client|exec-transport|simulated)/.test(specifier);
        if (forbidden) offenders.push(`${path.relative(SRC, file)} imports ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('only the host gateway runs spec-kitty', () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => !file.startsWith(path.join(SRC, 'host')))
      .filter((file) => /['"]orchestrator-api['"]/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(SRC, file));
    expect(offenders).toEqual([]);
  });

  it('the scanner sees imports (self-check)', () => {
    expect(importsOf(path.join(SRC, 'cli', 'main.ts'))).toContain('citty');
  });
});
