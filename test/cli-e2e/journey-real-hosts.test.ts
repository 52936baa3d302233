/**
 * The user's whole journey, on every pinned real host: a project and mission made by the host's
 * own commands, the orchestrator as npm installs it (packed tarball, symlinked bin), the run to
 * the end, then the merge step the user runs next, and the target branch checked for every WP's
 * work. Only the agents are ours (fake agents scripted to write each WP's file): everything else
 * is what a user has.
 *
 * Measured host facts this journey encodes (docs/host-facts.md has the detail):
 * - 3.2.7: `agent mission create` picks the `coord` topology by default, and accept-mission then
 *   crashes reading meta.json from the coordination worktree (FileNotFoundError, no envelope).
 *   A 3.2.7 user gets a working mission with `--topology lanes`, so the journey uses it there.
 * - 4.0.0rc7: accept-mission's readiness verdict refuses every mission whose WPs were claimed
 *   through the orchestrator-api: the claim event never carries the claimant (the policy is
 *   reduced to its dataclass fields, without `agent`), so its strict metadata check reports
 *   "missing agent" for each WP, and the repair it suggests (move-task --to done --agent) is
 *   refused as done -> done. The run must report that in one line, exit 6 and print no merge
 *   step; `spec-kitty consolidate` still merges the lanes.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { EXIT } from '../../src/cli/exit-codes.js';
import { callHost } from '../support/host-call.js';
import {
  type HostMadeMission,
  makeMissionWithHostCommands,
  recordPassingVerdicts,
} from '../support/host-made-mission.js';
import { realHosts } from '../support/real-hosts.js';
import { createTempRepo, GIT_TEST_ENV, git, hostTestEnv, type TempRepo } from '../support/temp-repo.js';
import { describeRun } from './support/cli.js';
import { installPackedCli, runBin } from './support/installed-cli.js';
import { FAKE_AGENTS_BIN } from './support/project.js';

let scratch = '';
let orchestratorBin = '';
const repos: TempRepo[] = [];

beforeAll(() => {
  scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-journey-')));
  orchestratorBin = installPackedCli(scratch).globalBin;
}, 240_000);

afterAll(() => {
  for (const repo of repos) repo.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** What each WP's (fake) implementer writes: the file its prompt asks for. */
function scriptFor(mission: HostMadeMission): string {
  const body = (wp: HostMadeMission['wps'][number]) =>
    `#!/bin/sh\necho "${wp.id === 'WP01' ? 'Hello' : 'Goodbye'}, $1"\n`;
  const scenario = Object.fromEntries(
    mission.wps.map((wp) => [
      wp.id,
      {
        implementation: { action: 'implement', files: { [wp.file]: body(wp) } },
        review: { action: 'approve' },
      },
    ]),
  );
  return `${JSON.stringify(scenario, null, 2)}\n`;
}

