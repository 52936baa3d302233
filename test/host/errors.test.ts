import { describe, expect, it } from 'vitest';
import {
  AncestryNotEstablishedError,
  ContractTooOldError,
  ContractVersionMismatchError,
  HistoryCommitFailedError,
  HostBinaryNotFoundError,
  HostCanceledError,
  HostEnvelopeInvalidError,
  HostError,
  HostNoOutputError,
  HostNotJsonError,
  HostReportedError,
  HostTimeoutError,
  HostUsageError,
  hostErrorFromEnvelope,
  isHostError,
  LaneAllocationFailedError,
  MissionAmbiguousSelectorError,
  MissionNotFoundError,
  MissionNotReadyError,
  PolicyMetadataRequiredError,
  PolicyValidationFailedError,
  PreflightFailedError,
  SAFE_COMMIT_CODES,
  SafeCommitError,
  TransitionRejectedError,
  UnknownHostError,
  UnsupportedStrategyError,
  WorkflowEvidenceRequiredError,
  WpAlreadyClaimedError,
  WpNotFoundError,
} from '../../src/host/errors.js';
import type { Envelope } from '../../src/host/schemas.js';

function envelope(
  code: string,
  data: Record<string, unknown> = {},
  command = 'orchestrator-api.transition',
): Envelope {
  return {
    contract_version: '1.5.0',
    command,
    timestamp: '2026-11-25T21:09:40+00:00',
    correlation_id: 'corr-1',
    success: false,
    error_code: code,
    data: { message: `host says ${code}`, ...data },
  };
}

const classByCode: Array<[string, new (...args: never[]) => HostReportedError]> = [
  ['USAGE_ERROR', HostUsageError],
  ['POLICY_METADATA_REQUIRED', PolicyMetadataRequiredError],
  ['POLICY_VALIDATION_FAILED', PolicyValidationFailedError],
  ['MISSION_NOT_FOUND', MissionNotFoundError],
  ['MISSION_AMBIGUOUS_SELECTOR', MissionAmbiguousSelectorError],
  ['WP_NOT_FOUND', WpNotFoundError],
  ['TRANSITION_REJECTED', TransitionRejectedError],
  ['WP_ALREADY_CLAIMED', WpAlreadyClaimedError],
  ['MISSION_NOT_READY', MissionNotReadyError],
  ['WORKFLOW_EVIDENCE_REQUIRED', WorkflowEvidenceRequiredError],
  ['PREFLIGHT_FAILED', PreflightFailedError],
  ['CONTRACT_VERSION_MISMATCH', ContractVersionMismatchError],
  ['UNSUPPORTED_STRATEGY', UnsupportedStrategyError],
  ['LANE_ALLOCATION_FAILED', LaneAllocationFailedError],
  ['HISTORY_COMMIT_FAILED', HistoryCommitFailedError],
  ['ANCESTRY_NOT_ESTABLISHED', AncestryNotEstablishedError],
  ...SAFE_COMMIT_CODES.map((code): [string, typeof SafeCommitError] => [code, SafeCommitError]),
  ['SAFE_COMMIT_SOMETHING_NEW', SafeCommitError],
  ['BRAND_NEW_CODE', UnknownHostError],
];

