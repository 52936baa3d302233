import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawHostResult } from '../../src/host/api.js';
import { parseHostResult } from '../../src/host/envelope.js';
import {
  ContractVersionMismatchError,
  type HostReportedError,
  MissionNotFoundError,
  MissionNotReadyError,
  PolicyMetadataRequiredError,
  TransitionRejectedError,
} from '../../src/host/errors.js';
import { COMMAND_DATA, envelopeSchema, type HostCommand } from '../../src/host/schemas.js';

const FIXTURE_DIR = path.resolve(import.meta.dirname, '../../fixtures/host-envelopes');
const files = readdirSync(FIXTURE_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();

/** The class each error fixture must map to, by its error_code. */
const ERROR_CLASS_BY_CODE: Record<string, new (...args: never[]) => HostReportedError> = {
  CONTRACT_VERSION_MISMATCH: ContractVersionMismatchError,
  MISSION_NOT_FOUND: MissionNotFoundError,
  MISSION_NOT_READY: MissionNotReadyError,
  POLICY_METADATA_REQUIRED: PolicyMetadataRequiredError,
  TRANSITION_REJECTED: TransitionRejectedError,
};

function load(name: string) {
  const text = readFileSync(path.join(FIXTURE_DIR, name), 'utf8');
  const envelope = envelopeSchema.parse(JSON.parse(text));
  const command = envelope.command.replace(/^orchestrator-api\./, '');
  const raw: RawHostResult = { stdout: text, stderr: '', exitCode: envelope.success ? 0 : 1, durationMs: 1 };
  return { envelope, command, raw };
}

function isHostCommand(command: string): command is HostCommand {
  return Object.hasOwn(COMMAND_DATA, command);
}

describe('canonical host envelopes', () => {
  it('has fixtures, and one success fixture per command', () => {
    const successCommands = files
      .map(load)
      .filter((f) => f.envelope.success)
      .map((f) => f.command);
    expect(new Set(successCommands)).toEqual(new Set(Object.keys(COMMAND_DATA)));
  });

  it.each(files)('%s parses with its command schema', (name) => {
    const { envelope, command, raw } = load(name);
    expect(isHostCommand(command)).toBe(true);
    if (!isHostCommand(command)) return;
    if (envelope.success) {
      const data = parseHostResult(command, raw);
      // Loose schemas keep every field the host sent.
      expect(data).toEqual(envelope.data);
      return;
    }
    const expectedClass = ERROR_CLASS_BY_CODE[envelope.error_code ?? ''];
    expect(expectedClass, `no expected class listed for ${envelope.error_code}`).toBeDefined();
    let caught: unknown;
    try {
      parseHostResult(command, raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(expectedClass!);
    const error = caught as HostReportedError;
    expect(error.code).toBe(envelope.error_code);
    expect(error.command).toBe(command);
    expect(error.hostMessage).toBe(envelope.data.message);
    expect(error.correlationId).toBe(envelope.correlation_id);
  });
});
