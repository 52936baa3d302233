/**
 * OpenAI Codex CLI. Docs (developers.openai.com/codex, "Non-interactive mode" / `codex exec`):
 * a prompt of `-` is read from stdin; `--json` streams JSONL events: thread.started,
 * turn.started, item.completed {item:{type:"agent_message"|"file_change"|"error", ...}},
 * turn.completed {usage:{input_tokens, output_tokens}}, turn.failed {error:{message}}, error {message}.
 * Implementation keeps the reference's `--full-auto` (workspace-write sandbox); review uses the
 * documented `--sandbox read-only`.
 */
import { errorMessage } from '../parse/errors.js';
import { pick, pickArray, pickString } from '../parse/fields.js';
import { jsonLines } from '../parse/json.js';
import { addUsage, usageFromObject } from '../parse/usage.js';
import type { AgentUsage } from '../types.js';
import { defineAdapter, type OutputReading } from './define-adapter.js';

export function readCodexEvents(stdout: string): OutputReading {
  const errors: string[] = [];
  const warnings: string[] = [];
  const files: string[] = [];
  let resultText: string | undefined;
  let usage: AgentUsage | undefined;
  let failed = false;
  for (const event of jsonLines(stdout)) {
    const type = pickString(event, 'type');
    if (type === 'item.completed' || type === 'item.updated') {
      const item = pick(event, 'item');
      const itemType = pickString(item, 'type');
      if (itemType === 'agent_message') resultText = pickString(item, 'text') ?? resultText;
      else if (itemType === 'file_change') {
        for (const change of pickArray(item, 'changes')) {
          const path = pickString(change, 'path');
          if (path) files.push(path);
        }
      } else if (itemType === 'error') {
        const message = errorMessage(item);
        if (message) warnings.push(message);
      }
    } else if (type === 'turn.completed') {
      usage = addUsage(usage, usageFromObject(pick(event, 'usage')));
    } else if (type === 'turn.failed') {
      failed = true;
      const message = errorMessage(pick(event, 'error'));
      if (message) errors.push(message);
    } else if (type === 'error') {
      failed = true;
      const message = errorMessage(event);
      if (message) errors.push(message);
    }
  }
  const reading: OutputReading = { errors, warnings, files, reportedFailure: failed };
  if (resultText !== undefined) reading.resultText = resultText;
  if (usage) reading.usage = usage;
  // No events at all: an old codex without --json support, or a crash banner; keep the text.
  if (resultText === undefined && jsonLines(stdout).length === 0 && stdout.trim() !== '')
    reading.resultText = stdout;
  return reading;
}

export const codexAdapter = defineAdapter({
  id: 'codex',
  displayName: 'Codex CLI',
  binary: 'codex',
  promptVia: 'stdin',
  outputFormat: 'jsonl',
  reviewIsReadOnly: true,
  args: (role) =>
    role === 'implementation'
      ? ['exec', '--json', '--full-auto', '-']
      : ['exec', '--json', '--sandbox', 'read-only', '-'],
  read: (stdout) => readCodexEvents(stdout),
});
