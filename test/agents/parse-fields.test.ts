/** The typed accessors over untyped agent JSON: each returns nothing rather than a wrong type. */
import { describe, expect, it } from 'vitest';
import {
  bounded,
  firstString,
  pickArray,
  pickNumber,
  pickString,
  uniqueStrings,
} from '../../src/agents/parse/fields.js';

describe('pick accessors', () => {
  it('pickString returns strings only', () => {
    expect(pickString({ a: { b: 'x' } }, 'a.b')).toBe('x');
    expect(pickString({ a: 5 }, 'a')).toBeUndefined();
  });

  it('pickNumber returns finite numbers only', () => {
    expect(pickNumber({ a: 3 }, 'a')).toBe(3);
    expect(pickNumber({ a: '3' }, 'a')).toBeUndefined();
    expect(pickNumber({ a: Number.POSITIVE_INFINITY }, 'a')).toBeUndefined();
  });

  it('pickArray returns an empty list when the path holds no array', () => {
    expect(pickArray({ a: [1] }, 'a')).toEqual([1]);
    expect(pickArray({ a: 'x' }, 'a')).toEqual([]);
    expect(pickArray({}, 'missing')).toEqual([]);
  });
});

describe('firstString', () => {
  it('skips paths that are missing, not strings, or blank', () => {
    expect(firstString({ a: 5, b: '  ', c: 'found' }, ['missing', 'a', 'b', 'c'])).toBe('found');
    expect(firstString({}, ['a'])).toBeUndefined();
  });
});

describe('uniqueStrings', () => {
  it('trims, then drops blanks and repeats', () => {
    expect(uniqueStrings(['', ' a ', 'a', '  ', 'b'])).toEqual(['a', 'b']);
  });
});

describe('bounded', () => {
  it('keeps text of exactly the bound and marks a cut', () => {
    expect(bounded('abc', 3)).toBe('abc');
    expect(bounded('abcd', 3)).toBe('ab…');
  });
});
