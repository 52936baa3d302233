/** HostClient.mergeMission calls the merge verb the host's own contract-version lists. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostTransport, RawHostResult } from '../../src/host/api.js';
import { HostClient } from '../../src/host/client.js';
import { HostUsageError } from '../../src/host/errors.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/host-envelopes');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** A host that answers contract-version from a saved envelope and merges under `mergeVerb` only. */
function host(contractFixture: string, mergeVerb: string): HostTransport & { calls: string[][] } {
  const calls: string[][] = [];
  const merged = JSON.parse(fixture('consolidate_mission_success.json')) as Record<string, unknown>;
  return {
    calls,
    async run(args): Promise<RawHostResult> {
      calls.push([...args]);
      const answer = (stdout: string, exitCode = 0) => ({ stdout, stderr: '', exitCode, durationMs: 1 });
      if (args[0] === 'contract-version') return answer(fixture(contractFixture));
      if (args[0] === mergeVerb)
        return answer(JSON.stringify({ ...merged, command: `orchestrator-api.${mergeVerb}` }));
      // What both real hosts answer for a verb they do not have (measured).
      return answer(
        JSON.stringify({
          ...merged,
          command: 'orchestrator-api.unknown',
          success: false,
          error_code: 'USAGE_ERROR',
          data: { message: `No such command '${args[0]}'.` },
        }),
        2,
      );
    },
  };
}

describe('HostClient merge verb', () => {
  it('asks contract-version once, then calls consolidate-mission on a host that lists it (4.0.0rc7)', async () => {
    const transport = host('contract_version_4.0.0rc7.json', 'consolidate-mission');
    const client = new HostClient(transport);
    const result = await client.mergeMission({ mission: '001-demo' });
    expect(result.merged).toBe(true);
    await client.mergeMission({ mission: '001-demo' });
    expect(transport.calls.map((c) => c[0])).toEqual([
      'contract-version',
      'consolidate-mission',
      'consolidate-mission',
    ]);
  });

  it('calls merge-mission on a host that lists no verbs (3.2.7), reusing the contract it already read', async () => {
    const transport = host('contract_version_3.2.7.json', 'merge-mission');
    const client = new HostClient(transport);
    await client.contractVersion();
    await client.mergeMission({ mission: '001-demo', target: 'main' });
    expect(transport.calls).toEqual([
      ['contract-version'],
      ['merge-mission', '--mission', '001-demo', '--target', 'main'],
    ]);
  });

  it('an explicit verb wins and asks nothing', async () => {
    const transport = host('contract_version_4.0.0rc7.json', 'consolidate-mission');
    const client = new HostClient(transport);
    await expect(client.mergeMission({ mission: '001-demo', verb: 'merge-mission' })).rejects.toBeInstanceOf(
      HostUsageError,
    );
    expect(transport.calls.map((c) => c[0])).toEqual(['merge-mission']);
  });
});
