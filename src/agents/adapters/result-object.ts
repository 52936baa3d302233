/**
 * The "result object" shape that Claude Code popularised and several agents copy (Cursor CLI,
 * Letta Code, Qwen Code's final message): `{type: "result", subtype, is_error, result, usage,
 * total_cost_usd}`.
 */
import { commitsFromRecord, filesFromRecord } from '../parse/artifacts.js';
import { pickString } from '../parse/fields.js';
import { type JsonRecord, lastJsonObject } from '../parse/json.js';
import { usageFromRecord } from '../parse/usage.js';
import { type OutputReading, resultRecordErrors } from './define-adapter.js';

export function readResultRecord(record: JsonRecord): OutputReading {
  const answer = pickString(record, 'result');
  const subtype = pickString(record, 'subtype') ?? '';
  const isError = record.is_error === true || subtype.startsWith('error');
  const errors = resultRecordErrors(record, isError, answer ?? (subtype || undefined));
  const reading: OutputReading = {
    errors,
    files: filesFromRecord(record),
    commits: commitsFromRecord(record),
    reportedFailure: isError,
  };
  if (answer !== undefined) reading.resultText = answer;
  const usage = usageFromRecord(record);
  if (usage) reading.usage = usage;
  return reading;
}

/** Reads stdout that should be one result object; plain text (an agent that ignored the format flag) becomes the answer. */
export function readResultObjectOutput(stdout: string): OutputReading {
  const record = lastJsonObject(stdout);
  if (record) return readResultRecord(record);
  return { errors: [], resultText: stdout };
}
