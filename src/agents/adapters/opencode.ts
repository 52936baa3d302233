/**
 * opencode, checked against 1.18.33 (`opencode run --help`). `opencode run` runs one message
 * non-interactively and exits; piped stdin is the message; `--format json` prints JSONL events
 * `{type, timestamp, sessionID, part}`: step_start, text {part.text}, tool_use {part.tool,
 * part.state.input / status / error}, step_finish {part.tokens{input,output}, part.cost}, and
 * error {error:{name, data:{message, statusCode}}}. Kilo (an opencode fork) prints the same
 * events, so its adapter shares this reader.
 *
 * Permissions (measured with `opencode agent list`): `build` allows every tool except a few
 * `ask` rules (external directories, doom loops); `--auto` approves those headless, as `--yolo`
 * does elsewhere. The built-in `plan` agent only denies `edit` (which covers write, edit and
 * patch) and ALLOWS bash, so a plan reviewer could still write through the shell. The adapter
 * therefore narrows plan's bash to read-only commands through OPENCODE_CONFIG_CONTENT (merged
 * over the user's config; it names only the plan agent, so the build agent is untouched). A user
 * env that sets OPENCODE_CONFIG_CONTENT replaces ours, and plan is back to edit-only.
 *
 * Model: `--model provider/model` (a bare model name is not enough). No turn cap flag: an
 * agent's `steps` exists only in config, so the timeout bounds the run.
 */
import { errorMessage } from '../parse/errors.js';
import { firstString, pick, pickNumber, pickString } from '../parse/fields.js';
import { jsonLines } from '../parse/json.js';
import { addUsage, compactUsage } from '../parse/usage.js';
import type { AgentUsage } from '../types.js';
import { defineAdapter, type OutputReading } from './define-adapter.js';

const WRITING_TOOLS = new Set(['write', 'edit', 'multiedit', 'patch', 'apply_patch', 'file_write']);

/**
 * Read-only shell for a reviewer, in opencode's permission syntax (the last matching pattern
 * wins): deny everything, allow reading commands and read-only git, then deny anything that
 * chains, substitutes or redirects, so an allowed prefix cannot smuggle a write in.
 */
export const READ_ONLY_BASH: Readonly<Record<string, 'allow' | 'deny'>> = {
  '*': 'deny',
  'git diff*': 'allow',
  'git log*': 'allow',
  'git show*': 'allow',
  'git status*': 'allow',
  'cat *': 'allow',
  'ls*': 'allow',
  'head *': 'allow',
  'tail *': 'allow',
  'grep *': 'allow',
  'rg *': 'allow',
  'wc *': 'allow',
  '*>*': 'deny',
  '*;*': 'deny',
  '*&*': 'deny',
  '*|*': 'deny',
  '*$(*': 'deny',
  '*`*': 'deny',
};

/** `(HTTP 401)` keeps the status in the message, where failure classification looks. */
function errorEventMessage(event: unknown): string {
  const error = pick(event, 'error');
  const message = errorMessage(error) ?? errorMessage(event) ?? 'the agent reported an error event';
  const name = pickString(error, 'name');
  const status = pickNumber(error, 'data.statusCode');
  const prefix = [
    name && !message.startsWith(name) ? name : undefined,
    status ? `(HTTP ${status})` : undefined,
  ]
    .filter((part): part is string => part !== undefined)
    .join(' ');
  return prefix === '' ? message : `${prefix}: ${message}`;
}

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
      // A denied or failed write wrote nothing.
      const failed = pickString(event, 'part.state.status') === 'error';
      if (WRITING_TOOLS.has(tool) && path && !failed) files.push(path);
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
      errors.push(errorEventMessage(event));
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
  args: (role) =>
    role === 'implementation'
      ? ['run', '--agent', 'build', '--auto', '--format', 'json']
      : ['run', '--agent', 'plan', '--format', 'json'],
  modelArgs: (model) => ['--model', model],
  helpCommands: [['run', '--help']],
  env: {
    OPENCODE_CONFIG_CONTENT: JSON.stringify({ agent: { plan: { permission: { bash: READ_ONLY_BASH } } } }),
  },
  read: (stdout) => readOpencodeEvents(stdout),
});
