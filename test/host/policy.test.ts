import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostClient } from '../../src/host/client.js';
import {
  MissionNotFoundError,
  PolicyInvalidError,
  PolicyValidationFailedError,
} from '../../src/host/errors.js';
import { createExecTransport } from '../../src/host/exec-transport.js';
import { buildPolicy, type Policy, parsePolicy, serializePolicy } from '../../src/host/policy.js';
import { createTempRepo, hostTestEnv, realHostBin } from '../support/temp-repo.js';

function thrownBy(fn: () => unknown): PolicyInvalidError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PolicyInvalidError) return error;
    throw error;
  }
  throw new Error('expected a PolicyInvalidError');
}

describe('buildPolicy', () => {
  it('fills the reference defaults around the given version', () => {
    expect(buildPolicy({ orchestrator_version: '0.1.0' })).toEqual({
      orchestrator_id: 'spec-kitty-orchestrator',
      orchestrator_version: '0.1.0',
      agent_family: 'claude',
      approval_mode: 'full_auto',
      sandbox_mode: 'workspace_write',
      network_mode: 'none',
      dangerous_flags: [],
      tool_restrictions: null,
    });
  });

  it('lets the caller override fields, ignoring undefined ones', () => {
    const policy = buildPolicy({
      orchestrator_version: '1.0.0',
      agent_family: 'codex',
      network_mode: undefined,
    });
    expect(policy.agent_family).toBe('codex');
    expect(policy.network_mode).toBe('none');
  });
});

describe('policy validation', () => {
  const base = buildPolicy({ orchestrator_version: '0.1.0' });

  it.each([
    ['agent_family', { agent_family: 'my-token-agent' }, 'token'],
    ['orchestrator_id', { orchestrator_id: 'MySecretBot' }, 'secret'],
    ['tool_restrictions', { tool_restrictions: 'PASSWORD prompts off' }, 'password'],
    ['agent_family', { agent_family: 'monkey' }, 'key'],
    ['dangerous_flags[1]', { dangerous_flags: ['--verbose', '--credentials=x'] }, 'credential'],
    ['api_key', { api_key: 'x' }, 'key'],
  ])('refuses a secret-like string in %s (even inside a word) without echoing it', (field, patch, word) => {
    const error = thrownBy(() => parsePolicy({ ...base, ...patch }));
    expect(error.code).toBe('POLICY_INVALID');
    expect(error.field).toBe(field);
    expect(error.message).toContain(`'${field}'`);
    expect(error.message).toContain(`"${word}"`);
    for (const value of Object.values(patch).flat()) {
      if (typeof value === 'string' && value.length > 3) expect(error.message).not.toContain(value);
    }
  });

  it.each([
    '--full-auto',
    '--yolo',
    '--dangerously-bypass-approvals-and-sandbox',
    '--dangerously-skip-permissions',
  ])('refuses the banned dangerous flag %s', (flag) => {
    const error = thrownBy(() =>
      buildPolicy({ orchestrator_version: '0.1.0', dangerous_flags: ['--safe', flag] }),
    );
    expect(error.field).toBe('dangerous_flags[1]');
    expect(error.message).toMatch(/banned flag/);
  });

  it.each([
    ['approval_mode', { approval_mode: 'yolo' }],
    ['sandbox_mode', { sandbox_mode: 'full' }],
    ['network_mode', { network_mode: 'internet' }],
    ['orchestrator_version', { orchestrator_version: '' }],
    ['dangerous_flags', { dangerous_flags: '--x' }],
    ['tool_restrictions', { tool_restrictions: { deny: ['rm'] } }],
  ])('refuses a bad %s', (field, patch) => {
    const error = thrownBy(() => parsePolicy({ ...base, ...patch }));
    expect(error.field).toBe(field);
  });

  it('refuses unknown fields (typos) and missing ones', () => {
    expect(thrownBy(() => parsePolicy({ ...base, sandbox: 'none' })).message).toMatch(/sandbox/);
    const { agent_family: _omitted, ...missing } = base;
    expect(thrownBy(() => parsePolicy(missing)).field).toBe('agent_family');
  });
});

describe('serializePolicy', () => {
  it('is stable: same policy, same bytes, whatever the key order', () => {
    const policy = buildPolicy({ orchestrator_version: '0.1.0', dangerous_flags: ['--sandbox'] });
    const shuffled = Object.fromEntries(Object.entries(policy).reverse()) as Policy;
    expect(serializePolicy(shuffled)).toBe(serializePolicy(policy));
    expect(serializePolicy(policy)).toBe(
      '{"orchestrator_id":"spec-kitty-orchestrator","orchestrator_version":"0.1.0","agent_family":"claude",' +
        '"approval_mode":"full_auto","sandbox_mode":"workspace_write","network_mode":"none",' +
        '"dangerous_flags":["--sandbox"],"tool_restrictions":null}',
    );
  });

  it('round-trips through parsePolicy', () => {
    const policy = buildPolicy({ orchestrator_version: '2.0.0', approval_mode: 'supervised' });
    expect(parsePolicy(JSON.parse(serializePolicy(policy)))).toEqual(policy);
  });

  it('refuses to serialize an invalid policy', () => {
    const bad = { ...buildPolicy({ orchestrator_version: '0.1.0' }), agent_family: 'keymaster' };
    expect(() => serializePolicy(bad)).toThrow(PolicyInvalidError);
  });
});

describe('policy against the real host', () => {
  it('the host accepts our serialized policy and refuses what we refuse', async () => {
    const repo = createTempRepo('sko-policy-');
    const home = mkdtempSync(path.join(tmpdir(), 'sko-home-'));
    try {
      const client = new HostClient(
        createExecTransport({ repoRoot: repo.root, hostBin: realHostBin(), env: hostTestEnv(home) }),
      );
      const good = serializePolicy(buildPolicy({ orchestrator_version: '0.1.0' }));
      // Hand-written, bypassing our own check, to see the host's verdict on the same input.
      const monkey = good.replace('"claude"', '"monkey"');
      expect(() => parsePolicy(JSON.parse(monkey))).toThrow(PolicyInvalidError);
      const args = { mission: '001-nowhere', wp: 'WP01', actor: 'orch' };
      // The host validates --policy before resolving the mission: MISSION_NOT_FOUND means accepted.
      const [accepted, refused] = await Promise.allSettled([
        client.startImplementation({ ...args, policy: good }),
        client.startImplementation({ ...args, policy: monkey }),
      ]);
      expect(accepted.status === 'rejected' && accepted.reason).toBeInstanceOf(MissionNotFoundError);
      expect(refused.status === 'rejected' && refused.reason).toBeInstanceOf(PolicyValidationFailedError);
    } finally {
      rmSync(home, { recursive: true, force: true });
      repo.cleanup();
    }
  });
});
