/**
 * pi coding agent (`pi`), checked against 0.73.1 (`pi --help`, docs/json.md, docs/models.md of the
 * package). `-p` print mode reads a piped prompt; `--mode json` streams every session event as
 * JSON lines (agent_start, turn_start, message_start/update/end, turn_end, agent_end {messages});
 * assistant messages carry `content[{type:"text", text}]`, `usage{input, output, cost{total}}`,
 * `stopReason` and, on failure, `errorMessage`. `--no-session` keeps no session file;
 * `--tools` is an allowlist, so the review gets only read tools (read-only by construction).
 * Model: `--model <pattern>`, which also takes `provider/id` (a custom provider of
 * ~/.pi/agent/models.json, e.g. a local OpenAI-compatible server). pi has no turn cap flag: the
 * timeout bounds a run.
 */
import { pick, pickArray, pickNumber, pickString } from '../parse/fields.js';
import { isRecord, type JsonRecord, jsonLines } from '../parse/json.js';
import { addUsage, compactUsage } from '../parse/usage.js';
import type { AgentUsage } from '../types.js';
import { defineAdapter, type OutputReading } from './define-adapter.js';

function textOf(message: JsonRecord): string | undefined {
  const texts = pickArray(message, 'content')
    .map((block) => (pickString(block, 'type') === 'text' ? pickString(block, 'text') : undefined))
    .filter((text): text is string => text !== undefined && text.trim() !== '');
  return texts.length > 0 ? texts.join('\n') : undefined;
}

export function readPiEvents(stdout: string): OutputReading {
  const events = jsonLines(stdout);
  if (events.length === 0) return { errors: [], resultText: stdout };
  // message_end is the one event per finished message; agent_end repeats them all (fallback only).
  let assistants = events
    .filter((event) => pickString(event, 'type') === 'message_end')
    .map((event) => pick(event, 'message'))
    .filter(
      (message): message is JsonRecord => isRecord(message) && pickString(message, 'role') === 'assistant',
    );
  if (assistants.length === 0) {
    const end = [...events].reverse().find((event) => pickString(event, 'type') === 'agent_end');
    assistants = pickArray(end, 'messages').filter(
      (message): message is JsonRecord => isRecord(message) && pickString(message, 'role') === 'assistant',
    );
  }
  const errors: string[] = [];
  let usage: AgentUsage | undefined;
  let resultText: string | undefined;
  for (const message of assistants) {
    usage = addUsage(
      usage,
      compactUsage({
        inputTokens: pickNumber(message, 'usage.input'),
        outputTokens: pickNumber(message, 'usage.output'),
        costUsd: pickNumber(message, 'usage.cost.total'),
      }),
    );
    resultText = textOf(message) ?? resultText;
  }
  const last = assistants[assistants.length - 1];
  const stopReason = last ? pickString(last, 'stopReason') : undefined;
  const failed = stopReason === 'error' || stopReason === 'aborted';
  if (failed && last) errors.push(pickString(last, 'errorMessage') ?? `pi stopped: ${stopReason}`);
  const reading: OutputReading = { errors, reportedFailure: failed };
  if (resultText !== undefined) reading.resultText = resultText;
  if (usage) reading.usage = usage;
  return reading;
}

export const piAdapter = defineAdapter({
  id: 'pi',
  displayName: 'pi',
  binary: 'pi',
  promptVia: 'stdin',
  outputFormat: 'jsonl',
  reviewIsReadOnly: true,
  args: (role) => [
    '-p',
    '--mode',
    'json',
    '--no-session',
    '--tools',
    role === 'implementation' ? 'read,bash,edit,write,grep,find,ls' : 'read,grep,find,ls',
  ],
  modelArgs: (model) => ['--model', model],
  read: (stdout) => readPiEvents(stdout),
});
