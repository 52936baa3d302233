/**
 * Errors cross the machine boundary as plain data: context and outputs are persisted as JSON, and
 * an Error object would become `{}` there. Decisions use `code` (the host's error_code), never text.
 */

export interface ErrorInfo {
  /** The host's error_code, or a local code; `UNKNOWN` when the thrower gave none. */
  code: string;
  message: string;
  /** The host command that failed (`accept-mission`), when the thrower named it. */
  command?: string;
  /** The host's own reasons, one line each (a failed check, a refusal's outstanding items). */
  reasons?: string[];
}

const MAX_MESSAGE = 500;
/** A refusal can list many checks; the state file keeps the first few. */
const MAX_REASONS = 8;

export function describeError(error: unknown): ErrorInfo {
  if (typeof error === 'object' && error !== null) {
    const candidate = error as { code?: unknown; message?: unknown; command?: unknown; reasons?: unknown };
    const code = typeof candidate.code === 'string' && candidate.code.length > 0 ? candidate.code : 'UNKNOWN';
    const message = typeof candidate.message === 'string' ? candidate.message : String(error);
    const info: ErrorInfo = { code, message: truncate(message, MAX_MESSAGE) };
    if (typeof candidate.command === 'string' && candidate.command !== '') info.command = candidate.command;
    const reasons = Array.isArray(candidate.reasons)
      ? candidate.reasons.filter((r): r is string => typeof r === 'string' && r !== '')
      : [];
    if (reasons.length > 0) info.reasons = reasons.slice(0, MAX_REASONS).map((r) => truncate(r, MAX_MESSAGE));
    return info;
  }
  return { code: 'UNKNOWN', message: truncate(String(error), MAX_MESSAGE) };
}

/** Cuts text to `max` characters, marking the cut so a reader knows the excerpt is partial. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}
