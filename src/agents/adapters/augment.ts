/**
 * Augment Code CLI (`auggie`), checked against 0.36.0 (`auggie --help`, the bundle). The reference
 * ran `auggie --acp <prompt>`, but `--acp` starts the Agent Client Protocol server, not a one-shot
 * run. `--print` runs once and exits; the instruction is the positional argument;
 * `--output-format json` (print mode only) prints one result object `{type:"result", result,
 * is_error, subtype, session_id, num_turns}`; `--dont-save-session` keeps no history.
 * Permissions: `--permission <tool>:<policy>` rules, which win over settings. The implementation
 * may run commands and write files unattended; the review runs in `--ask` mode (retrieval and
 * non-editing tools only) and denies the file-writing tools as well, so it is read-only by flags.
 * A malformed rule only warns ("Failed to parse permission rule"), it does not stop the run.
 * Model: `--model`; turn cap: `--max-turns` (print mode only).
 * Auth: `auggie login` (~/.augment/session.json) or AUGMENT_SESSION_AUTH (the same JSON, with the
 * tenant URL). Augment's API is its own, not any public model API, so it cannot be pointed at a
 * local scripted server: only argv and the no-credentials failure are checked for real.
 */
import { defineAdapter } from './define-adapter.js';
import { readResultObjectOutput } from './result-object.js';

const WRITE_TOOLS = ['save-file', 'str-replace-editor', 'remove-files'];
const IMPLEMENTATION_RULES = ['launch-process', ...WRITE_TOOLS].flatMap((tool) => [
  '--permission',
  `${tool}:allow`,
]);
const REVIEW_RULES = WRITE_TOOLS.flatMap((tool) => ['--permission', `${tool}:deny`]);

export const augmentAdapter = defineAdapter({
  id: 'augment',
  displayName: 'Augment (auggie)',
  binary: 'auggie',
  promptVia: 'argument',
  outputFormat: 'json',
  reviewIsReadOnly: true,
  args: (role, prompt) =>
    role === 'implementation'
      ? ['--print', '--output-format', 'json', '--dont-save-session', ...IMPLEMENTATION_RULES, prompt]
      : ['--print', '--output-format', 'json', '--dont-save-session', '--ask', ...REVIEW_RULES, prompt],
  modelArgs: (model) => ['--model', model],
  maxTurnsArgs: (turns) => ['--max-turns', String(turns)],
  read: (stdout) => readResultObjectOutput(stdout),
});
