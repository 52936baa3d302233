/**
 * Host capabilities come from what contract-version reported: the real envelopes of
 * spec-kitty-cli 3.2.7 (contract 1.5.0, no verb list) and 4.0.0rc7 (1.16.0, lists its verbs).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContractInfo } from '../../src/host/api.js';
import { contractHasDecisions, hostCapabilities } from '../../src/host/capabilities.js';
import { parseHostResult } from '../../src/host/envelope.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/host-envelopes');

/** The contract info HostClient derives from a saved envelope. */
function contractOf(file: string): ContractInfo {
  const stdout = readFileSync(path.join(FIXTURES, file), 'utf8');
  const data = parseHostResult('contract-version', { stdout, stderr: '', exitCode: 0, durationMs: 1 });
  return {
    apiVersion: data.api_version,
    minSupportedProviderVersion: data.min_supported_provider_version,
    supportedCommands: data.delivery_profile?.supported,
  };
}

describe('hostCapabilities', () => {
  it('spec-kitty-cli 3.2.7 (contract 1.5.0, no verb list): merge-mission, `spec-kitty merge`', () => {
    const info = contractOf('contract_version_3.2.7.json');
    expect(info.supportedCommands).toBeUndefined();
    const caps = hostCapabilities(info, '001-demo');
    expect(caps.mergeVerb).toBe('merge-mission');
    expect(caps.mergeCommand).toEqual(['spec-kitty', 'merge', '--mission', '001-demo']);
    // 1.4.0 added the decision verbs, so a 1.5.0 host has them without listing them.
    expect(caps.decisions).toBe(true);
    expect(caps.verbs.has('consolidate-mission')).toBe(false);
  });

  it('spec-kitty-cli 4.0.0rc7 (contract 1.16.0, lists its verbs): consolidate-mission, `spec-kitty consolidate`', () => {
    const info = contractOf('contract_version_4.0.0rc7.json');
    expect(info.supportedCommands).toContain('consolidate-mission');
    const caps = hostCapabilities(info, '001-demo');
    expect(caps.mergeVerb).toBe('consolidate-mission');
    expect(caps.mergeCommand).toEqual(['spec-kitty', 'consolidate', '--mission', '001-demo']);
    expect(caps.decisions).toBe(true);
    expect(caps.verbs.has('merge-mission')).toBe(false);
  });

  it.each([
    ['a 1.3.0 host (before the decision verbs)', { apiVersion: '1.3.0' }, 'merge-mission', false],
    [
      'a host listing merge-mission only',
      { apiVersion: '1.20.0', supportedCommands: ['merge-mission', 'design-status'] },
      'merge-mission',
      false,
    ],
    [
      'a listed verb set decides even on an old contract number',
      {
        apiVersion: '1.5.0',
        supportedCommands: ['consolidate-mission', 'design-status', 'resolve-decision'],
      },
      'consolidate-mission',
      true,
    ],
    [
      'a host listing answer-decision but not resolve-decision (the verb `decide` calls)',
      { apiVersion: '1.20.0', supportedCommands: ['merge-mission', 'design-status', 'answer-decision'] },
      'merge-mission',
      false,
    ],
  ] as const)('%s', (_name, partial, mergeVerb, decisions) => {
    const caps = hostCapabilities({ minSupportedProviderVersion: '0.1.0', ...partial }, '002-x');
    expect(caps.mergeVerb).toBe(mergeVerb);
    expect(caps.mergeCommand[1]).toBe(mergeVerb === 'merge-mission' ? 'merge' : 'consolidate');
    expect(caps.decisions).toBe(decisions);
  });
});

describe('contractHasDecisions (the contract version alone, as every envelope carries it)', () => {
  it.each([
    ['1.3.0', false],
    ['1.3.9', false],
    ['1.4.0-rc1', false],
    ['1.4.0', true],
    ['1.5.0', true],
    ['1.16.0', true],
    ['not-a-version', false],
  ] as const)('%s: %s', (version, expected) => {
    expect(contractHasDecisions(version)).toBe(expected);
  });
});
