/**
 * Prompt text for both roles (pure). The implementer gets the WP prompt, preceded by the
 * subtask mark-status commands it must run and followed by review feedback on rework. The
 * reviewer is told it is reviewing, what to look at, that it must not change files, and exactly
 * how to report the verdict (verdict.ts reads it back).
 */

/** A line every review prompt carries, so fake agents (and humans reading logs) can tell the roles apart. */
export const REVIEW_PROMPT_MARKER = '[spec-kitty-orchestrator:review-request]';

export const REWORK_FEEDBACK_HEADING = '## Review feedback (address before resubmitting)';

/** Ids and slugs end up inside shell commands the agent runs: nothing but these characters. */
const SAFE_TOKEN = /^[A-Za-z0-9_.-]+$/;

export function isSafeToken(value: string): boolean {
  return SAFE_TOKEN.test(value) && !value.startsWith('-');
}

function stripQuotesAndComment(raw: string): string {
  let value = raw.trim();
  const quoted = /^(['"])(.*)\1/.exec(value);
  if (quoted) return (quoted[2] ?? '').trim();
  value = value.replace(/\s+#.*$/, '').trim();
  return value;
}

/** The YAML frontmatter block at the very top of a prompt file, without its fences. */
function frontmatterLines(promptText: string): string[] {
  const lines = promptText.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') return [];
  const end = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line));
  return end === -1 ? [] : lines.slice(1, end);
}

/**
 * Subtask ids from the frontmatter `subtasks:` key, as a block list or an inline array. Quotes are
 * stripped; ids with anything but [A-Za-z0-9_.-] are dropped (they would be pasted into commands).
 */
export function parseSubtaskIds(promptText: string): string[] {
  const lines = frontmatterLines(promptText);
  const keyIndex = lines.findIndex((line) => /^subtasks\s*:/.test(line));
  if (keyIndex === -1) return [];
  const rest = (lines[keyIndex] ?? '').replace(/^subtasks\s*:/, '').trim();
  let raw: string[] = [];
  if (rest.startsWith('[')) {
    const inner = rest.replace(/^\[/, '').replace(/\].*$/, '');
    raw = inner.split(',');
  } else if (rest === '' || rest.startsWith('#')) {
    for (const line of lines.slice(keyIndex + 1)) {
      if (line.trim() === '' || /^\s*#/.test(line)) continue;
      const item = /^\s*-\s+(.*)$/.exec(line) ?? /^\s*-$/.exec(line);
      if (!item) break;
      raw.push(item[1] ?? '');
    }
  }
  const ids: string[] = [];
  for (const entry of raw) {
    const id = stripQuotesAndComment(entry);
    if (id !== '' && isSafeToken(id) && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * One call for all the WP's subtasks: the host takes several ids at once, and every call is a
 * host start-up (1-3 s of CPU) that competes with the orchestrator's own host calls.
 */
export function markStatusCommand(subtaskIds: readonly string[], mission: string): string {
  return `spec-kitty agent tasks mark-status ${subtaskIds.join(' ')} --status done --mission ${mission} --json`;
}

function assertSafe(kind: string, value: string): void {
  if (!isSafeToken(value)) {
    throw new Error(
      `Unsafe ${kind} ${JSON.stringify(value)}: only letters, digits, '_', '.' and '-' are allowed`,
    );
  }
}

export interface ImplementationPromptInput {
  wpPrompt: string;
  mission: string;
  subtaskIds: readonly string[];
  /** Review feedback of the previous cycle, for a rework run. */
  feedback?: string;
  /** The run is confined by the orchestrator's sandbox (the agent cannot commit). */
  sandboxed?: boolean;
}

export function buildImplementationPrompt(input: ImplementationPromptInput): string {
  const parts: string[] = [];
  const subtaskIds = input.subtaskIds.filter(isSafeToken);
  if (subtaskIds.length > 0) {
    assertSafe('mission slug', input.mission);
    parts.push(
      [
        '## Subtask status (required)',
        '',
        `This work package has subtasks (${subtaskIds.join(', ')}). When all of them are finished, mark them`,
        'done with this one command, run from the workspace root. Do not run it before the work is complete.',
        '',
        `    ${markStatusCommand(subtaskIds, input.mission)}`,
        '',
        '---',
        '',
      ].join('\n'),
    );
  }
  if (input.sandboxed) {
    // The agent's own `git commit` would fail on the read-only git folder: say so up front.
    parts.push(
      [
        '## Commits',
        '',
        'Leave your changes uncommitted in this workspace: the orchestrator commits them on the lane',
        "branch when you finish (this run is sandboxed: the repository's git folder is read-only to you).",
        '',
        '---',
        '',
      ].join('\n'),
    );
  }
  parts.push(input.wpPrompt);
  const feedback = input.feedback?.trim();
  if (feedback) {
    parts.push(
      [
        '',
        REWORK_FEEDBACK_HEADING,
        '',
        'A reviewer rejected the previous implementation of this work package. Address every point',
        'below, keep what already works, then finish as usual.',
        '',
        feedback,
        '',
      ].join('\n'),
    );
  }
  return parts.join('\n');
}

export interface ReviewPromptInput {
  wpPrompt: string;
  mission: string;
  wpId: string;
  /** A diff stat / summary of the lane's changes against its base (e.g. `git diff --stat base...HEAD`). */
  diffSummary: string;
}

export function buildReviewPrompt(input: ReviewPromptInput): string {
  const diff =
    input.diffSummary.trim() === '' ? '(no changes were found against the base)' : input.diffSummary.trim();
  return [
    REVIEW_PROMPT_MARKER,
    `# Code review: work package ${input.wpId} of mission ${input.mission}`,
    '',
    `You are the REVIEWER of work package ${input.wpId}, not its implementer. Another agent implemented`,
    'it in this workspace. Decide whether the implementation fulfils the work package below.',
    '',
    '## Rules',
    '',
    '- Do NOT modify, create, delete, stage or commit any file. Do not run formatters, installers or',
    '  anything else that writes to the workspace. Read files and use read-only git commands only',
    '  (`git diff`, `git log`, `git show`, `git status`).',
    '- Do not run `spec-kitty` commands that change task or lane status; the orchestrator records your verdict.',
    '',
    '## What to review',
    '',
    "The changes on this work package's lane branch against its base:",
    '',
    '```',
    diff,
    '```',
    '',
    'Check them against the work package: is every requirement and subtask done, is the code correct,',
    'tested where the work package asks for tests, and free of unrelated changes?',
    '',
    `## The work package (as given to the implementer)`,
    '',
    input.wpPrompt.trim(),
    '',
    '## How to report your verdict (required)',
    '',
    'End your answer with one JSON object, with nothing after it, of this shape (choose one verdict):',
    '',
    '    {"verdict": "approved" | "changes_requested", "feedback": "1. <what is wrong, where, what to do> 2. ..."}',
    '',
    'Use "approved" with an empty feedback when nothing blocking remains. If you cannot produce JSON,',
    'end instead with a line that reads exactly VERDICT: approved (or VERDICT: changes_requested)',
    'followed by your feedback on the next lines.',
    '',
    'The feedback goes to the implementer verbatim for rework: make it specific and actionable, and',
    'keep it under 4000 characters.',
    '',
  ].join('\n');
}
