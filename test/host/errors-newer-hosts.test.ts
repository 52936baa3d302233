/**
 * Error codes and refusal fields of contracts after 1.5 (spec-kitty-cli 4.0.0rc7 speaks 1.16.0)
 * become typed errors and typed fields, decided from the envelope's data, never its message.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type HostReportedError,
  hostErrorFromEnvelope,
  InvalidMissionError,
  MissionNotReadyError,
  PlacementResolutionRequiredError,
  PreflightFailedError,
  SafeCommitError,
  StatusLockHeldError,
  StatusReadPathNotFoundError,
  UnsupportedCapabilityError,
} from '../../src/host/errors.js';
import { type Envelope, envelopeSchema } from '../../src/host/schemas.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/host-envelopes');

function refusal(code: string, data: Record<string, unknown>, command = 'consolidate-mission'): Envelope {
  return {
    contract_version: '1.16.0',
    command: `orchestrator-api.${command}`,
    timestamp: '2026-12-02T19:00:00+00:00',
    correlation_id: 'corr-2',
    success: false,
    error_code: code,
    // The message is the same prose for every sub-code: only the data may decide.
    data: { message: 'Merge failed', ...data },
  };
}

describe('accept-mission refused by the readiness verdict (4.0.0rc7)', () => {
  const envelope = envelopeSchema.parse(
    JSON.parse(readFileSync(path.join(FIXTURES, 'error_accept_readiness_4.0.0rc7.json'), 'utf8')),
  );

  it("is a MissionNotReadyError carrying the host's outstanding items by category", () => {
    const error = hostErrorFromEnvelope(envelope) as MissionNotReadyError;
    expect(error).toBeInstanceOf(MissionNotReadyError);
    expect(error.incompleteWps).toEqual([]);
    expect(Object.keys(error.readiness?.outstanding ?? {}).sort()).toEqual([
      'activity',
      'git_dirty',
      'metadata',
      'missing_artifacts',
      'path_violations',
    ]);
    expect(error.readiness?.outstanding.missing_artifacts).toEqual(['plan.md']);
    expect(error.readiness?.activityIssues).toHaveLength(1);
    expect(error.readiness?.blockedChecks).toEqual([]);
    expect(error.hint).toMatch(/readiness checks refused acceptance \(metadata, activity, missing artifacts/);
  });

  it('an incomplete WP (both hosts) has no readiness facts', () => {
    const error = hostErrorFromEnvelope(
      refusal('MISSION_NOT_READY', { incomplete_wps: ['WP02'] }, 'accept-mission'),
    ) as MissionNotReadyError;
    expect(error.readiness).toBeUndefined();
    expect(error.incompleteWps).toEqual(['WP02']);
    expect(error.hint).toMatch(/not yet: WP02/);
  });

  it('empty outstanding categories are left out', () => {
    const error = hostErrorFromEnvelope(
      refusal(
        'MISSION_NOT_READY',
        { outstanding: { metadata: [], activity: ['pending'] } },
        'accept-mission',
      ),
    ) as MissionNotReadyError;
    expect(error.readiness?.outstanding).toEqual({ activity: ['pending'] });
  });
});

describe('PREFLIGHT_FAILED sub-codes of merge/consolidate', () => {
  it.each([
    [
      'LANE_MOVED_AFTER_APPROVAL (contract 1.10)',
      {
        preflight_error_code: 'LANE_MOVED_AFTER_APPROVAL',
        preflight_error_codes: ['LANE_MOVED_AFTER_APPROVAL'],
      },
      'LANE_MOVED_AFTER_APPROVAL',
      /commits made after review approved it/,
    ],
    [
      'COORD_MOVED_AFTER_LANDING in teardown_error_code (contract 1.9)',
      { teardown_error_code: 'COORD_MOVED_AFTER_LANDING' },
      'COORD_MOVED_AFTER_LANDING',
      /The merge landed/,
    ],
    [
      'an ORIGIN_* freshness refusal (contract 1.11)',
      { preflight_error_code: 'ORIGIN_STATUS_STALE', preflight_error_codes: ['ORIGIN_STATUS_STALE'] },
      'ORIGIN_STATUS_STALE',
      /remote is ahead/,
    ],
  ])('%s', (_name, data, subCode, hint) => {
    const error = hostErrorFromEnvelope(
      refusal('PREFLIGHT_FAILED', { errors: ['x'], target_branch: 'main', ...data }),
    ) as PreflightFailedError;
    expect(error).toBeInstanceOf(PreflightFailedError);
    expect(error.preflight.teardownErrorCode ?? error.preflight.preflightErrorCode).toBe(subCode);
    expect(error.preflight.targetBranch).toBe('main');
    expect(error.preflight.errors).toEqual(['x']);
    expect(error.hint).toMatch(hint);
    expect(error.hint).toContain(`[${subCode}]`);
  });

  it('a 3.2.7 refusal has no sub-codes and keeps the general hint', () => {
    const error = hostErrorFromEnvelope(
      refusal('PREFLIGHT_FAILED', { errors: ['uncommitted changes'] }, 'merge-mission'),
    ) as PreflightFailedError;
    expect(error.preflight).toMatchObject({
      preflightErrorCode: undefined,
      preflightErrorCodes: [],
      teardownErrorCode: undefined,
    });
    expect(error.hint).toMatch(/^Fix the problems the merge preflight lists/);
  });

  it('lists every sub-code, the first one leading', () => {
    const error = hostErrorFromEnvelope(
      refusal('PREFLIGHT_FAILED', {
        preflight_error_code: 'APPROVAL_STAMP_MISSING',
        preflight_error_codes: ['APPROVAL_STAMP_MISSING', 'LANE_MOVED_AFTER_APPROVAL'],
      }),
    ) as PreflightFailedError;
    expect(error.preflight.preflightErrorCodes).toEqual([
      'APPROVAL_STAMP_MISSING',
      'LANE_MOVED_AFTER_APPROVAL',
    ]);
    expect(error.hint).toMatch(/records no lane head/);
  });
});

describe('codes added after contract 1.5 on the verbs we call', () => {
  it.each([
    ['INVALID_MISSION', InvalidMissionError],
    ['STATUS_READ_PATH_NOT_FOUND', StatusReadPathNotFoundError],
    ['STATUS_LOCK_HELD', StatusLockHeldError],
    ['PLACEMENT_RESOLUTION_REQUIRED', PlacementResolutionRequiredError],
    ['UNSUPPORTED_CAPABILITY', UnsupportedCapabilityError],
    ['SAFE_COMMIT_INDEX_RESIDUE', SafeCommitError],
    ['SAFE_COMMIT_UNREQUESTED_PATHS', SafeCommitError],
  ] as Array<[string, new (...args: never[]) => HostReportedError]>)(
    '%s has its own class',
    (code, klass) => {
      const error = hostErrorFromEnvelope(refusal(code, {}, 'start-implementation'));
      expect(error).toBeInstanceOf(klass);
      expect(error.code).toBe(code);
      expect(error.command).toBe('start-implementation');
    },
  );
});
