/**
 * Kilo CLI >= 1.0 (an opencode fork), checked against @kilocode/cli 7.7.7. The 0.x CLI
 * (`kilocode --auto --json <prompt>`) is retired; the package now installs `kilo` (and a
 * `kilocode` alias to the same program). `kilo run` takes the message on stdin like opencode and
 * `--format json` prints opencode's JSONL events, so the reader is opencode's.
 *
 * Agents (measured with `kilo agent list`): `code`, the default, asks before most shell commands
 * and `--auto` approves what is not explicitly denied; `ask` denies edit and write and allows
 * only read-only shell commands (cat, ls, grep, read-only git; chains, substitutions and
 * redirects denied), so the review is read-only by Kilo's own rules. Without `--auto` a tool that
 * would ask is refused in `run`.
 *
 * Model: `--model provider/model`. No turn cap flag (as in opencode), so the timeout bounds it.
 */
import { defineAdapter } from './define-adapter.js';
import { readOpencodeEvents } from './opencode.js';

export const kilocodeAdapter = defineAdapter({
  id: 'kilocode',
  displayName: 'Kilo CLI',
  binary: 'kilo',
  promptVia: 'stdin',
  outputFormat: 'jsonl',
  reviewIsReadOnly: true,
  args: (role) =>
    role === 'implementation'
      ? ['run', '--agent', 'code', '--auto', '--format', 'json']
      : ['run', '--agent', 'ask', '--format', 'json'],
  modelArgs: (model) => ['--model', model],
  helpCommands: [['run', '--help']],
  read: (stdout) => readOpencodeEvents(stdout),
});
