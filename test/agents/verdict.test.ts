import { describe, expect, it } from 'vitest';
import { findVerdict, MAX_FEEDBACK_CHARS, parseReviewVerdict } from '../../src/agents/verdict.js';

describe('findVerdict', () => {
  it.each([
    ['a JSON object', '{"verdict": "approved", "feedback": ""}', 'approved', ''],
    [
      'a fenced JSON object after prose',
      'Looks fine.\n```json\n{"verdict":"changes_requested","feedback":"Fix the off-by-one in parse()."}\n```',
      'changes_requested',
      'Fix the off-by-one in parse().',
    ],
    [
      'feedback given as a list',
      '{"verdict":"changes_requested","feedback":["a","b"]}',
      'changes_requested',
      'a\nb',
    ],
    [
      'a VERDICT line with feedback after it',
      'Review done.\nVERDICT: changes_requested\n1. Add tests\n2. Rename foo',
      'changes_requested',
      '1. Add tests\n2. Rename foo',
    ],
    [
      'a VERDICT line as the very last line',
      'Everything matches the spec.\nVERDICT: approved',
      'approved',
      'Everything matches the spec.',
    ],
    ['markdown emphasis around the line', 'Notes\n**VERDICT: approved**', 'approved', 'Notes'],
    [
      'changes requested with a space',
      'VERDICT: changes requested\nplease split the function',
      'changes_requested',
      'please split the function',
    ],
    ['lower-case line', 'verdict: approved', 'approved', ''],
  ])('%s', (_name, text, verdict, feedback) => {
    expect(findVerdict(text)).toEqual({ verdict, feedback });
  });

  it('the verdict stated last wins', () => {
    expect(
      findVerdict('VERDICT: changes_requested\nfirst thought\n{"verdict":"approved","feedback":""}')?.verdict,
    ).toBe('approved');
    expect(
      findVerdict('{"verdict":"approved"}\nOn second look:\nVERDICT: changes_requested\nbroken build')
        ?.verdict,
    ).toBe('changes_requested');
  });

  it('ignores objects without a known verdict and prose that only mentions the word', () => {
    expect(findVerdict('{"verdict": "maybe"} I will give my verdict: later')).toBeUndefined();
    expect(
      findVerdict('The review prompt says {"verdict": "approved" | "changes_requested"}'),
    ).toBeUndefined();
    expect(findVerdict('')).toBeUndefined();
  });
});

describe('parseReviewVerdict', () => {
  it('searches the result text first, then raw stdout', () => {
    expect(
      parseReviewVerdict({
        resultText: 'VERDICT: approved',
        stdout: 'VERDICT: changes_requested',
        exitCode: 0,
        errors: [],
      }),
    ).toEqual({
      verdict: 'approved',
      feedback: '',
      decidedBy: 'output',
    });
    expect(
      parseReviewVerdict({
        resultText: 'no verdict here',
        stdout: 'log\nVERDICT: changes_requested\nfix it',
        exitCode: 0,
        errors: [],
      }),
    ).toEqual({
      verdict: 'changes_requested',
      feedback: 'fix it',
      decidedBy: 'output',
    });
  });

  it('an output verdict wins over the exit code', () => {
    const verdict = parseReviewVerdict({
      stdout: '{"verdict":"changes_requested","feedback":"x"}',
      exitCode: 0,
      errors: [],
    });
    expect(verdict.verdict).toBe('changes_requested');
    expect(verdict.decidedBy).toBe('output');
  });

  it('no verdict found: exit 0 approves, other codes reject with errors (first three) as feedback', () => {
    expect(parseReviewVerdict({ stdout: 'fine', exitCode: 0, errors: [] })).toEqual({
      verdict: 'approved',
      feedback: '',
      decidedBy: 'exit_code',
    });
    expect(parseReviewVerdict({ stdout: 'x', exitCode: 2, errors: ['e1', 'e2', 'e3', 'e4'] })).toEqual({
      verdict: 'changes_requested',
      feedback: 'e1\ne2\ne3',
      decidedBy: 'exit_code',
    });
  });

  it('no verdict and no errors: the end of stdout is the feedback', () => {
    const stdout = `${'a'.repeat(1000)}THE END`;
    const verdict = parseReviewVerdict({ stdout, exitCode: 1, errors: [] });
    expect(verdict.feedback).toHaveLength(500);
    expect(verdict.feedback.endsWith('THE END')).toBe(true);
  });

  it('bounds and trims feedback', () => {
    const long = `VERDICT: changes_requested\n   ${'x'.repeat(10_000)}   `;
    const verdict = parseReviewVerdict({ stdout: long, exitCode: 0, errors: [] });
    expect(verdict.feedback.length).toBe(MAX_FEEDBACK_CHARS);
    expect(verdict.feedback.startsWith('x')).toBe(true);
    expect(verdict.feedback.endsWith('…')).toBe(true);
  });
});
