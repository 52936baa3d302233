/** Errors as plain data across the machine boundary (shared/error-info.ts). */
import { describe, expect, it } from 'vitest';
import { describeError, truncate } from '../../src/machines/shared/error-info.js';

describe('describeError', () => {
  it('keeps code, message, command and reasons of an error-like object', () => {
    const error = Object.assign(new Error('refused'), {
      code: 'WP_LOCKED',
      command: 'transition',
      reasons: ['one', '', 7, 'two'],
    });
    expect(describeError(error)).toEqual({
      code: 'WP_LOCKED',
      message: 'refused',
      command: 'transition',
      reasons: ['one', 'two'],
    });
  });

  it('an empty or non-string code is UNKNOWN; an empty command or no reasons are left out', () => {
    expect(describeError({ code: '', message: 'm', command: '', reasons: [] })).toEqual({
      code: 'UNKNOWN',
      message: 'm',
    });
    expect(describeError({ code: 5, message: 'm', reasons: 'not a list' })).toEqual({
      code: 'UNKNOWN',
      message: 'm',
    });
  });

  it('a command that is not a string is left out', () => {
    expect(describeError({ message: 'm', command: 5 })).toStrictEqual({ code: 'UNKNOWN', message: 'm' });
  });

  it('an object without a string message is shown as text', () => {
    expect(describeError({ message: 5 })).toEqual({ code: 'UNKNOWN', message: '[object Object]' });
  });

  it('non-objects become text; null and undefined are not objects here', () => {
    expect(describeError('plain')).toEqual({ code: 'UNKNOWN', message: 'plain' });
    expect(describeError(null)).toEqual({ code: 'UNKNOWN', message: 'null' });
    expect(describeError(undefined)).toEqual({ code: 'UNKNOWN', message: 'undefined' });
  });

  it('bounds the message, each reason and the number of reasons', () => {
    const info = describeError({
      message: 'm'.repeat(600),
      reasons: Array.from({ length: 10 }, (_, i) => `${i}`.repeat(600)),
    });
    expect(info.message).toHaveLength(500);
    expect(info.reasons).toHaveLength(8);
    expect(info.reasons?.[7]).toHaveLength(500);
    expect(info.reasons?.[7]?.startsWith('7')).toBe(true);
    expect(describeError('x'.repeat(600)).message).toHaveLength(500);
  });
});

describe('truncate', () => {
  it('keeps text of exactly the bound, else cuts and marks the cut', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
    expect(truncate('abcd', 0)).toBe('…');
  });
});
