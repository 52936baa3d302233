/**
 * Turns what one host process printed into typed data or a typed error. The only place that
 * reads host stdout; nothing else decides whether an answer is valid.
 */
import type { z } from 'zod';
import type { RawHostResult } from './api.js';
import { COMMAND_PREFIX, hostErrorFromEnvelope } from './reported-errors.js';
import {
  COMMAND_DATA,
  type CommandData,
  type Envelope,
  envelopeSchema,
  type HostCommand,
} from './schemas.js';
import {
  type EnvelopeIssue,
  HostEnvelopeInvalidError,
  HostNoOutputError,
  HostNotJsonError,
} from './transport-errors.js';

/** `['data', 'work_packages', 0, 'lane']` -> `data.work_packages[0].lane`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function issuesFromZod(error: z.core.$ZodError, prefix: readonly PropertyKey[] = []): EnvelopeIssue[] {
  return error.issues.map((issue) => ({
    path: formatIssuePath([...prefix, ...issue.path]),
    message: issue.message,
  }));
}

/**
 * The host prints exactly one JSON object. We also accept it as the last `{...}` line, so a stray
 * warning printed before it (Python libraries sometimes write to stdout) does not fail a call.
 */
function parseJsonOutput(stdout: string): unknown {
  const trimmed = stdout.trim();
  try {
    return JSON.parse(trimmed);
  } catch (error) {
    const lastObjectLine = trimmed
      .split('\n')
      .map((line) => line.trim())
      .reverse()
      .find((line) => line.startsWith('{') && line.endsWith('}'));
    if (lastObjectLine === undefined || lastObjectLine === trimmed) throw error;
    return JSON.parse(lastObjectLine);
  }
}

/** Validates the 7-key envelope shape only (success or failure). */
export function parseEnvelope(command: string, raw: RawHostResult): Envelope {
  const facts = { exitCode: raw.exitCode, stdout: raw.stdout, stderr: raw.stderr };
  if (raw.stdout.trim() === '') throw new HostNoOutputError(command, facts);
  let json: unknown;
  try {
    json = parseJsonOutput(raw.stdout);
  } catch (error) {
    throw new HostNotJsonError(command, facts, error);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new HostNotJsonError(command, facts);
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) throw new HostEnvelopeInvalidError(command, issuesFromZod(envelope.error));
  return envelope.data;
}

/**
 * Parses one host answer for `command`: its typed `data` on success, else throws the HostError
 * the answer calls for. Extra fields are kept (the host may add some in minor versions).
 */
export function parseHostResult<C extends HostCommand>(command: C, raw: RawHostResult): CommandData<C> {
  const envelope = parseEnvelope(command, raw);
  if (!envelope.success) throw hostErrorFromEnvelope(envelope, command);
  const expectedCommand = `${COMMAND_PREFIX}${command}`;
  if (envelope.command !== expectedCommand) {
    throw new HostEnvelopeInvalidError(command, [
      { path: 'command', message: `expected "${expectedCommand}", got "${envelope.command}"` },
    ]);
  }
  const data = COMMAND_DATA[command].safeParse(envelope.data);
  if (!data.success) throw new HostEnvelopeInvalidError(command, issuesFromZod(data.error, ['data']));
  // safeParse on COMMAND_DATA[C] yields exactly CommandData<C>; TS cannot narrow the indexed union.
  return data.data as CommandData<C>;
}
