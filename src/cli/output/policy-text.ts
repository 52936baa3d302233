/** The recorded policy in words, for `orchestrate --dry-run` and `status`. */
import type { Policy } from '../../host/policy.js';

type ConfinementFields = Pick<Policy, 'approval_mode' | 'sandbox_mode' | 'network_mode'>;

/** What an agent of the run can touch: `full_auto, sandbox none (...), network open`. */
export function describeConfinement(policy: ConfinementFields): string {
  const sandbox =
    policy.sandbox_mode === 'none'
      ? 'sandbox none (an agent can write wherever you can)'
      : `sandbox ${policy.sandbox_mode} (writes confined to the worktree)`;
  return `${policy.approval_mode}, ${sandbox}, network ${policy.network_mode}`;
}
