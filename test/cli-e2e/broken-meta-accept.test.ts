/**
 * A hand-made mission whose meta.json lacks fields the host's metadata check wants: every WP
 * reaches done, then accept-mission fails on the REAL host (3.2.7 crashes with a traceback and
 * no envelope). The run must say in one readable line which check failed (the host's own
 * reason), keep every WP done, exit 6, and not also print the next step of a successful run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../support/temp-repo.js';
import { expectCleanFailure, jsonLines } from './support/assertions.js';
import { assertCliBuilt, describeRun, killStrayClis, runCli } from './support/cli.js';
import { fakeInvocations, hostMissionState, lanesOf } from './support/inspect.js';
import { type CliProject, createCliProject, twoWpMission } from './support/project.js';

let project: CliProject | undefined;

beforeAll(assertCliBuilt);
afterEach(killStrayClis);
afterAll(() => project?.cleanup());

/** Removes fields accept-mission's metadata check requires, as a hand-edited meta.json might. */
function breakMeta(p: CliProject): { restore(): void } {
  const metaPath = path.join(p.root, 'kitty-specs', p.mission, 'meta.json');
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Record<string, unknown>;
  const removed = { created_at: meta.created_at, friendly_name: meta.friendly_name };
  delete meta.created_at;
  delete meta.friendly_name;
  writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  git(p.root, 'commit', '-q', '-am', 'Hand-edit meta.json');
  return {
    // The user's fix: the two fields back, in the file as it is now (the host may have written it).
    restore() {
      const current = JSON.parse(readFileSync(metaPath, 'utf8')) as Record<string, unknown>;
      writeFileSync(metaPath, `${JSON.stringify({ ...current, ...removed }, null, 2)}\n`);
      git(p.root, 'commit', '-q', '-am', 'Fix meta.json');
    },
  };
}

describe('accept-mission fails on a broken meta.json (real host)', () => {
  it('names the failed check in one line, keeps the WPs done, exits 6, no merge step', async () => {
    project = await createCliProject({ host: 'real', mission: twoWpMission('001-cli-broken-meta') });
    const broken = breakMeta(project);
    const result = await runCli(['orchestrate', '--mission', project.mission, '--json'], {
      cwd: project.root,
      env: project.env,
    });

    expectCleanFailure(result, 6, ['every WP is done, but the mission was not accepted']);
    // The host's reason, whole and on one line: which file, which fields.
    const reasonLines = result.stderr
      .split('\n')
      .filter((line) => line.includes('did not accept the mission'));
    expect(reasonLines, describeRun(result)).toHaveLength(1);
    expect(reasonLines[0]).toContain(`Invalid meta.json for ${project.mission}`);
    expect(reasonLines[0]).toContain('created_at');
    expect(reasonLines[0]).toContain('friendly_name');
    // No cut traceback, no contradicting success step.
    expect(result.stderr, describeRun(result)).not.toMatch(/[│╭╰]/);
    expect(result.stderr, describeRun(result)).not.toContain('Next: merge');
    expect(result.stderr).toContain('only acceptance is retried');
    expect(lanesOf(await hostMissionState(project))).toEqual({ WP01: 'done', WP02: 'done' });
    // Scripts read the same facts from the JSON output's last record.
    const end = jsonLines(result).find((record) => record.type === 'mission.end');
    expect(end, describeRun(result)).toMatchObject({
      status: 'failed',
      error: {
        code: 'HOST_NO_OUTPUT',
        command: 'accept-mission',
        reasons: [expect.stringMatching(/^ValueError: Invalid meta\.json .*friendly_name$/)],
      },
    });

    // What the run told the user is true: fix the file, run again, only acceptance runs.
    const agentRuns = fakeInvocations(project).length;
    broken.restore();
    const again = await runCli(['orchestrate', '--mission', project.mission], {
      cwd: project.root,
      env: project.env,
    });
    expect(again.exitCode, describeRun(again)).toBe(0);
    expect(again.stderr).toContain(`Mission accepted (accept-mission): ${project.mission}`);
    expect(fakeInvocations(project)).toHaveLength(agentRuns);
  }, 420_000);
});
