/**
 * Augment (auggie) 0.36.0, argv check: its API is Augment's own, so it cannot be pointed at the
 * scripted server. The REAL binary runs with our exact argv (both roles, the real prompts, the
 * profile's model and turn cap) in a temp git repo with an empty HOME and no credentials. It must
 * get past option parsing (commander rejects an unknown option before anything else, and a bad
 * `--permission` rule is reported) and fail for want of credentials, which the adapter must read
 * as an auth failure.
 */
import { describe, expect, it } from 'vitest';
import { profile } from './profiles/augment.js';
import { recordRealAgentProof } from './support/proof.js';
import { runRealAgentOnce } from './support/run-real-agent.js';

const FLAG_ERRORS = /unknown option|unexpected argument|Failed to parse permission rule|too many arguments/i;

// The proof is recorded only when both roles passed (a failed role never counts).
const passedRoles = new Set<string>();

describe('Augment auggie (real CLI, argv check)', () => {
  it.each(['implementation', 'review'] as const)(
    'accepts our %s argv and reads the missing login as auth',
    async (role) => {
      const run = await runRealAgentOnce({ profile, role, emptyHome: true, timeoutSeconds: 30 });
      // The argv really carries the flags this check is about.
      for (const flag of ['--print', '--output-format', '--permission', '--model', '--max-turns']) {
        expect(run.argv).toContain(flag);
      }
      if (role === 'review') expect(run.argv).toContain('--ask');
      expect(run.log).not.toMatch(FLAG_ERRORS);
      expect(run.log).toMatch(/No auth provided/);
      expect(run.result.success).toBe(false);
      expect(run.result.failureKind, `${run.result.errors.join('\n')}\n${run.log}`).toBe('auth');
      expect(run.server.requests).toEqual([]);
      passedRoles.add(role);
      if (passedRoles.size === 2) {
        recordRealAgentProof('augment', 'argv-checked', {
          version: run.version,
          proven: [
            'both roles parse our argv (model, max turns, permission rules, --ask)',
            'no login -> auth',
          ],
        });
      }
    },
    60_000,
  );
});
