/**
 * opencode. Docs (opencode.ai/docs/cli, `opencode run`): runs one message non-interactively and
 * exits; piped stdin is read as the message (as the reference relied on); `--format json` prints
 * JSONL events `{type, timestamp, sessionID, part}`: step_start, text {part.text}, tool_use
 * {part.tool, part.state.input}, step_finish {part.tokens{input,output}, part.cost}, and error
 * {error:{name, data:{message}}}. Reference flags kept; review runs the built-in read-only `plan`
 * agent (it denies edits) instead of `build`.
 */
import { errorMessage } from '../parse/errors.js';
import { firstString, pick, pickNumber, pickString } from '../parse/fields.js';
import { jsonLines } from '../parse/json.js';
import { addUsage, compactUsage } from '../parse/usage.js';
import type { AgentUsage } from '../types.js';
import { defineAdapter, type OutputReading } from './define-adapter.js';

const WRITING_TOOLS = new Set(['write', 'edit', 'multiedit', 'patch', 'file_write']);

export function readOpencodeEvents(stdout: string): OutputReading {
  const events = jsonLines(stdout);
  if (events.length === 0) return { errors: [], resultText: stdout };
  const errors: string[] = [];
  const files: string[] = [];
  const texts: string[] = [];
  let usage: AgentUsage | undefined;
  for (const event of events) {
    const type = pickString(event, 'type');
    if (type === 'text') {
      const text = pickString(event, 'part.text');
      if (text) texts.push(text);
    } else if (type === 'tool_use' || type === 'file_write') {
      const tool = (pickString(event, 'part.tool') ?? type).toLowerCase();
      const path = firstString(event, [
        'part.state.input.filePath',
        'part.state.input.file_path',
        'part.state.input.path',
        'path',
      ]);
      if (WRITING_TOOLS.has(tool) && path) files.push(path);
    } else if (type === 'step_finish') {
      usage = addUsage(
        usage,
        compactUsage({
          inputTokens: pickNumber(event, 'part.tokens.input'),
          outputTokens: pickNumber(event, 'part.tokens.output'),
          costUsd: pickNumber(event, 'part.cost'),
        }),
      );
    } else if (type === 'error') {
      const message = errorMessage(pick(event, 'error')) ?? errorMessage(event);
      errors.push(message ?? 'opencode reported an error event');
    }
  }
  const reading: OutputReading = { errors, files, reportedFailure: errors.length > 0 };
  if (texts.length > 0) reading.resultText = texts.join('\n');
  if (usage) reading.usage = usage;
  return reading;
}

export const opencodeAdapter = defineAdapter({
  id: 'opencode',
  displayName: 'opencode',
  binary: 'opencode',
  promptVia: 'stdin',
  outputFormat: 'jsonl',
  reviewIsReadOnly: true,
  args: (role) => ['run', '--agent', role === 'implementation' ? 'build' : 'plan', '--format', 'json'],
  read: (stdout) => readOpencodeEvents(stdout),
});
