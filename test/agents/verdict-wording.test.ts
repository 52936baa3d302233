/**
 * How a reviewer may word its verdict (markdown around the line, spacing, synonyms) and which
 * JSON values count, beyond the examples in verdict.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  cleanFeedback,
  findVerdict,
  MAX_FEEDBACK_CHARS,
  normalizeVerdict,
  parseReviewVerdict,
} from '../../src/agents/verdict.js';

describe('normalizeVerdict', () => {
  it.each([
    ['  Approved\n', 'approved'],
    ['approve', 'approved'],
    ['request_changes', 'changes_requested'],
    ['request changes', 'changes_requested'],
    ['changes_required', 'changes_requested'],
    ['Changes - Requested', 'changes_requested'],
    ['maybe', undefined],
  ])('%j -> %s', (raw, verdict) => {
    expect(normalizeVerdict(raw)).toBe(verdict);
  });
});

describe('VERDICT lines', () => {
  it.each([
    ['bold label', '**VERDICT:** approved', 'approved'],
    ['bold word', 'VERDICT: **approved**', 'approved'],
    ['bold label before the colon', '**VERDICT**: changes_requested', 'changes_requested'],
    ['a space before the colon', 'VERDICT : approved', 'approved'],
    ['no space after the colon', 'VERDICT:approved', 'approved'],
  ])('%s', (_name, text, verdict) => {
    expect(findVerdict(text)?.verdict).toBe(verdict);
  });

  it('a verdict mentioned mid-sentence is not a verdict line', () => {
    expect(findVerdict('I will give my VERDICT: approved later')).toBeUndefined();
  });

  it('feedback on the same line loses its leading separators', () => {
    expect(findVerdict('VERDICT: changes_requested - fix the tests')).toEqual({
      verdict: 'changes_requested',
      feedback: 'fix the tests',
    });
  });

  it('feedback on the same line that starts with other punctuation is kept whole', () => {
    expect(findVerdict('VERDICT: approved; merge when green')?.feedback).toBe('; merge when green');
  });
});

describe('verdict objects', () => {
  it('a verdict that is not a string is no verdict', () => {
    expect(findVerdict('{"verdict": 1}')).toBeUndefined();
  });

  it('feedback: only the strings of a list, nothing for a missing or non-string value', () => {
    expect(findVerdict('{"verdict":"changes_requested","feedback":["a",5,"b"]}')?.feedback).toBe('a\nb');
    expect(findVerdict('{"verdict":"approved","feedback":5}')?.feedback).toBe('');
    expect(findVerdict('{"verdict":"approved"}')?.feedback).toBe('');
  });
});

describe('feedback bounds', () => {
  it('cleanFeedback trims before it bounds', () => {
    const feedback = cleanFeedback(`   ${'x'.repeat(MAX_FEEDBACK_CHARS * 2)}`);
    expect(feedback).toHaveLength(MAX_FEEDBACK_CHARS);
    expect(feedback.startsWith('x')).toBe(true);
  });

  it('the stdout fallback ignores trailing whitespace', () => {
    const stdout = `${'x'.repeat(1000)}END${' '.repeat(600)}`;
    const verdict = parseReviewVerdict({ stdout, exitCode: 1, errors: [] });
    expect(verdict.feedback.endsWith('END')).toBe(true);
  });
});
