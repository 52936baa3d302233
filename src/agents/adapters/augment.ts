/**
 * Augment Code CLI (`auggie`). The reference ran `auggie --acp <prompt>`, but `--acp` starts the
 * Agent Client Protocol server (JSON-RPC over stdio), not a one-shot run. Augment's CLI docs and
 * changelog describe `--print` (-p) for a non-interactive run that prints the answer and exits, and
 * `--quiet` to print only the final answer; the instruction is the positional argument.
 * Output is plain text; errors arrive on stderr (e.g. "You are not currently logged in to Augment").
 * No documented headless read-only switch was found, so the review relies on the prompt's rules.
 */
import { defineAdapter } from './define-adapter.js';

export const augmentAdapter = defineAdapter({
  id: 'augment',
  displayName: 'Augment (auggie)',
  binary: 'auggie',
  promptVia: 'argument',
  outputFormat: 'text',
  reviewIsReadOnly: false,
  args: (_role, prompt) => ['--print', '--quiet', prompt],
  read: (stdout) => ({ errors: [], resultText: stdout }),
});
