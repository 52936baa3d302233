/**
 * Cursor CLI. The binary is `cursor-agent` (the reference ran `cursor agent`, the editor's
 * launcher). Docs (cursor.com/docs/cli/headless, cli reference): `-p/--print` runs headless with
 * the prompt as the positional argument, `--force` allows all tool calls, `--output-format json`
 * prints one result object `{type:"result", subtype, is_error, result, session_id}`,
 * `--mode plan` is read-only. The reference's `timeout <s>` wrapper is gone: the process
 * supervisor enforces timeouts for every agent.
 */
import { defineAdapter } from './define-adapter.js';
import { readResultObjectOutput } from './result-object.js';

export const cursorAdapter = defineAdapter({
  id: 'cursor',
  displayName: 'Cursor CLI',
  binary: 'cursor-agent',
  promptVia: 'argument',
  outputFormat: 'json',
  reviewIsReadOnly: true,
  args: (role, prompt) =>
    role === 'implementation'
      ? ['-p', '--force', '--output-format', 'json', prompt]
      : ['-p', '--mode', 'plan', '--output-format', 'json', prompt],
  read: (stdout) => readResultObjectOutput(stdout),
});
