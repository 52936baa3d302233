/**
 * Subtask marks from inside the sandbox (pure). `spec-kitty agent tasks mark-status` writes the
 * mission's status files in the primary checkout (status.events.jsonl, status.json, measured on
 * 3.2.7): the same files that hold every lane event, so an agent allowed to run it there could
 * also forge lane changes. Inside the sandbox `spec-kitty` is therefore a relay: it records the
 * call in a file of the run's own and answers that it was recorded; when the agent has ended, the
 * orchestrator runs the recorded marks with the host (outside the sandbox), one call for all
 * ids, and only for this WP's own subtasks of this mission. Every other host command is refused
 * inside the sandbox, with a line that says why.
 */

/** One line per call in the outbox: the words separated by the unit separator (never in a word). */
const WORD_SEPARATOR = '\u001f';

/** The relay, a POSIX shell script (no Node start-up per call), writing to `outboxFile`. */
export function relayScript(outboxFile: string): string {
  const outbox = `'${outboxFile.replaceAll("'", `'\\''`)}'`;
  return [
    '#!/bin/sh',
    '# spec-kitty inside the spec-kitty-orchestrator sandbox: records `agent tasks mark-status` for the',
    '# orchestrator to carry out when this agent run ends; every other host command is refused here.',
    'if [ "$1" = "agent" ] && [ "$2" = "tasks" ] && [ "$3" = "mark-status" ]; then',
    `  { for word in "$@"; do printf '%s\\037' "$word"; done; printf '\\n'; } >> ${outbox} || {`,
    `    echo "spec-kitty: the orchestrator's relay could not record this call" >&2`,
    '    exit 1',
    '  }',
    `  echo '{"relayed": true, "message": "recorded: the orchestrator marks these subtasks with the host when this run ends"}'`,
    '  exit 0',
    'fi',
    `echo "spec-kitty: only 'spec-kitty agent tasks mark-status' is available inside the orchestrator's sandbox (the host's files are read-only here); the orchestrator does the rest" >&2`,
    'exit 2',
    '',
  ].join('\n');
}

export interface RelayedMarks {
  /** The WP's subtask ids to mark done, in the order first asked, each once. */
  ids: string[];
  /** Calls or ids not carried out, each with why (reported in the run's log, never fatal). */
  refused: string[];
}

/**
 * What the recorded calls ask for, limited to what this run may mark: `--status done`, this
 * mission (or none named: the host then takes the one of the worktree), this WP's subtasks.
 */
export function relayedMarks(
  outbox: string,
  allowed: { mission: string; subtaskIds: readonly string[] },
): RelayedMarks {
  const ids: string[] = [];
  const refused: string[] = [];
  for (const line of outbox.split('\n')) {
    if (line === '') continue;
    // The relay ends every word with the separator: the last piece is the empty rest.
    const words = line.split(WORD_SEPARATOR).slice(0, -1);
    const call = parseMarkStatus(words.slice(3));
    const shown = words.join(' ');
    if (call.status !== 'done') {
      refused.push(`${shown}: only --status done is carried out`);
      continue;
    }
    if (call.mission !== undefined && call.mission !== allowed.mission) {
      refused.push(`${shown}: not this WP's mission (${allowed.mission})`);
      continue;
    }
    for (const id of call.ids) {
      if (!allowed.subtaskIds.includes(id)) refused.push(`${id}: not a subtask of this WP`);
      else if (!ids.includes(id)) ids.push(id);
    }
  }
  return { ids, refused };
}

/** `T001 T002 --status done --mission m --json` (options anywhere, `--opt=value` too). */
function parseMarkStatus(words: readonly string[]): { ids: string[]; status?: string; mission?: string } {
  const ids: string[] = [];
  let status: string | undefined;
  let mission: string | undefined;
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] ?? '';
    const [name, inline] = word.startsWith('--') ? splitOption(word) : [undefined, undefined];
    if (name === '--status' || name === '--mission') {
      let value = inline;
      if (value === undefined) {
        index += 1;
        value = words[index];
      }
      if (name === '--status') status = value;
      else mission = value;
    } else if (name === undefined) {
      ids.push(word);
    }
  }
  return { ids, ...(status === undefined ? {} : { status }), ...(mission === undefined ? {} : { mission }) };
}

function splitOption(word: string): [string, string | undefined] {
  const at = word.indexOf('=');
  return at < 0 ? [word, undefined] : [word.slice(0, at), word.slice(at + 1)];
}
