/**
 * Detection of a renamed CLI through the adapter's `altBinaries`: Cursor's binary is now `agent`,
 * with `cursor-agent` kept as an alias. Detection tries the adapter's `binary` first, then each
 * alternative in order, and launches whichever it found.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectAgents } from '../../src/agents/detect.js';
import { AGENTS } from '../../src/agents/registry.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function binDir(names: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sko-detect-alt-'));
  dirs.push(dir);
  for (const name of names) {
    writeFileSync(path.join(dir, name), `#!/bin/sh\necho "${name} 1.2.3"\n`);
    chmodSync(path.join(dir, name), 0o755);
  }
  return dir;
}

async function detectCursor(names: string[]) {
  const dir = binDir(names);
  const [cursor] = await detectAgents({
    env: { PATH: '/usr/bin:/bin' },
    pathDirs: [dir],
    agents: ['cursor'],
  });
  return { dir, cursor };
}

describe('detection with alternative binary names', () => {
  it('declares the alias on the Cursor adapter only as a fallback', () => {
    expect(AGENTS.cursor.binary).toBe('cursor-agent');
    expect(AGENTS.cursor.altBinaries).toEqual(['agent']);
  });

  it('finds Cursor under its new name `agent` when `cursor-agent` is absent', async () => {
    const { dir, cursor } = await detectCursor(['agent']);
    expect(cursor).toMatchObject({
      id: 'cursor',
      installed: true,
      binary: 'agent',
      path: path.join(dir, 'agent'),
      launcher: [path.join(dir, 'agent')],
      version: 'agent 1.2.3',
      via: 'binary',
    });
  });

  it('prefers the adapter binary when both names are installed', async () => {
    const { dir, cursor } = await detectCursor(['agent', 'cursor-agent']);
    expect(cursor?.binary).toBe('cursor-agent');
    expect(cursor?.launcher).toEqual([path.join(dir, 'cursor-agent')]);
  });

  it('reports the adapter binary as missing when no name is installed', async () => {
    const { cursor } = await detectCursor([]);
    expect(cursor).toMatchObject({ installed: false, binary: 'cursor-agent', launcher: null });
  });
});
