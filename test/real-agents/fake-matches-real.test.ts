/**
 * Each fake agent is proven against the real CLI it stands for: the same adapter, argv and prompt
 * run once with the real binary (against the scripted model server) and once with
 * fixtures/agents, and what the adapter reads back must have the same shape: success, failure
 * kind, an answer text, which usage figures are known, and the review verdict and how it was
 * decided. A fake that drifts from its CLI's real output format fails here, not in a user's run.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TESTED_VERSIONS } from '../../src/agents/tested-versions.js';
import type { AgentResult, AgentRole } from '../../src/agents/types.js';
import type { AgentProfile } from './support/profile.js';
import { runFakeAgentOnce, runRealAgentOnce } from './support/run-real-agent.js';

const PROFILES_DIR = path.join(import.meta.dirname, 'profiles');

async function loadProfiles(): Promise<AgentProfile[]> {
  const files = readdirSync(PROFILES_DIR).filter((name) => name.endsWith('.ts'));
  const modules = await Promise.all(
    files.map(async (name) => (await import(path.join(PROFILES_DIR, name))) as { profile?: AgentProfile }),
  );
  // Only CLIs that can reach the scripted server have a real answer to compare with.
  return modules.flatMap((module) =>
    module.profile && TESTED_VERSIONS[module.profile.id].proof === 'end-to-end' ? [module.profile] : [],
  );
}

function shape(result: AgentResult) {
  return {
    success: result.success,
    failureKind: result.failureKind ?? null,
    answered: (result.resultText ?? '').trim() !== '',
    usage: {
      inputTokens: result.usage?.inputTokens !== undefined,
      outputTokens: result.usage?.outputTokens !== undefined,
      costUsd: result.usage?.costUsd !== undefined,
    },
    verdict: result.verdict ? { verdict: result.verdict.verdict, decidedBy: result.verdict.decidedBy } : null,
  };
}

const profiles = await loadProfiles();

describe.each(profiles.map((profile) => [profile.id, profile] as const))(
  'fake %s against the real CLI',
  (_id, profile) => {
    it.each(['implementation', 'review'] as AgentRole[])(
      'reads the same shape of result for %s',
      async (role) => {
        const real = await runRealAgentOnce({ profile, role });
        const fake = await runFakeAgentOnce({ profile, role });
        expect(
          shape(fake.result),
          `real: ${JSON.stringify(real.result)}\nfake: ${JSON.stringify(fake.result)}`,
        ).toEqual(shape(real.result));
        // Both worked in their workspace, whatever directory (PWD) they were started from.
        expect(real.strayFiles, 'real CLI wrote where it was started from').toEqual([]);
        expect(fake.strayFiles, 'fake agent wrote where it was started from').toEqual([]);
        if (role === 'implementation') expect(real.workspaceChanges).not.toEqual([]);
      },
    );

    it('classifies a missing or rejected credential the same way (auth)', async () => {
      const real = await runRealAgentOnce({
        profile,
        role: 'implementation',
        scenario: { faults: { [profile.id]: 'auth' } },
      });
      const fake = await runFakeAgentOnce({
        profile,
        role: 'implementation',
        env: { FAKE_AGENT_ACTION: 'auth_error' },
      });
      expect(real.result.failureKind).toBe('auth');
      expect(fake.result.failureKind).toBe('auth');
    });
  },
);

it('covers at least the end-to-end agents', () => {
  expect(profiles.length).toBeGreaterThanOrEqual(6);
});
