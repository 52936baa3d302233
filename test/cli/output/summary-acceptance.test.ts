/**
 * The summary of a run whose WPs all ended done but whose acceptance failed: the host's reason
 * in one line, the right next step (never "merge"), and the exit code that says so.
 */
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/exit-codes.js';
import { renderSummary } from '../../../src/cli/output/summary.js';
import { exitCodeFor } from '../../../src/cli/runtime/run-session.js';
import type { MissionOutput } from '../../../src/machines/mission/types.js';

function doneMission(extra: Partial<MissionOutput>): MissionOutput {
  return {
    status: 'completed',
    summary: 'every WP is done',
    wps: { WP01: { wpId: 'WP01', lane: 'done' }, WP02: { wpId: 'WP02', lane: 'done' } },
    ...extra,
  };
}

const crashedAccept = doneMission({
  status: 'failed',
  summary: 'accept-mission failed',
  error: {
    code: 'HOST_NO_OUTPUT',
    command: 'accept-mission',
    message:
      'accept-mission: the host printed nothing on stdout (exit code 1).\nstderr (last lines):\n│ box │',
    reasons: ['ValueError: Invalid meta.json for 001-demo: Missing or empty required field: created_at'],
  },
});

describe('summary of a run that was not accepted', () => {
  it('gives the host reason in one line and the retry step, not the merge step', () => {
    const text = renderSummary(crashedAccept, { mission: '001-demo' });
    expect(text).toContain('Mission 001-demo: every WP is done, but the mission was not accepted');
    const lines = text.split('\n').filter((line) => line.includes('did not accept'));
    expect(lines).toEqual([
      'The host did not accept the mission: ValueError: Invalid meta.json for 001-demo: ' +
        'Missing or empty required field: created_at [HOST_NO_OUTPUT]',
    ]);
    expect(text).not.toContain('│');
    expect(text).not.toContain('Next: merge');
    expect(text).toContain('`spec-kitty-orchestrator orchestrate --mission 001-demo` again');
    expect(exitCodeFor(crashedAccept)).toBe(EXIT.notAccepted);
  });

  it('falls back to our first line when the host gave no reason', () => {
    const output = doneMission({
      status: 'failed',
      error: {
        code: 'HOST_TIMEOUT',
        command: 'accept-mission',
        message: 'accept-mission: no answer in 300 s\nmore',
      },
    });
    expect(renderSummary(output, { mission: '001-demo' })).toContain(
      'The host did not accept the mission: no answer in 300 s [HOST_TIMEOUT]',
    );
  });

  it('a host that says no (accepted: false) is not a success either', () => {
    const output = doneMission({ accepted: false });
    expect(renderSummary(output, { mission: '001-demo' })).not.toContain('Next: merge');
    expect(exitCodeFor(output)).toBe(EXIT.notAccepted);
  });

  it('a failure elsewhere keeps its own error line and exit code', () => {
    const output: MissionOutput = {
      status: 'failed',
      summary: 'contract check failed',
      wps: { WP01: { wpId: 'WP01', lane: 'planned' } },
      error: { code: 'CONTRACT_VERSION_MISMATCH', command: 'contract-version', message: 'too old' },
    };
    const text = renderSummary(output, { mission: '001-demo' });
    expect(text).toContain('Error: CONTRACT_VERSION_MISMATCH: too old');
    expect(text).not.toContain('did not accept');
    expect(exitCodeFor(output)).not.toBe(EXIT.notAccepted);
  });

  it('an accepted run prints the merge command the host takes', () => {
    const text = renderSummary(doneMission({ accepted: true }), {
      mission: '001-demo',
      mergeCommand: ['spec-kitty', 'consolidate', '--mission', '001-demo'],
    });
    expect(text).toContain('Next: merge the mission with `spec-kitty consolidate --mission 001-demo`');
  });
});