describe('hostErrorFromEnvelope', () => {
  it.each(classByCode)('%s -> its own class', (code, expected) => {
    const error = hostErrorFromEnvelope(envelope(code));
    expect(error).toBeInstanceOf(expected);
    expect(error).toBeInstanceOf(HostReportedError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(expected.name);
    expect(error.hostMessage).toBe(`host says ${code}`);
    expect(error.command).toBe('transition');
    expect(error.message).toMatch(/^transition: host says /);
    // Every class says what to do, beyond the host's own message.
    expect(error.hint?.length ?? 0).toBeGreaterThan(20);
    expect(isHostError(error)).toBe(true);
  });

  it('decides on the code, never on the message', () => {
    const misleading = envelope('WP_NOT_FOUND', { message: 'Mission not found; TRANSITION_REJECTED' });
    expect(hostErrorFromEnvelope(misleading)).toBeInstanceOf(WpNotFoundError);
  });

  it('carries the claim holder of WP_ALREADY_CLAIMED', () => {
    const error = hostErrorFromEnvelope(
      envelope('WP_ALREADY_CLAIMED', { claimed_by: 'alice', requesting_actor: 'bob' }),
    );
    expect(error).toBeInstanceOf(WpAlreadyClaimedError);
    const claimed = error as WpAlreadyClaimedError;
    expect(claimed.claimedBy).toBe('alice');
    expect(claimed.requestingActor).toBe('bob');
    expect(claimed.message).toContain("'alice'");
  });

  it('lists the incomplete WPs of MISSION_NOT_READY', () => {
    const error = hostErrorFromEnvelope(envelope('MISSION_NOT_READY', { incomplete_wps: ['WP02', 'WP03'] }));
    expect((error as MissionNotReadyError).incompleteWps).toEqual(['WP02', 'WP03']);
    expect(error.message).toContain('WP02, WP03');
  });

  it('lists candidates of MISSION_AMBIGUOUS_SELECTOR', () => {
    const error = hostErrorFromEnvelope(
      envelope('MISSION_AMBIGUOUS_SELECTOR', { candidates: ['001-a', '002-b'] }),
    );
    expect((error as MissionAmbiguousSelectorError).candidates).toEqual(['001-a', '002-b']);
    expect(error.message).toContain('"001-a"');
  });

  it('keeps the SAFE_COMMIT sub-code', () => {
    const error = hostErrorFromEnvelope(envelope('SAFE_COMMIT_PROTECTED_BRANCH'));
    expect((error as SafeCommitError).subCode).toBe('PROTECTED_BRANCH');
  });

  it('uses the caller command for USAGE_ERROR envelopes (the host says "unknown")', () => {
    const usage = envelope('USAGE_ERROR', { message: 'No such option: --bogus' }, 'orchestrator-api.unknown');
    expect(hostErrorFromEnvelope(usage).command).toBe('unknown');
    expect(hostErrorFromEnvelope(usage, 'transition').command).toBe('transition');
  });

  it('survives an error payload without a message', () => {
    const bare = { ...envelope('TRANSITION_REJECTED'), data: {} };
    const error = hostErrorFromEnvelope(bare);
    expect(error).toBeInstanceOf(TransitionRejectedError);
    expect(error.hostMessage).toMatch(/without a message/);
  });
});

describe('HostError base', () => {
  it('serializes to JSON with code, command, data and the cause', () => {
    const cause = new Error('spawn failed');
    const error = new HostBinaryNotFoundError('/opt/none/spec-kitty', { command: 'mission-state', cause });
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toMatchObject({
      name: 'HostBinaryNotFoundError',
      code: 'HOST_BINARY_NOT_FOUND',
      command: 'mission-state',
      transient: false,
      data: { hostBin: '/opt/none/spec-kitty' },
      cause: 'Error: spawn failed',
    });
    expect(json.message).toContain('pip install spec-kitty-cli==3.2.7');
    expect(json.message).toContain('SPEC_KITTY_BIN');
  });

  it('formats short by default and with details when verbose', () => {
    const error = hostErrorFromEnvelope(envelope('WP_ALREADY_CLAIMED', { claimed_by: 'alice' }));
    expect(error.format()).toBe(error.message);
    const verbose = error.format(true);
    expect(verbose).toContain('code: WP_ALREADY_CLAIMED');
    expect(verbose).toContain('"claimed_by":"alice"');
    const wrapped = new HostTimeoutError('transition', 10, new Error('inner'));
    expect(wrapped.format(true)).toContain('caused by: Error: inner');
  });

  it('isHostError recognizes the family and nothing else', () => {
    expect(isHostError(new HostCanceledError('x'))).toBe(true);
    expect(isHostError(new HostError('X', 'y'))).toBe(true);
    expect(isHostError(new Error('plain'))).toBe(false);
    expect(isHostError({ code: 'MISSION_NOT_FOUND', message: 'duck' })).toBe(false);
    expect(isHostError(null)).toBe(false);
  });

  it('marks transport hiccups transient and refusals not', () => {
    const facts = { exitCode: 1, stdout: '', stderr: 'Traceback...\nValueError: Unknown lane' };
    expect(new HostNoOutputError('transition', facts).transient).toBe(true);
    expect(new HostNotJsonError('transition', { ...facts, stdout: 'oops' }).transient).toBe(true);
    expect(new HostTimeoutError('transition', 5).transient).toBe(true);
    expect(new HostCanceledError('transition').transient).toBe(false);
    expect(new HostEnvelopeInvalidError('transition', []).transient).toBe(false);
    expect(hostErrorFromEnvelope(envelope('TRANSITION_REJECTED')).transient).toBe(false);
  });

  it('shows the stderr tail of a silent host and keeps it bounded', () => {
    const stderr = Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n');
    const error = new HostNoOutputError('transition', { exitCode: 1, stdout: '', stderr });
    expect(error.message).toContain('line 199');
    expect(error.message).not.toContain('line 100\n');
    expect(error.message).toContain('exit code 1');
  });

  it('ContractTooOldError names both versions and how to upgrade', () => {
    const error = new ContractTooOldError('1.2.0', '1.3.0');
    expect(error.message).toContain('1.2.0');
    expect(error.message).toContain('>= 1.3.0');
    expect(error.message).toContain('pip install --upgrade');
  });
});