/** The command between backticks in the summary's `Next: merge the mission with ...` line. */
function printedMergeCommand(stderr: string): string[] | null {
  const match = /^Next: merge the mission with `([^`]+)`/m.exec(stderr);
  return match?.[1] ? match[1].split(' ') : null;
}

for (const host of realHosts()) {
  const major = host.version.split('.')[0];

  describe(`the user's journey on spec-kitty-cli ${host.version}`, () => {
    it('host-made mission -> installed orchestrator -> every WP done -> merged into the target branch', async () => {
      const repo = createTempRepo(`sko-journey-${major}-`);
      repos.push(repo);
      const home = path.join(scratch, `home-${host.version}`);
      const hostEnv = { ...GIT_TEST_ENV, ...hostTestEnv(home, host.coldBin) };
      const options = {
        hostBin: host.coldBin,
        env: hostEnv,
        ...(major === '3' ? { topology: 'lanes' as const } : {}),
      };
      const mission = await makeMissionWithHostCommands(repo.root, options);
      await recordPassingVerdicts(repo.root, mission, options);

      const agentState = path.join(scratch, `agents-${host.version}`);
      mkdirSync(agentState, { recursive: true });
      // The user's config, committed with the project (an untracked file would leave the checkout
      // dirty, which host 4.0 refuses to accept).
      writeFileSync(
        path.join(repo.root, '.kittify', 'orchestrator.yaml'),
        toYaml({
          agents: { implementation: ['claude-code'], review: ['claude-code'] },
          max_concurrent_wps: 2,
          // The fake agents' attempt counters live outside the worktree; bubblewrap confines them.
          sandbox_writable: [agentState],
        }),
      );
      git(repo.root, 'add', '.kittify/orchestrator.yaml');
      git(repo.root, 'commit', '-q', '-m', 'Orchestrator config');
      const scenarioFile = path.join(scratch, `scenario-${host.version}.json`);
      writeFileSync(scenarioFile, scriptFor(mission));

      // `spec-kitty` found on PATH the way a user's shell finds it; the fake agents first.
      const env: Record<string, string> = {
        ...GIT_TEST_ENV,
        ...hostTestEnv(home, host.coldBin),
        PATH: [FAKE_AGENTS_BIN, path.dirname(host.coldBin), process.env.PATH ?? ''].join(path.delimiter),
        FAKE_AGENT_SCENARIO: scenarioFile,
        FAKE_AGENT_STATE_DIR: agentState,
        CI: 'true',
        NO_COLOR: '1',
      };
      const run = await runBin(orchestratorBin, ['orchestrate', '--mission', mission.slug], repo.root, env);
      const lanes = await hostLanes(host.coldBin, repo.root, mission.slug, hostEnv);
      expect(lanes, describeRun(run)).toEqual({ WP01: 'done', WP02: 'done' });
      // Nothing of ours is left for the user to commit or ignore.
      expect(git(repo.root, 'status', '--porcelain', '--', '.kittify'), describeRun(run)).toBe('');

      let merge: string[];
      if (major === '3') {
        expect(run.exitCode, describeRun(run)).toBe(EXIT.ok);
        expect(run.stderr).toContain(`Mission accepted (accept-mission): ${mission.slug}`);
        merge = printedMergeCommand(run.stderr) ?? [];
        expect(merge, describeRun(run)).toEqual(['spec-kitty', 'merge', '--mission', mission.slug]);
      } else {
        expect(run.exitCode, describeRun(run)).toBe(EXIT.notAccepted);
        const refusal = run.stderr.split('\n').filter((line) => line.startsWith('The host did not accept'));
        expect(refusal, describeRun(run)).toHaveLength(1);
        expect(refusal[0]).toContain('WP01: missing agent in canonical runtime state');
        expect(refusal[0]).toContain('[MISSION_NOT_READY]');
        // Everything else the readiness check looks at is in order (verdicts, layout, clean tree).
        expect(refusal[0]).not.toMatch(/acceptance matrix|git dirty|path violations/i);
        expect(printedMergeCommand(run.stderr), describeRun(run)).toBeNull();
        merge = ['spec-kitty', 'consolidate', '--mission', mission.slug];
      }

      const merged = await callHost(
        path.join(path.dirname(host.coldBin), merge[0] ?? ''),
        repo.root,
        merge.slice(1),
        hostEnv,
      );
      expect(merged.exitCode, `${merge.join(' ')}:\n${merged.stdout}\n${merged.stderr}`).toBe(0);
      for (const wp of mission.wps) {
        const content = git(repo.root, 'show', `${mission.targetBranch}:${wp.file}`);
        expect(content, `${wp.id}'s ${wp.file} on ${mission.targetBranch}`).toContain(
          wp.id === 'WP01' ? 'Hello' : 'Goodbye',
        );
      }
      // The host cleaned up after merging: no lane branch is left.
      expect(git(repo.root, 'branch', '--list', `kitty/mission-${mission.slug}-lane-*`)).toBe('');
    }, 900_000);
  });
}

async function hostLanes(
  bin: string,
  repoRoot: string,
  mission: string,
  env: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const result = await callHost(
    bin,
    repoRoot,
    ['orchestrator-api', 'mission-state', '--mission', mission],
    env,
  );
  const envelope = JSON.parse(result.stdout) as {
    data: { work_packages: Array<{ wp_id: string; lane: string }> };
  };
  return Object.fromEntries(envelope.data.work_packages.map((wp) => [wp.wp_id, wp.lane]));
}
