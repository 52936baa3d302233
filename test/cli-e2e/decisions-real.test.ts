/**
 * Open design decisions on every pinned real host (spec-kitty-cli 3.2.7, contract 1.5.0, and
 * 4.0.0rc7, contract 1.16.0): `decisions` lists what waits for a person with the command that
 * answers it, `decide` records the answer through resolve-decision, and a wrong id or a missing
 * mission is one clear line with its exit code.
 *
 * Measured host fact (docs/host-facts.md): on 4.0.0rc7 a mission made with `agent mission
 * create`'s default `coord` topology loses its decisions from design-status: open-decision
 * writes the decision into the mission folder but its DecisionPointOpened event into the
 * coordination worktree's event log, and design-status then reports `open_decisions: []`. With
 * `--topology lanes` both land in one place and it lists them, so 4.x makes its mission that way.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { buildPolicy, serializePolicy } from '../../src/host/policy.js';
import { callHost } from '../support/host-call.js';
import { createMissionScaffold } from '../support/host-made-mission.js';
import { realHosts } from '../support/real-hosts.js';
import { createTempRepo, GIT_TEST_ENV, hostTestEnv, type TempRepo } from '../support/temp-repo.js';
import { expectCleanFailure, expectExit } from './support/assertions.js';
import { assertCliBuilt, runCli } from './support/cli.js';

beforeAll(assertCliBuilt);

for (const host of realHosts()) {
  describe(`design decisions through the CLI (real host, spec-kitty-cli ${host.version})`, () => {
    let repo: TempRepo | undefined;
    let scratch = '';
    let env: Record<string, string> = {};
    let mission = '';
    let decisionId = '';

    beforeAll(async () => {
      // Decisions belong to the design phase: a mission just created by the host, spec not written.
      repo = createTempRepo(`sko-decisions-${host.version.split('.')[0]}-`);
      scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-decisions-home-')));
      env = {
        ...(process.env as Record<string, string>),
        ...GIT_TEST_ENV,
        ...hostTestEnv(scratch, host.bin),
        SPEC_KITTY_BIN: host.bin,
        CI: 'true',
        NO_COLOR: '1',
      };
      ({ slug: mission } = await createMissionScaffold(repo.root, {
        hostBin: host.bin,
        env,
        ...(host.version.startsWith('4.') ? { topology: 'lanes' as const } : {}),
      }));
      // The planner (a person or an agent in the design phase) opens a decision through the host.
      const opened = await callHost(
        host.bin,
        repo.root,
        [
          'orchestrator-api',
          'open-decision',
          '--mission',
          mission,
          '--origin',
          'specify',
          '--input-key',
          'storage',
          '--question',
          'Which storage backend?',
          '--options',
          '["sqlite","postgres"]',
          '--step-id',
          'specify-storage',
          '--actor',
          'planner',
          '--policy',
          serializePolicy(buildPolicy({ orchestrator_version: '0.0.0', agent_family: 'human' })),
        ],
        env,
      );
      const envelope = JSON.parse(opened.stdout) as { success: boolean; data: { decision_id: string } };
      expect(envelope.success, opened.stdout).toBe(true);
      decisionId = envelope.data.decision_id;
    }, 300_000);

    afterAll(() => {
      repo?.cleanup();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    });

    const cli = (args: string[]) => runCli(args, { cwd: repo?.root ?? '', env });

    it('lists the open decision, records the answer, then lists none', async () => {
      const listed = await cli(['decisions', '--mission', mission]);
      expectExit(listed, EXIT.ok);
      expect(listed.stdout).toContain('1 design decision is waiting for a person');
      expect(listed.stdout).toContain(`${decisionId} (from specify)`);
      expect(listed.stdout).toContain(
        `decide --mission ${mission} --decision ${decisionId} --answer '<your answer>'`,
      );

      const answered = await cli([
        'decide',
        '--mission',
        mission,
        '--decision',
        decisionId,
        '--answer',
        'sqlite',
        '--rationale',
        'one file is enough here',
      ]);
      expectExit(answered, EXIT.ok);
      expect(answered.stderr).toContain(`decision ${decisionId} of mission ${mission}: resolved`);

      const after = await cli(['decisions', '--mission', mission, '--json']);
      expectExit(after, EXIT.ok);
      expect((JSON.parse(after.stdout) as { open_decisions: unknown[] }).open_decisions).toEqual([]);
    });

    it('a decision id the mission does not have is one line naming the host code', async () => {
      const result = await cli(['decide', '--mission', mission, '--decision', '01NOPE', '--answer', 'x']);
      expectCleanFailure(result, EXIT.usage, ['01NOPE', 'DECISION_NOT_FOUND']);
    });

    it('without --mission and without a recorded run, says how to name the mission', async () => {
      const result = await cli(['decisions']);
      expectCleanFailure(result, EXIT.usage, ['no mission named', '--mission']);
    });
  });
}
