/** Error messages an agent reported: `error` / `errors` keys in its JSON, and error-looking stderr lines. */
import { bounded, uniqueStrings } from './fields.js';
import { isRecord, type JsonRecord } from './json.js';

const MAX_ERROR_CHARS = 500;
const MAX_STDERR_LINES = 10;

/** A message out of the many shapes agents use for one error: a string, {message}, {data:{message}}, {error:{...}}. */
export function errorMessage(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (!isRecord(value)) return undefined;
  for (const key of ['message', 'msg', 'detail', 'error_message', 'errorMessage']) {
    const found = value[key];
    if (typeof found === 'string' && found.trim() !== '') return found;
  }
  if (isRecord(value.data)) return errorMessage(value.data);
  if (value.error !== undefined) return errorMessage(value.error);
  if (typeof value.name === 'string') return value.name;
  if (typeof value.type === 'string' && typeof value.code !== 'undefined')
    return `${value.type} (${String(value.code)})`;
  return undefined;
}

/** Messages under the record's `error` and `errors` keys. */
export function errorsFromRecord(record: JsonRecord): string[] {
  const messages: string[] = [];
  const single = errorMessage(record.error);
  if (single) messages.push(single);
  const many = record.errors;
  if (Array.isArray(many)) {
    for (const item of many) {
      const message = errorMessage(item);
      if (message) messages.push(message);
    }
  } else {
    const message = errorMessage(many);
    if (message) messages.push(message);
  }
  return messages.map((m) => bounded(m, MAX_ERROR_CHARS));
}

/** ANSI colour / cursor sequences (ESC [ ... letter) that agents print even into pipes. */
const ANSI_SEQUENCE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

const ERROR_LINE =
  /\b(error|fatal|exception|failed|failure|denied|unauthori[sz]ed|forbidden|not logged in|rate.?limit|quota)\b/i;

/** Stderr lines that read like errors (agents log progress there too), bounded and without repeats. */
export function stderrErrorLines(stderr: string): string[] {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.replace(ANSI_SEQUENCE, '').trim())
    // JSON (or pretty-printed JSON fragments) on stderr is structured output the adapter reads itself.
    .filter((line) => line !== '' && !/^[[\]{}"]/.test(line) && ERROR_LINE.test(line));
  return uniqueStrings(lines)
    .slice(-MAX_STDERR_LINES)
    .map((line) => bounded(line, MAX_ERROR_CHARS));
}
