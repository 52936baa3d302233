/**
 * Qwen Code (a Gemini CLI fork). Docs (qwenlm.github.io/qwen-code-docs/en/users/features/headless):
 * the prompt may come on stdin; `--output-format json` prints ONE JSON ARRAY of messages, buffered
 * to the end: system `session_start`, `assistant` messages, and a final
 * `{type:"result", subtype, is_error, result, usage}`. The reference's bare `-p` is dropped (the
 * prompt is on stdin; headless mode starts without a TTY). `--yolo` as in the reference. Review
 * uses `--approval-mode default`: in headless mode tools that need approval fail, so no edits.
 */
import { pickArray, pickString } from '../parse/fields.js';
import { isRecord, type JsonRecord, jsonLines, parseJsonDocument } from '../parse/json.js';
import { defineAdapter, type OutputReading } from './define-adapter.js';
import { readResultRecord } from './result-object.js';

function assistantText(message: JsonRecord): string | undefined {
  const texts = pickArray(message, 'message.content')
    .map((block) => (pickString(block, 'type') === 'text' ? pickString(block, 'text') : undefined))
    .filter((text): text is string => text !== undefined);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

export function readQwenOutput(stdout: string): OutputReading {
  const document = parseJsonDocument(stdout);
  // The documented array; stream-json (one message per line) is read the same way.
  const messages = Array.isArray(document)
    ? document.filter(isRecord)
    : isRecord(document)
      ? [document]
      : jsonLines(stdout);
  if (messages.length === 0) return { errors: [], resultText: stdout };
  const result = [...messages].reverse().find((m) => pickString(m, 'type') === 'result');
  const lastAssistant = [...messages].reverse().find((m) => pickString(m, 'type') === 'assistant');
  const reading: OutputReading = result ? readResultRecord(result) : { errors: [] };
  if (reading.resultText === undefined && lastAssistant) {
    const text = assistantText(lastAssistant);
    if (text !== undefined) reading.resultText = text;
  }
  return reading;
}

export const qwenAdapter = defineAdapter({
  id: 'qwen',
  displayName: 'Qwen Code',
  binary: 'qwen',
  promptVia: 'stdin',
  outputFormat: 'json',
  reviewIsReadOnly: true,
  args: (role) =>
    role === 'implementation'
      ? ['--output-format', 'json', '--yolo']
      : ['--output-format', 'json', '--approval-mode', 'default'],
  read: (stdout) => readQwenOutput(stdout),
});
