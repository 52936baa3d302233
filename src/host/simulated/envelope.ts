/** The 7-key response envelope, printed the way the real host's Python `json.dumps` prints it. */
import { randomUUID } from 'node:crypto';
import { SIMULATED_CONTRACT_VERSION } from './model.js';

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue | undefined };

export function makeEnvelope(
  command: string,
  success: boolean,
  data: Record<string, JsonValue | undefined>,
  errorCode: string | null = null,
): Record<string, JsonValue | undefined> {
  return {
    contract_version: SIMULATED_CONTRACT_VERSION,
    command: `orchestrator-api.${command}`,
    timestamp: pythonUtcIso(new Date()),
    correlation_id: `corr-${randomUUID().replaceAll('-', '')}`,
    success,
    error_code: errorCode,
    data,
  };
}

/** `2026-11-25T21:09:53.695000+00:00`, the shape of Python's `datetime.isoformat()` in UTC. */
export function pythonUtcIso(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** Python `json.dumps` defaults: `", "` and `": "` separators, non-ASCII escaped. */
export function pythonJsonDumps(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return asciiJsonString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => pythonJsonDumps(item)).join(', ')}]`;
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  return `{${entries.map(([key, item]) => `${asciiJsonString(key)}: ${pythonJsonDumps(item)}`).join(', ')}}`;
}

function asciiJsonString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
