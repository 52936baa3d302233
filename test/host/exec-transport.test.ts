import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostClient } from '../../src/host/client.js';
import { assertContractSupported, checkContract, compareSemver } from '../../src/host/contract.js';
import { parseHostResult } from '../../src/host/envelope.js';
import {
  HostBinaryNotFoundError,
  HostCanceledError,
  HostNoOutputError,
  HostNotJsonError,
  HostOutputTooLargeError,
  HostTimeoutError,
} from '../../src/host/errors.js';
import { createExecTransport } from '../../src/host/exec-transport.js';
import { createTempRepo, hostTestEnv, realHostBin, type TempRepo } from '../support/temp-repo.js';

let dir: string;
let repo: TempRepo;
const bin = (name: string) => path.join(dir, name);

/** A tiny executable; `body` is JavaScript run by this very Node binary. */
function writeNodeScript(name: string, body: string): void {
  writeFileSync(bin(name), `#!${process.execPath}\n${body}\n`);
  chmodSync(bin(name), 0o755);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sko-host-bin-'));
  repo = createTempRepo('sko-exec-');
  // Echoes what it was given (argv, cwd, env) inside a valid contract-version envelope.
  writeNodeScript(
    'echo-host',
    `process.stdout.write(JSON.stringify({
      contract_version: '1.5.0', command: 'orchestrator-api.contract-version', timestamp: 't', correlation_id: 'c',
      success: true, error_code: null,
      data: { api_version: '1.5.0', min_supported_provider_version: '0.1.0',
        argv: process.argv.slice(2), cwd: process.cwd(), repo_root: process.env.SPECIFY_REPO_ROOT,
        extra: process.env.SKO_EXTRA ?? null } }) + '\\n');`,
  );
  writeNodeScript(
    'crash-host',
    `process.stderr.write('Traceback (most recent call last):\\nValueError: Unknown lane\\n'); process.exit(1);`,
  );
  writeNodeScript(
    'prose-host',
    `process.stdout.write('Usage: spec-kitty [OPTIONS] COMMAND\\n'); process.exit(2);`,
  );
  writeNodeScript('chatty-host', `process.stdout.write('x'.repeat(64 * 1024));`);
  // Prints its own pid and process group (Linux /proc) and nothing else.
  writeNodeScript(
    'group-host',
    `const stat = require('node:fs').readFileSync('/proc/self/stat', 'utf8');
    const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    process.stdout.write(JSON.stringify({ pid: process.pid, pgrp }));`,
  );
  writeFileSync(bin('sleepy-host'), '#!/bin/sh\nexec sleep 30\n');
  chmodSync(bin('sleepy-host'), 0o755);
  writeFileSync(bin('not-executable'), '#!/bin/sh\necho hi\n');
  chmodSync(bin('not-executable'), 0o644);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  repo.cleanup();
});

