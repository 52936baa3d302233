/** Small typed accessors for untyped agent JSON, so parsers read like the documented shapes. */
import { isRecord, type JsonRecord } from './json.js';

/** Follows a dotted path through nested objects. */
export function pick(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function pickString(value: unknown, path: string): string | undefined {
  const found = pick(value, path);
  return typeof found === 'string' ? found : undefined;
}

export function pickNumber(value: unknown, path: string): number | undefined {
  const found = pick(value, path);
  return typeof found === 'number' && Number.isFinite(found) ? found : undefined;
}

export function pickRecord(value: unknown, path: string): JsonRecord | undefined {
  const found = pick(value, path);
  return isRecord(found) ? found : undefined;
}

export function pickArray(value: unknown, path: string): unknown[] {
  const found = pick(value, path);
  return Array.isArray(found) ? found : [];
}

/** The first of several paths that holds a string. */
export function firstString(value: unknown, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    const found = pickString(value, path);
    if (found !== undefined && found.trim() !== '') return found;
  }
  return undefined;
}

/** The first of several paths that holds a finite number. */
export function firstNumber(value: unknown, paths: readonly string[]): number | undefined {
  for (const path of paths) {
    const found = pickNumber(value, path);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Keeps order, drops blanks and repeats. */
export function uniqueStrings(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed === '' || seen.has(trimmed)) continue;
    seen.add(trimmed);
    out.push(trimmed);
  }
  return out;
}

/** Cuts text to a bound, keeping the start and saying that it was cut. */
export function bounded(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars - 1)}…`;
}
