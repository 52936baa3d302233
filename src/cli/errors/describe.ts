/**
 * Turns any error that reaches the top of a command into what a person should read and the
 * exit code a script should see. Decisions use stable `code`s, never message text.
 */
import { EXIT, type ExitCode } from '../exit-codes.js';

export interface DescribedError {
  message: string;
  hint?: string;
  exitCode: ExitCode;
}

/** Codes that mean "fix your setup", not "your input was malformed". */
const ENVIRONMENT_CODES = new Set([
  'HOST_BINARY_NOT_FOUND',
  'CONTRACT_TOO_OLD',
  'CONTRACT_TOO_NEW',
  'CONTRACT_VERSION_MISMATCH',
  'MISSION_NOT_FOUND',
  'MISSION_AMBIGUOUS_SELECTOR',
  'NOT_A_SPEC_KITTY_PROJECT',
  'AGENT_NOT_INSTALLED',
  'NO_SAVED_RUN',
]);

const USAGE_CODES = new Set([
  'CONFIG_INVALID',
  'USAGE_ERROR',
  'HOST_INVALID_ARGUMENT',
  'POLICY_INVALID',
  'POLICY_VALIDATION_FAILED',
  'UNKNOWN_AGENT',
  'RUN_STATE_INVALID',
  'MACHINE_VERSION_MISMATCH',
  'UNFINISHED_RUN_EXISTS',
  // resolve-decision with an id the mission does not have (measured on 4.0.0rc7).
  'DECISION_NOT_FOUND',
]);

export function exitCodeForErrorCode(code: string | undefined): ExitCode {
  if (!code) return EXIT.problems;
  if (ENVIRONMENT_CODES.has(code)) return EXIT.environment;
  if (USAGE_CODES.has(code)) return EXIT.usage;
  if (code === 'LOCK_HELD') return EXIT.locked;
  return EXIT.problems;
}

function codeOf(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string')
    return error.code;
  return undefined;
}

export function describeUnexpected(error: unknown): DescribedError {
  // citty's own argument errors (missing required flag, bad enum value) are usage errors.
  if (error instanceof Error && error.name === 'CLIError') {
    return { message: error.message, hint: 'see --help for the options', exitCode: EXIT.usage };
  }
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const exitCode = exitCodeForErrorCode(code);
  if (exitCode === EXIT.problems && !code) {
    return {
      message: `unexpected error: ${message}`,
      hint: 'run again with --debug for the stack trace',
      exitCode,
    };
  }
  return { message, exitCode };
}
