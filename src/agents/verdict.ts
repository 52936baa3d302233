/**
 * The reviewer's verdict. The review prompt (prompts.ts) asks for a JSON object
 * `{"verdict": "approved" | "changes_requested", "feedback": "..."}` or a line
 * `VERDICT: approved` / `VERDICT: changes_requested` followed by feedback. Only when neither is
 * found does the exit code decide, and the result says so (decidedBy 'exit_code'), because an
 * exit code cannot tell a rejection from a crash.
 */
import { bounded, uniqueStrings } from './parse/fields.js';
import { findJsonObjects } from './parse/json.js';
import type { ReviewVerdict, Verdict } from './types.js';

export const MAX_FEEDBACK_CHARS = 4000;
/** How much of stdout stands in for feedback when the reviewer said nothing structured (as the reference did). */
const FALLBACK_STDOUT_CHARS = 500;

export interface VerdictSources {
  /** The agent's final answer (e.g. claude's JSON `result`), searched first. */
  resultText?: string;
  /** Raw stdout (tail), searched when the result text has no verdict. */
  stdout: string;
  exitCode: number | null;
  /** Reported errors, used as feedback when the exit code decides. */
  errors: readonly string[];
}

interface Found {
  verdict: Verdict;
  feedback: string;
  position: number;
}

export function normalizeVerdict(raw: string): Verdict | undefined {
  const word = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (word === 'approved' || word === 'approve') return 'approved';
  if (word === 'changes_requested' || word === 'request_changes' || word === 'changes_required') {
    return 'changes_requested';
  }
  return undefined;
}

const VERDICT_LINE =
  /^[ \t>*_#`-]*VERDICT[*_`]*[ \t]*:[ \t]*[*_`]*[ \t]*(approved|changes[ _-]requested)\b[*_`]*(.*)$/gim;

function lastVerdictLine(text: string): Found | undefined {
  let last: RegExpExecArray | undefined;
  for (const match of text.matchAll(VERDICT_LINE)) last = match as RegExpExecArray;
  if (!last) return undefined;
  const verdict = normalizeVerdict(last[1] ?? '');
  if (!verdict) return undefined;
  const start = last.index ?? 0;
  const restOfLine = (last[2] ?? '').replace(/^[\s:.,-]+/, '');
  const after = `${restOfLine}\n${text.slice(start + last[0].length)}`.trim();
  // Feedback follows the line; a reviewer that wrote its notes first and the verdict last gets those.
  const feedback = after !== '' ? after : text.slice(0, start).trim();
  return { verdict, feedback, position: start };
}

function lastVerdictObject(text: string): Found | undefined {
  const objects = findJsonObjects(text);
  for (let i = objects.length - 1; i >= 0; i--) {
    const located = objects[i];
    if (!located) continue;
    const raw = located.value.verdict;
    const verdict = typeof raw === 'string' ? normalizeVerdict(raw) : undefined;
    if (!verdict) continue;
    const feedbackValue = located.value.feedback;
    const feedback = Array.isArray(feedbackValue)
      ? feedbackValue.filter((item): item is string => typeof item === 'string').join('\n')
      : typeof feedbackValue === 'string'
        ? feedbackValue
        : '';
    return { verdict, feedback, position: located.start };
  }
  return undefined;
}

/** The verdict stated last in the text, by either convention. */
export function findVerdict(text: string): { verdict: Verdict; feedback: string } | undefined {
  const line = lastVerdictLine(text);
  const object = lastVerdictObject(text);
  const chosen = line && object ? (line.position >= object.position ? line : object) : (line ?? object);
  return chosen ? { verdict: chosen.verdict, feedback: chosen.feedback } : undefined;
}

export function cleanFeedback(text: string): string {
  return bounded(text.trim(), MAX_FEEDBACK_CHARS).trim();
}

export function parseReviewVerdict(sources: VerdictSources): ReviewVerdict {
  for (const text of [sources.resultText, sources.stdout]) {
    if (!text) continue;
    const found = findVerdict(text);
    if (found)
      return { verdict: found.verdict, feedback: cleanFeedback(found.feedback), decidedBy: 'output' };
  }
  const approved = sources.exitCode === 0;
  const errors = uniqueStrings(sources.errors).slice(0, 3);
  const fallback =
    errors.length > 0
      ? errors.join('\n')
      : (sources.resultText ?? sources.stdout).trim().slice(-FALLBACK_STDOUT_CHARS);
  return {
    verdict: approved ? 'approved' : 'changes_requested',
    feedback: approved ? '' : cleanFeedback(fallback),
    decidedBy: 'exit_code',
  };
}
