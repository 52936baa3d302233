/**
 * `npm run test:unit` (vitest.unit.config.ts) is the quick loop: it must select tests, and none
 * it selects may need what only the full suite's global setup installs (the real host, the
 * agent CLIs, the built CLI); such a test would fail there for a reason unrelated to the edit.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import unitConfig from '../vitest.unit.config.js';

const ROOT = path.resolve(import.meta.dirname, '..');
/** What a test reaches for when it runs a real host, a real agent CLI or the built CLI. */
const NEEDS_SETUP =
  /\b(realHostBin|realHosts|realHost|hostTestEnv|createCliProject|assertCliBuilt|runRealAgent\w*|installedAgent)\b|process\.env\.SPEC_KITTY_(BIN|HOSTS)/;

function selected(): string[] {
  const include = unitConfig.test?.include ?? [];
  const exclude = unitConfig.test?.exclude ?? [];
  return globSync(include, { cwd: ROOT, ignore: exclude });
}

describe('npm run test:unit', () => {
  it('selects the unit tests, and each of its patterns matches something', () => {
    for (const pattern of unitConfig.test?.include ?? [])
      expect(globSync([pattern], { cwd: ROOT }), pattern).not.toEqual([]);
    expect(selected().length).toBeGreaterThan(50);
  });

  it('selects no test that needs the real host, an agent CLI or the built CLI', () => {
    const offenders = selected().filter((file) =>
      NEEDS_SETUP.test(readFileSync(path.join(ROOT, file), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
