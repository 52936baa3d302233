/**
 * Tolerant JSON readers for agent output. Agent stdout arrives as a bounded tail, so the first
 * line may be cut in half and banners may sit between JSON lines: every reader skips what does
 * not parse instead of failing.
 */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The whole text as one JSON value, or undefined. */
export function parseJsonDocument(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '' || !'[{'.includes(trimmed[0] ?? '')) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

/** Every line that is a JSON object, in order (JSONL event streams). */
export function jsonLines(text: string): JsonRecord[] {
  const records: JsonRecord[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) continue;
    try {
      const value: unknown = JSON.parse(trimmed);
      if (isRecord(value)) records.push(value);
    } catch {
      // A cut or foreign line: skip it.
    }
  }
  return records;
}

export interface LocatedObject {
  value: JsonRecord;
  /** Offset of the opening brace in the scanned text. */
  start: number;
  end: number;
}

/**
 * Balanced `{...}` spans anywhere in free text (e.g. a JSON verdict inside a markdown answer),
 * outermost only, that parse as objects. Strings are respected so braces inside them do not count.
 */
export function findJsonObjects(text: string): LocatedObject[] {
  const found: LocatedObject[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"' && depth > 0) inString = true;
    else if (ch === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        const candidate = text.slice(start, i + 1);
        try {
          const value: unknown = JSON.parse(candidate);
          if (isRecord(value)) found.push({ value, start, end: i + 1 });
        } catch {
          // Not JSON (code, prose): ignore.
        }
      }
    }
  }
  return found;
}

/**
 * The agent's final JSON object: the whole output if it is one object, else the last JSON line,
 * else the last balanced object in the text.
 */
export function lastJsonObject(text: string): JsonRecord | undefined {
  const whole = parseJsonDocument(text);
  if (isRecord(whole)) return whole;
  const lines = jsonLines(text);
  if (lines.length > 0) return lines[lines.length - 1];
  const objects = findJsonObjects(text);
  return objects[objects.length - 1]?.value;
}
