/** Error messages in the shapes agents report them, and which stderr lines count as errors. */
import { describe, expect, it } from 'vitest';
import { errorMessage, errorsFromRecord, stderrErrorLines } from '../../src/agents/parse/errors.js';

describe('errorMessage', () => {
  it.each([
    ['a string', 'boom', 'boom'],
    ['a blank string', '   ', undefined],
    ['msg', { msg: 'from msg' }, 'from msg'],
    ['detail', { detail: 'from detail' }, 'from detail'],
    ['error_message', { error_message: 'snake' }, 'snake'],
    ['errorMessage', { errorMessage: 'camel' }, 'camel'],
    ['a blank message before a detail', { message: '  ', detail: 'the detail' }, 'the detail'],
    ['data that is not an object', { data: 'not a record', error: 'the error' }, 'the error'],
    ['a nested error object', { error: { error: { message: 'inner' } } }, 'inner'],
    ['only a name', { name: 'APIError' }, 'APIError'],
    ['a name that is not a string', { name: 5 }, undefined],
    ['a type with a code', { type: 'invalid_request', code: 400 }, 'invalid_request (400)'],
    ['a type without a code', { type: 'invalid_request' }, undefined],
    ['a code without a type', { code: 400 }, undefined],
  ])('%s', (_name, value, expected) => {
    expect(errorMessage(value)).toBe(expected);
  });
});

describe('errorsFromRecord', () => {
  it('reads a single object under errors', () => {
    expect(errorsFromRecord({ errors: { message: 'only one' } })).toEqual(['only one']);
  });
});

describe('stderrErrorLines', () => {
  it('strips colour and cursor sequences wherever they sit', () => {
    // A sequence glued to a word hides it from the word-boundary match, so the case needs a
    // symbol between the sequence and the error word to show whether stripping happened.
    expect(stderrErrorLines('\u001b[31m✖ fatal: boom\u001b[0m\u001b[?25h')).toEqual(['✖ fatal: boom']);
  });

  it('skips JSON even when indented', () => {
    expect(stderrErrorLines('   {"error": "failed"}\n  ]')).toEqual([]);
  });

  it('keeps an error line that quotes something', () => {
    expect(stderrErrorLines('Error: cannot read "config.json"')).toEqual([
      'Error: cannot read "config.json"',
    ]);
  });

  it('keeps only the last ten error lines', () => {
    const stderr = Array.from({ length: 12 }, (_, i) => `error ${i + 1}`).join('\n');
    const lines = stderrErrorLines(stderr);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('error 3');
    expect(lines.at(-1)).toBe('error 12');
  });

  it.each([
    ['unauthorised', 'HTTP 401 Unauthorized'],
    ['a rate limit written as one word', 'ratelimit hit, backing off'],
  ])('counts %s as an error', (_name, line) => {
    expect(stderrErrorLines(`progress 10%\n${line}\n`)).toEqual([line]);
  });
});
