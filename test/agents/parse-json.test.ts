/**
 * The tolerant JSON readers, case by case: what counts as a document, a JSON line and an
 * embedded object. Each case pins one rule the agent adapters rely on when stdout is a cut tail
 * with banners and prose around the JSON.
 */
import { describe, expect, it } from 'vitest';
import {
  findJsonObjects,
  isRecord,
  jsonLines,
  lastJsonObject,
  parseJsonDocument,
} from '../../src/agents/parse/json.js';

describe('isRecord', () => {
  it('accepts plain objects only', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord(null)).toBe(false);
    expect(isRecord([])).toBe(false);
    expect(isRecord('{}')).toBe(false);
  });
});

describe('parseJsonDocument', () => {
  it('reads a whole object or array despite surrounding whitespace', () => {
    expect(parseJsonDocument('  {"a":1} \n')).toEqual({ a: 1 });
    expect(parseJsonDocument('\n[1,2]\n')).toEqual([1, 2]);
  });

  it('ignores JSON scalars: a bare number or string is prose, not a result', () => {
    expect(parseJsonDocument('42')).toBeUndefined();
    expect(parseJsonDocument('"done"')).toBeUndefined();
    expect(parseJsonDocument('')).toBeUndefined();
    expect(parseJsonDocument('{"cut": ')).toBeUndefined();
  });
});

describe('jsonLines', () => {
  it('reads indented object lines', () => {
    expect(jsonLines('  {"a":1}  \n\t{"b":2}')).toEqual([{ a: 1 }, { b: 2 }]);
  });
});

describe('findJsonObjects', () => {
  it('reports where each object starts and ends', () => {
    const [found] = findJsonObjects('x{"a":1}y');
    expect(found).toEqual({ value: { a: 1 }, start: 1, end: 8 });
  });

  it('honours an escaped quote inside a string', () => {
    expect(findJsonObjects('{"a":"\\"}"}').map((f) => f.value)).toEqual([{ a: '"}' }]);
  });

  it('reads an empty key as the first string of the text', () => {
    expect(findJsonObjects('{"":1}').map((f) => f.value)).toEqual([{ '': 1 }]);
  });

  it('ignores a stray quote in prose before the object', () => {
    expect(findJsonObjects('a 27" screen, then {"a":1}').map((f) => f.value)).toEqual([{ a: 1 }]);
  });

  it('ignores a stray closing brace in prose before the object', () => {
    expect(findJsonObjects('} oops {"a":1}').map((f) => f.value)).toEqual([{ a: 1 }]);
  });
});

describe('lastJsonObject', () => {
  it('prefers the whole document over an object line inside it', () => {
    expect(lastJsonObject('{\n"x":\n{"b":1}\n}')).toEqual({ x: { b: 1 } });
  });

  it('prefers the last JSON line over a later object embedded in prose', () => {
    expect(lastJsonObject('banner\n{"a":1}\ntrailing {"b":2} text')).toEqual({ a: 1 });
  });
});
