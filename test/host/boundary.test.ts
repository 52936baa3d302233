import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The orchestrator talks to spec-kitty only through `spec-kitty orchestrator-api`. This test reads
 * every source file as text and fails if any of them reaches around that boundary: importing or
 * running host (Python) code, or naming the host's own `kitty-specs` folder in code. The
 * simulated host is exempt: it is a stand-in for the host and keeps its own store.
 */
const SRC = path.resolve(import.meta.dirname, '../../src');
const EXEMPT = [path.join(SRC, 'host', 'simulated') + path.sep];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return EXEMPT.includes(full + path.sep) ? [] : sourceFiles(full);
    return /\.(ts|mts|cts|js|mjs)$/.test(entry.name) ? [full] : [];
  });
}

interface Scanned {
  /** The code with comments removed (strings kept). */
  code: string;
  /** The contents of every string and template literal. */
  strings: string[];
}

/** A small lexer: enough to tell comments from string literals in our own TypeScript. */
function scanSource(text: string): Scanned {
  let code = '';
  const strings: string[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    const next = text[i + 1];
    if (char === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i += 1;
      continue;
    }
    if (char === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
      continue;
    }
    if (char === "'" || char === '"' || char === '`') {
      let j = i + 1;
      let content = '';
      while (j < text.length && text[j] !== char) {
        if (text[j] === '\\') {
          content += text.slice(j, j + 2);
          j += 2;
          continue;
        }
        if (char !== '`' && text[j] === '\n') break;
        content += text[j];
        j += 1;
      }
      strings.push(content);
      code += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    code += char;
    i += 1;
  }
  return { code, strings };
}

const IMPORT_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"`])([^'"`]+)\1/gm;

describe('the scanner itself', () => {
  it('sees literals, not comments', () => {
    const sample = [
      '// a comment about kitty-specs/ is fine',
      '/* so is kitty-specs in a block */',
      "const bad = path.join(root, 'kitty-specs', slug);",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test, not a template
      'const tpl = `${root}/kitty-specs/x`;',
      "const url = 'http://example.com'; // trailing comment with 'quotes'",
    ].join('\n');
    const { strings, code } = scanSource(sample);
    expect(strings.filter((s) => s.includes('kitty-specs'))).toHaveLength(2);
    expect(code).not.toContain('a comment about');
    expect(strings).toContain('http://example.com');
  });

  it('finds import specifiers', () => {
    const { code } = scanSource("import x from 'specify_cli/status';\nconst y = await import('./z.js');");
    expect([...code.matchAll(IMPORT_SPECIFIER)].map((m) => m[2])).toEqual(['specify_cli/status', './z.js']);
  });
});

describe('host boundary', () => {
  const files = sourceFiles(SRC);

  it('scans the source tree', () => {
    expect(files.some((f) => f.endsWith(path.join('host', 'client.ts')))).toBe(true);
    expect(files.some((f) => f.includes(`${path.sep}simulated${path.sep}`))).toBe(false);
  });

  it('no source file imports or runs host internals (specify_cli, python)', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const { code, strings } = scanSource(readFileSync(file, 'utf8'));
      for (const match of code.matchAll(IMPORT_SPECIFIER)) {
        if (/specify_cli|\.py$/.test(match[2]!))
          offenders.push(`${path.relative(SRC, file)} imports ${match[2]}`);
      }
      for (const literal of strings) {
        if (/\bspecify_cli\b|^python[0-9.]*$|\bpython[0-9.]* -m\b/.test(literal)) {
          offenders.push(`${path.relative(SRC, file)} names ${JSON.stringify(literal)}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no source file names a kitty-specs path in code (comments may)', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const { strings } = scanSource(readFileSync(file, 'utf8'));
      for (const literal of strings.filter((s) => s.includes('kitty-specs'))) {
        offenders.push(`${path.relative(SRC, file)}: ${JSON.stringify(literal)}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
