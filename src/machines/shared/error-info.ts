/**
 * Errors cross the machine boundary as plain data: context and outputs are persisted as JSON, and
 * an Error object would become `{}` there. Decisions use `code` (the host's error_code), never text.
 */

export interface ErrorInfo {
  /** The host's error_code, or a local code; `UNKNOWN` when the thrower gave none. */
  code: string;
  message: string;
}

const MAX_MESSAGE = 500;

export function describeError(error: unknown): ErrorInfo {
  if (typeof error === 'object' && error !== null) {
    const candidate = error as { code?: unknown; message?: unknown };
    const code = typeof candidate.code === 'string' && candidate.code.length > 0 ? candidate.code : 'UNKNOWN';
    const message = typeof candidate.message === 'string' ? candidate.message : String(error);
    return { code, message: truncate(message, MAX_MESSAGE) };
  }
  return { code: 'UNKNOWN', message: truncate(String(error), MAX_MESSAGE) };
}

/** Cuts text to `max` characters, marking the cut so a reader knows the excerpt is partial. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}
