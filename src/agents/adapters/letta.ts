/**
 * Letta Code (`letta`). Docs (docs.letta.com/letta-code/headless): `letta -p` runs headless and
 * reads a piped prompt; `--output-format json` prints `{type:"result", result, agent_id,
 * conversation_id, usage:{prompt_tokens, completion_tokens}}`. Reference flags kept: `--yolo` for
 * implementation; review runs `--permission-mode plan` with only Read, Glob and Grep tools.
 */
import { defineAdapter } from './define-adapter.js';
import { readResultObjectOutput } from './result-object.js';

export const lettaAdapter = defineAdapter({
  id: 'letta',
  displayName: 'Letta Code',
  binary: 'letta',
  promptVia: 'stdin',
  outputFormat: 'json',
  reviewIsReadOnly: true,
  args: (role) =>
    role === 'implementation'
      ? ['-p', '--output-format', 'json', '--yolo']
      : ['-p', '--output-format', 'json', '--permission-mode', 'plan', '--tools', 'Read,Glob,Grep'],
  read: (stdout) => readResultObjectOutput(stdout),
});
