import type { ExitCode } from './exit-codes.js';

/**
 * An error meant for a person: one clear sentence about what is wrong, an optional hint on how
 * to fix it, and the exit code the process should end with. Stack traces only with --debug.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isCliError(error: unknown): error is CliError {
  return error instanceof Error && error.name === 'CliError' && 'exitCode' in error;
}
