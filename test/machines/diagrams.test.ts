import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDiagramFiles } from '../../src/machines/diagram/render-docs.js';
import { toMermaid } from '../../src/machines/diagram/to-mermaid.js';
import { missionMachine } from '../../src/machines/mission/machine.js';
import { wpMachine } from '../../src/machines/wp/machine.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

describe('statechart diagrams', () => {
  it('docs/statecharts is up to date with the machine definitions (npm run diagrams regenerates it)', () => {
    const stale = renderDiagramFiles().filter((file) => {
      let current: string | null = null;
      try {
        current = readFileSync(path.join(repoRoot, file.path), 'utf8');
      } catch {
        current = null;
      }
      return current !== file.content;
    });
    expect(stale.map((file) => file.path)).toEqual([]);
  });

  it.each([
    ['wp', wpMachine],
    ['mission', missionMachine],
  ] as const)('the %s chart declares every state it draws an edge to', (_name, machine) => {
    const text = toMermaid(machine);
    const declared = new Set([...text.matchAll(/state "[^"]+" as (\w+)/g)].map((m) => m[1]));
    const edges = [...text.matchAll(/^\s*(\w+) --> (\w+) : (.+)$/gm)];
    expect(edges.length).toBeGreaterThan(10);
    for (const [, from, to] of edges) {
      expect(declared.has(from === 'root' ? [...declared][0] : from)).toBe(true);
      expect(declared.has(to)).toBe(true);
    }
    expect(text).toContain('done(');
    expect(text).toContain('[');
  });

  it('labels invoke results, guards and eventless edges', () => {
    const text = toMermaid(wpMachine);
    expect(text).toContain('flow_claiming --> flow_inProgress : done(claim)');
    expect(text).toContain('flow_claiming --> flow_reconciling : error(claim)');
    expect(text).toContain('flow_inProgress_attemptFailed --> flow_inProgress_retryWait : always [canRetry]');
  });
});
