import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectAgents, findOnPath, versionLine } from '../../src/agents/detect.js';

const FAKE_AGENT = path.resolve(import.meta.dirname, '../../fixtures/agents/fake-agent.mjs');
let dir: string;
let env: NodeJS.ProcessEnv;

function script(name: string, body: string, mode = 0o755): void {
  writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`);
  chmodSync(path.join(dir, name), mode);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sko-detect-'));
  script('claude', `FAKE_AGENT_NAME=claude; export FAKE_AGENT_NAME; exec node "${FAKE_AGENT}" "$@"`);
  script('gh', `FAKE_AGENT_NAME=gh; export FAKE_AGENT_NAME; exec node "${FAKE_AGENT}" "$@"`);
  script('gemini', 'echo never runs', 0o644); // not executable
  mkdirSync(path.join(dir, 'qwen')); // a directory, not a binary
  script('pi', 'exit 3'); // --version fails
  script('letta', 'exec sleep 30'); // --version hangs
  // Only node's own folder besides ours, so no real agent on this machine leaks in.
  env = { PATH: path.dirname(process.execPath) };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('detectAgents', () => {
  it('finds binaries on the given PATH with their version, and nothing else', async () => {
    const detections = await detectAgents({ env, pathDirs: [dir], versionTimeoutMs: 1000 });
    const byId = Object.fromEntries(detections.map((d) => [d.id, d]));
    expect(detections.map((d) => d.id)).toHaveLength(11);
    expect(byId['claude-code']).toEqual({
      id: 'claude-code',
      binary: 'claude',
      installed: true,
      path: path.join(dir, 'claude'),
      version: 'claude 9.9.9-fake',
      launcher: [path.join(dir, 'claude')],
      via: 'binary',
    });
    expect(byId.gemini?.installed).toBe(false);
    expect(byId.qwen?.installed).toBe(false);
    expect(byId.codex).toMatchObject({ installed: false, path: null, version: null, launcher: null });
    // Installed even when the version probe fails or hangs.
    expect(byId.pi).toMatchObject({ installed: true, version: null });
    expect(byId.letta).toMatchObject({ installed: true, version: null });
  });

  it('accepts gh with the copilot extension when there is no copilot binary', async () => {
    const [copilot] = await detectAgents({ env, pathDirs: [dir], agents: ['copilot'] });
    expect(copilot).toMatchObject({
      installed: true,
      via: 'gh-extension',
      binary: 'gh',
      launcher: [path.join(dir, 'gh'), 'copilot'],
    });
  });

  it('prefers the copilot binary over gh', async () => {
    script('copilot', `FAKE_AGENT_NAME=copilot; export FAKE_AGENT_NAME; exec node "${FAKE_AGENT}" "$@"`);
    try {
      const [copilot] = await detectAgents({ env, pathDirs: [dir], agents: ['copilot'] });
      expect(copilot).toMatchObject({ installed: true, via: 'binary', version: 'copilot 9.9.9-fake' });
    } finally {
      rmSync(path.join(dir, 'copilot'));
    }
  });

  it('reads PATH from env when no directories are given', async () => {
    const [claude] = await detectAgents({
      env: { PATH: `${dir}${path.delimiter}${env.PATH}` },
      agents: ['claude-code'],
    });
    expect(claude?.path).toBe(path.join(dir, 'claude'));
    expect(findOnPath('claude', ['/nonexistent', dir])).toBe(path.join(dir, 'claude'));
    expect(findOnPath('gemini', [dir])).toBeNull();
  });
});

describe('versionLine', () => {
  it('skips what a CLI prints before its version, and keeps a version without a number', () => {
    expect(versionLine('Package extraction took 9241ms\n1.0.102\n')).toBe('1.0.102');
    expect(versionLine('\n  codex-cli 0.169.0  \n')).toBe('codex-cli 0.169.0');
    expect(versionLine('nightly\n')).toBe('nightly');
    expect(versionLine('')).toBeNull();
    expect(versionLine(null)).toBeNull();
  });
});