describe('exec transport against scripted executables', () => {
  it('runs `<bin> orchestrator-api ...args` in the repo root with SPECIFY_REPO_ROOT and the extra env', async () => {
    const transport = createExecTransport({
      repoRoot: repo.root,
      hostBin: bin('echo-host'),
      env: { SKO_EXTRA: 'yes' },
    });
    const raw = await transport.run(['contract-version', '--provider-version', '0.1.0']);
    expect(raw.exitCode).toBe(0);
    expect(raw.durationMs).toBeGreaterThan(0);
    const data = parseHostResult('contract-version', raw) as Record<string, unknown>;
    expect(data.argv).toEqual(['orchestrator-api', 'contract-version', '--provider-version', '0.1.0']);
    expect(data.cwd).toBe(repo.root);
    expect(data.repo_root).toBe(repo.root);
    expect(data.extra).toBe('yes');
  });

  it('passes arguments verbatim (no shell)', async () => {
    const transport = createExecTransport({ repoRoot: repo.root, hostBin: bin('echo-host') });
    const tricky = ['append-history', '--note', '$(touch pwned); "quoted" `tick` * ~'];
    const data = parseHostResult('contract-version', await transport.run(tricky)) as Record<string, unknown>;
    expect(data.argv).toEqual(['orchestrator-api', ...tricky]);
  });

  it('returns a crash (no stdout, exit 1) as data; parsing turns it into HostNoOutputError with stderr', async () => {
    const transport = createExecTransport({ repoRoot: repo.root, hostBin: bin('crash-host') });
    const raw = await transport.run(['transition']);
    expect(raw.exitCode).toBe(1);
    expect(raw.stdout).toBe('');
    let caught: unknown;
    try {
      parseHostResult('transition', raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HostNoOutputError);
    expect((caught as Error).message).toContain('ValueError: Unknown lane');
  });

  it('non-JSON output -> HostNotJsonError through the client', async () => {
    const transport = createExecTransport({ repoRoot: repo.root, hostBin: bin('prose-host') });
    const client = new HostClient(transport, { readRetries: 0 });
    await expect(client.missionState({ mission: 'm' })).rejects.toBeInstanceOf(HostNotJsonError);
  });

  it('a missing binary -> HostBinaryNotFoundError saying how to install', async () => {
    const transport = createExecTransport({ repoRoot: repo.root, hostBin: bin('no-such-host') });
    const error = await transport.run(['contract-version']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostBinaryNotFoundError);
    expect((error as Error).message).toContain('pip install spec-kitty-cli==3.2.7');
    expect((error as Error).message).toContain('SPEC_KITTY_BIN');
  });

  it('a file that is not executable -> HostBinaryNotFoundError (permission denied)', async () => {
    const transport = createExecTransport({ repoRoot: repo.root, hostBin: bin('not-executable') });
    const error = await transport.run(['contract-version']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostBinaryNotFoundError);
    expect((error as Error).message).toContain('permission denied');
  });

  it('a hung host is stopped at the timeout -> HostTimeoutError', async () => {
    const transport = createExecTransport({
      repoRoot: repo.root,
      hostBin: bin('sleepy-host'),
      timeoutMs: 200,
    });
    const error = await transport.run(['mission-state']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostTimeoutError);
    expect((error as HostTimeoutError).command).toBe('mission-state');
  });

  it('a call may ask for a shorter limit than the transport, never a longer one', async () => {
    const transport = createExecTransport({ repoRoot: repo.root, hostBin: bin('sleepy-host') });
    const shorter = await transport.run(['mission-state'], { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(shorter).toBeInstanceOf(HostTimeoutError);
    expect((shorter as Error).message).toContain('200');

    const capped = createExecTransport({ repoRoot: repo.root, hostBin: bin('sleepy-host'), timeoutMs: 200 });
    const longer = await capped.run(['mission-state'], { timeoutMs: 600_000 }).catch((e: unknown) => e);
    expect(longer).toBeInstanceOf(HostTimeoutError);
    expect((longer as Error).message).toContain('200');
  });

  it('HostClient gives reads its short limit and leaves mutations the transport limit', async () => {
    const seen: Array<{ command: string; timeoutMs: number | undefined }> = [];
    const echo = createExecTransport({ repoRoot: repo.root, hostBin: bin('echo-host') });
    const client = new HostClient(
      {
        run: (args, options) => {
          seen.push({ command: args[0] ?? '', timeoutMs: options?.timeoutMs });
          return echo.run(['contract-version']);
        },
      },
      { readTimeoutMs: 1_234 },
    );
    await client.contractVersion();
    await client.missionState({ mission: 'm' }).catch(() => undefined);
    await client
      .transition({ mission: 'm', wp: 'WP01', actor: 'a', to: 'for_review', policy: '{}' })
      .catch(() => undefined);
    expect(seen).toEqual([
      { command: 'contract-version', timeoutMs: 1_234 },
      { command: 'mission-state', timeoutMs: 1_234 },
      { command: 'transition', timeoutMs: undefined },
    ]);
  });

  it('a detached call runs in its own process group (a terminal Ctrl-C to ours does not reach it)', async () => {
    const ownStat = readFileSync('/proc/self/stat', 'utf8');
    const ownGroup = Number(ownStat.slice(ownStat.lastIndexOf(')') + 2).split(' ')[2]);
    const transport = createExecTransport({ repoRoot: repo.root, hostBin: bin('group-host') });
    const detached = JSON.parse((await transport.run(['transition'], { detached: true })).stdout) as {
      pid: number;
      pgrp: number;
    };
    expect(detached.pgrp).toBe(detached.pid);
    const attached = JSON.parse((await transport.run(['mission-state'])).stdout) as { pgrp: number };
    expect(attached.pgrp).toBe(ownGroup);
  });

  it('an aborted signal stops the process -> HostCanceledError', async () => {
    const transport = createExecTransport({ repoRoot: repo.root, hostBin: bin('sleepy-host') });
    const controller = new AbortController();
    const call = transport.run(['transition'], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user pressed Ctrl-C')), 100);
    await expect(call).rejects.toBeInstanceOf(HostCanceledError);
  });

  it('an already-aborted signal never starts the process', async () => {
    const transport = createExecTransport({ repoRoot: repo.root, hostBin: bin('no-such-host') });
    await expect(transport.run(['transition'], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      HostCanceledError,
    );
  });

  it('runaway output is cut at maxOutputBytes -> HostOutputTooLargeError', async () => {
    const transport = createExecTransport({
      repoRoot: repo.root,
      hostBin: bin('chatty-host'),
      maxOutputBytes: 1024,
    });
    await expect(transport.run(['mission-state'])).rejects.toBeInstanceOf(HostOutputTooLargeError);
  });
});

describe('exec transport against the real host', () => {
  it('contract-version parses and passes the contract gate', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'sko-home-'));
    try {
      const transport = createExecTransport({
        repoRoot: repo.root,
        hostBin: realHostBin(),
        env: hostTestEnv(home),
      });
      const client = new HostClient(transport, { providerVersion: '0.1.0' });
      // Two real calls at once (they cost ~1.5 s each): the gate, and the measured no-JSON failure.
      const [info, unknownLane] = await Promise.all([
        checkContract(client),
        transport.run(['transition', '--mission', 'x', '--wp', 'WP01', '--to', 'bogus', '--actor', 'a']),
      ]);
      expect(info.apiVersion).toMatch(/^\d+\.\d+\.\d+$/);
      expect(compareSemver(info.apiVersion, '1.3.0')).toBeGreaterThanOrEqual(0);
      expect(() => assertContractSupported(info)).not.toThrow();
      expect(info.minSupportedProviderVersion).toMatch(/^\d+\.\d+\.\d+$/);
      // The host prints a traceback and no JSON for an unknown lane (why argv.ts validates lanes).
      expect(unknownLane.stdout.trim()).toBe('');
      expect(() => parseHostResult('transition', unknownLane)).toThrow(HostNoOutputError);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
