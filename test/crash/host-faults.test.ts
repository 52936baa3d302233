/**
 * Host faults through the real process boundary (exec transport, a host executable that
 * misbehaves once, then behaves): reads that hang past the timeout, print no JSON, or print
 * nothing with a non-zero exit are retried with backoff and succeed; a mutation that printed
 * nothing is not retried by the client (it may have happened: the WP actor checks mission-state).
 */
import { chmodSync, existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type HostCallRecord, HostClient } from '../../src/host/client.js';
import { createExecTransport } from '../../src/host/exec-transport.js';
import { buildPolicy, serializePolicy } from '../../src/host/policy.js';
import { createSimulatedMission } from '../../src/host/simulated/index.js';
import { SIMULATED_HOST_BIN } from '../cli-e2e/support/project.js';
import { assertSimulatedHostBuilt } from '../e2e/support/hosts.js';
import { createTempRepo, GIT_TEST_ENV } from '../support/temp-repo.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

type Fault = 'hang' | 'garbage' | 'silent';

/**
 * A host executable whose first `<verb>` call misbehaves as `fault` says (a marker file makes it
 * once only); every other call is the simulated host.
 */
async function faultyHost(verb: string, fault: Fault) {
  assertSimulatedHostBuilt();
  const repo = createTempRepo('sko-host-faults-');
  const scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-host-faults-bin-')));
  cleanups.push(repo.cleanup, () => rmSync(scratch, { recursive: true, force: true }));
  await createSimulatedMission(repo.root, {
    slug: '001-faults',
    title: 'Faults',
    workPackages: [{ id: 'WP01', title: 'One', subtasks: ['T001'], prompt: '# WP01\n' }],
  });
  const marker = path.join(scratch, 'faulted');
  const misbehave = {
    hang: 'exec sleep 30',
    garbage: "echo 'Traceback (most recent call last): boom'; exit 1",
    silent: "echo 'fatal: crashed' >&2; exit 1",
  }[fault];
  const bin = path.join(scratch, 'spec-kitty');
  writeFileSync(
    bin,
    [
      '#!/bin/sh',
      `if [ "$2" = "${verb}" ] && [ ! -e "${marker}" ]; then`,
      `  : > "${marker}"`,
      `  ${misbehave}`,
      'fi',
      `exec "${SIMULATED_HOST_BIN}" "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(bin, 0o755);
  const calls: HostCallRecord[] = [];
  const client = new HostClient(
    createExecTransport({
      repoRoot: repo.root,
      hostBin: bin,
      env: GIT_TEST_ENV,
      timeoutMs: 2_000,
      forceKillAfterMs: 200,
    }),
    { retryBaseDelayMs: 50, onCall: (call) => calls.push(call) },
  );
  return { client, calls, marker };
}

describe('host faults over the exec transport', () => {
  for (const fault of ['hang', 'garbage', 'silent'] as const) {
    it(`a read that fails once (${fault}) is retried and succeeds`, async () => {
      const { client, calls, marker } = await faultyHost('mission-state', fault);
      const state = await client.missionState({ mission: '001-faults' });
      expect(existsSync(marker)).toBe(true);
      expect(state.work_packages.map((wp) => wp.wp_id)).toEqual(['WP01']);
      const expected = { hang: 'HOST_TIMEOUT', garbage: 'HOST_NOT_JSON', silent: 'HOST_NO_OUTPUT' }[fault];
      expect(calls.map((call) => [call.attempt, call.ok, call.errorCode])).toEqual([
        [1, false, expected],
        [2, true, undefined],
      ]);
    });
  }

  it('a mutation that printed nothing is not retried: one call, the error surfaces', async () => {
    const { client, calls } = await faultyHost('start-implementation', 'silent');
    const policy = serializePolicy(buildPolicy({ orchestrator_version: '0.1.0' }));
    await expect(
      client.startImplementation({ mission: '001-faults', wp: 'WP01', actor: 'sko', policy }),
    ).rejects.toMatchObject({ code: 'HOST_NO_OUTPUT' });
    expect(calls).toHaveLength(1);
  });
});
