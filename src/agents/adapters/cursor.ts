/**
 * Cursor CLI. Not exercised for real: it is distributed only by Cursor's own download script
 * (no npm package), so no pinned copy can be installed here; the flags below follow the current
 * docs (cursor.com/docs/cli/headless and the CLI reference), not a run.
 * The binary is now `agent`; `cursor-agent` is kept as an alias. Detection tries `cursor-agent`
 * first (`agent` alone is a generic name that another tool may own), then `agent`.
 * `-p/--print` runs headless with the prompt as the positional argument; `--trust` trusts the
 * workspace without the prompt a headless run cannot answer; `--force` allows every tool call;
 * `--output-format json` prints one result object `{type:"result", subtype, is_error, result,
 * session_id}`; `--mode plan` is read-only. Model: `--model`; no turn cap flag. Auth:
 * CURSOR_API_KEY or `agent login`. The reference's `timeout <s>` wrapper is gone: the process
 * supervisor enforces timeouts for every agent.
 */
import { defineAdapter } from './define-adapter.js';
import { readResultObjectOutput } from './result-object.js';

export const cursorAdapter = defineAdapter({
  id: 'cursor',
  displayName: 'Cursor CLI',
  binary: 'cursor-agent',
  altBinaries: ['agent'],
  promptVia: 'argument',
  outputFormat: 'json',
  reviewIsReadOnly: true,
  args: (role, prompt) =>
    role === 'implementation'
      ? ['-p', '--trust', '--force', '--output-format', 'json', prompt]
      : ['-p', '--trust', '--mode', 'plan', '--output-format', 'json', prompt],
  modelArgs: (model) => ['--model', model],
  read: (stdout) => readResultObjectOutput(stdout),
});
