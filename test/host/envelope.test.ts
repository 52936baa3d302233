import { describe, expect, it } from 'vitest';
import type { RawHostResult } from '../../src/host/api.js';
import { parseHostResult } from '../../src/host/envelope.js';
import {
  HostEnvelopeInvalidError,
  HostNoOutputError,
  HostNotJsonError,
  HostUsageError,
  MissionNotFoundError,
} from '../../src/host/errors.js';

function raw(stdout: string, extra: Partial<RawHostResult> = {}): RawHostResult {
  return { stdout, stderr: '', exitCode: 0, durationMs: 5, ...extra };
}

function success(command: string, data: Record<string, unknown>): string {
  return JSON.stringify({
    contract_version: '1.5.0',
    command: `orchestrator-api.${command}`,
    timestamp: '2026-11-25T21:09:21.130073+00:00',
    correlation_id: 'corr-6ba2',
    success: true,
    error_code: null,
    data,
  });
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const missionState = {
  mission_slug: '001-demo',
  summary: { planned: 1 },
  work_packages: [{ wp_id: 'WP01', lane: 'planned', dependencies: [], last_actor: null }],
};

describe('parseHostResult', () => {
  it('returns typed data of a success envelope, keeping unknown extra fields', () => {
    const data = parseHostResult(
      'mission-state',
      raw(success('mission-state', { ...missionState, future_field: 7 })),
    );
    expect(data.work_packages[0]?.lane).toBe('planned');
    expect((data as Record<string, unknown>).future_field).toBe(7);
  });

  it('accepts the exact stdout the real host printed (with trailing newline)', () => {
    const stdout =
      '{"contract_version": "1.5.0", "command": "orchestrator-api.contract-version", "timestamp": "2026-11-25T21:09:21.130073+00:00", "correlation_id": "corr-6ba2decb01bb41148b83dd54cc66fd6c", "success": true, "error_code": null, "data": {"api_version": "1.5.0", "min_supported_provider_version": "0.1.0"}}\n';
    expect(parseHostResult('contract-version', raw(stdout))).toEqual({
      api_version: '1.5.0',
      min_supported_provider_version: '0.1.0',
    });
  });

  it('tolerates a stray line before the envelope', () => {
    const stdout = `DeprecationWarning: something\n${success('mission-state', missionState)}\n`;
    expect(parseHostResult('mission-state', raw(stdout)).mission_slug).toBe('001-demo');
  });

  it('empty stdout -> HostNoOutputError with the stderr tail and exit code', () => {
    const error = thrown(() =>
      parseHostResult(
        'transition',
        raw('  \n', { exitCode: 1, stderr: 'Traceback (most recent call last):\nValueError: Unknown lane' }),
      ),
    );
    expect(error).toBeInstanceOf(HostNoOutputError);
    const noOutput = error as HostNoOutputError;
    expect(noOutput.exitCode).toBe(1);
    expect(noOutput.message).toContain('ValueError: Unknown lane');
    expect(noOutput.command).toBe('transition');
  });

  it.each([
    ['prose', 'Usage: spec-kitty [OPTIONS]'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"ok"'],
    ['truncated JSON', '{"contract_version": "1.5.0", "comm'],
  ])('%s -> HostNotJsonError showing stdout', (_name, stdout) => {
    const error = thrown(() => parseHostResult('list-ready', raw(stdout, { exitCode: 2, stderr: 'boom' })));
    expect(error).toBeInstanceOf(HostNotJsonError);
    expect((error as HostNotJsonError).message).toContain(stdout.slice(0, 10));
    expect((error as HostNotJsonError).stderrTail).toBe('boom');
  });

  it('an envelope missing a key -> HostEnvelopeInvalidError naming the field', () => {
    const broken = JSON.parse(success('list-ready', { mission_slug: 'x', ready_work_packages: [] }));
    delete broken.correlation_id;
    const error = thrown(() => parseHostResult('list-ready', raw(JSON.stringify(broken))));
    expect(error).toBeInstanceOf(HostEnvelopeInvalidError);
    expect((error as Error).message).toMatch(/^list-ready: correlation_id: /);
  });

  it('a bad data field -> HostEnvelopeInvalidError naming command and field path', () => {
    const bad = { ...missionState, work_packages: [{ wp_id: 'WP01', lane: 'reviewing', dependencies: [] }] };
    const error = thrown(() => parseHostResult('mission-state', raw(success('mission-state', bad))));
    expect(error).toBeInstanceOf(HostEnvelopeInvalidError);
    const invalid = error as HostEnvelopeInvalidError;
    expect(invalid.message).toMatch(/^mission-state: data\.work_packages\[0\]\.lane: /);
    expect(invalid.issues[0]?.path).toBe('data.work_packages[0].lane');
  });

  it('an answer for another command is invalid', () => {
    const error = thrown(() => parseHostResult('list-ready', raw(success('mission-state', missionState))));
    expect(error).toBeInstanceOf(HostEnvelopeInvalidError);
    expect((error as Error).message).toContain('command: expected "orchestrator-api.list-ready"');
  });

  it('success false -> the typed error, whatever the exit code', () => {
    const stdout =
      '{"contract_version": "1.5.0", "command": "orchestrator-api.transition", "timestamp": "2026-11-25T21:09:41.608549+00:00", "correlation_id": "corr-d828", "success": false, "error_code": "MISSION_NOT_FOUND", "data": {"message": "Mission \'x\' not found"}}';
    const error = thrown(() => parseHostResult('transition', raw(stdout, { exitCode: 1 })));
    expect(error).toBeInstanceOf(MissionNotFoundError);
  });

  it('a real USAGE_ERROR envelope (command "orchestrator-api.unknown", exit 2) keeps our command name', () => {
    const stdout =
      '{"contract_version": "1.5.0", "command": "orchestrator-api.unknown", "timestamp": "2026-11-25T21:09:40.085657+00:00", "correlation_id": "corr-6819", "success": false, "error_code": "USAGE_ERROR", "data": {"message": "No such option: --no-subtasks-complete (Possible options: --subtasks-complete)"}}';
    const error = thrown(() => parseHostResult('transition', raw(stdout, { exitCode: 2 })));
    expect(error).toBeInstanceOf(HostUsageError);
    expect((error as HostUsageError).command).toBe('transition');
    expect((error as HostUsageError).hostMessage).toContain('No such option');
  });
});
