import { describe, expect, it } from 'vitest';
import { refusalReasons, tracebackReason } from '../../src/host/host-reasons.js';
import { HostNoOutputError } from '../../src/host/transport-errors.js';

/** The end of what spec-kitty-cli 3.2.7 printed for accept-mission on a meta.json without two fields. */
const RICH_TRACEBACK = [
  '│ /venv/lib/python3.11/site-packages/specify_cli/mission │',
  '│ _metadata.py:551 in write_meta                                               │',
  '│ ❱ 551 │   │   │   raise ValueError(f"Invalid meta.json for                   │',
  '╰──────────────────────────────────────────────────────────────────────────────╯',
  'ValueError: Invalid meta.json for 001-demo: Missing or empty required field: ',
  'created_at; Missing or empty required field: friendly_name',
  '',
].join('\n');

describe('tracebackReason', () => {
  it('takes the last exception line and unwraps what rich wrapped', () => {
    expect(tracebackReason(RICH_TRACEBACK)).toBe(
      'ValueError: Invalid meta.json for 001-demo: Missing or empty required field: created_at; ' +
        'Missing or empty required field: friendly_name',
    );
  });

  it('reads a plain Python traceback, dotted exception names included', () => {
    const plain = [
      'Traceback (most recent call last):',
      '  File "x.py", line 1, in <module>',
      '    raise KeyError("created_at")',
      "specify_cli.errors.MetaError: meta.json: 'created_at' is required",
    ].join('\n');
    expect(tracebackReason(plain)).toBe("specify_cli.errors.MetaError: meta.json: 'created_at' is required");
  });

  it('is null when nothing looks like an exception', () => {
    expect(tracebackReason('')).toBeNull();
    expect(tracebackReason('Killed\n')).toBeNull();
  });

  it('becomes the reason of the no-output error, leaving the box out', () => {
    const error = new HostNoOutputError('accept-mission', {
      exitCode: 1,
      stdout: '',
      stderr: RICH_TRACEBACK,
    });
    expect(error.reasons).toEqual([
      expect.stringMatching(/^ValueError: Invalid meta\.json .*friendly_name$/),
    ]);
  });
});

describe('refusalReasons', () => {
  it('lists each outstanding check category of a readiness refusal (4.0.0rc7 accept-mission)', () => {
    const data = {
      outstanding: {
        metadata: ['WP01: missing agent in canonical runtime state'],
        activity: ["Acceptance matrix verdict is 'pending'"],
        missing_artifacts: ['plan.md'],
        git_dirty: [' M kitty-specs/001-demo/status.events.jsonl', '?? .kittify/'],
        path_violations: [],
      },
      incomplete_wps: [],
    };
    expect(refusalReasons(data)).toEqual([
      'metadata: WP01: missing agent in canonical runtime state',
      "activity: Acceptance matrix verdict is 'pending'",
      'missing artifacts: plan.md',
      'git dirty: M kitty-specs/001-demo/status.events.jsonl; ?? .kittify/',
    ]);
  });

  it('names incomplete WPs (3.2.7 and 4.0 before every WP is done)', () => {
    expect(
      refusalReasons({ incomplete_wps: ['WP01', 'WP03'], message: 'Mission has 2 incomplete WP(s)' }),
    ).toEqual(['incomplete WPs: WP01, WP03']);
  });

  it('is empty for a payload with neither', () => {
    expect(refusalReasons({ message: 'x' })).toEqual([]);
  });
});
