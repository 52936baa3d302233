/** Assertions every CLI end-to-end file shares. */
import { expect } from 'vitest';
import { type CliResult, describeRun } from './cli.js';

/** A line of a JavaScript stack trace (`    at fn (file.js:1:2)`). */
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

export function expectExit(result: CliResult, code: number): void {
  expect(result.exitCode, describeRun(result)).toBe(code);
}

/** A failure a person can act on: exit code, the key words, and no stack trace. */
export function expectCleanFailure(
  result: CliResult,
  code: number,
  keyWords: readonly (string | RegExp)[],
): void {
  expectExit(result, code);
  for (const word of keyWords) {
    if (typeof word === 'string') expect(result.stderr, describeRun(result)).toContain(word);
    else expect(result.stderr, describeRun(result)).toMatch(word);
  }
  expect(result.stderr, describeRun(result)).not.toMatch(STACK_LINE);
  expect(result.stderr, describeRun(result)).not.toMatch(/unexpected error/i);
}

/** Every non-empty stdout line is a JSON object; returns them. */
export function jsonLines(result: CliResult): Record<string, unknown>[] {
  const lines = result.stdout.split('\n').filter((line) => line.trim() !== '');
  return lines.map((line, index) => {
    try {
      const value: unknown = JSON.parse(line);
      expect(
        typeof value === 'object' && value !== null && !Array.isArray(value),
        `stdout line ${index + 1}: ${line}`,
      ).toBe(true);
      return value as Record<string, unknown>;
    } catch (error) {
      throw new Error(
        `stdout line ${index + 1} is not JSON (${String(error)}):\n${line}\n\n${describeRun(result)}`,
      );
    }
  });
}

export { STACK_LINE };
