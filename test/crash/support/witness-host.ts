/**
 * A witness in front of the host binary: `resume` must stop the agents a killed run left running
 * before its first host call (an orphan still at work changes its worktree and marks subtasks
 * under the lanes the resumed run reads). The wrapper notes every `orchestrator-api` call that
 * starts while one of the given agents still lives, then runs the real host unchanged.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CliProject } from '../../cli-e2e/support/project.js';

const SCRIPT = `#!/bin/sh
# Test wrapper (test/crash/support/witness-host.ts): which host calls overlapped a leftover agent.
if [ "$1" = orchestrator-api ]; then
  for pid in $SKO_WITNESS_AGENT_PIDS; do
    state=$(sed -n 's/^State:[[:space:]]*\\([A-Z]\\).*/\\1/p' "/proc/$pid/status" 2>/dev/null)
    if [ -n "$state" ] && [ "$state" != Z ]; then
      echo "$2 started while agent $pid of the killed run was alive" >> "$SKO_WITNESS_FILE"
    fi
  done
fi
exec "$SKO_WITNESS_HOST_BIN" "$@"
`;

export interface HostWitness {
  /** The environment for a CLI run whose host calls must not overlap these agents' lives. */
  env(leftoverAgentPids: readonly number[]): Record<string, string>;
  /** One line per host call that started while a listed agent was alive. */
  overlaps(): string[];
}

export function hostWitness(project: CliProject): HostWitness {
  const scratch = path.dirname(project.agentStateDir);
  const script = path.join(scratch, 'witness-host.sh');
  const file = path.join(scratch, 'witness.log');
  writeFileSync(script, SCRIPT);
  chmodSync(script, 0o755);
  const hostBin = project.env.SPEC_KITTY_BIN;
  if (!hostBin) throw new Error('the project names no host binary');
  return {
    env: (pids) => ({
      ...project.env,
      SPEC_KITTY_BIN: script,
      SKO_WITNESS_HOST_BIN: hostBin,
      SKO_WITNESS_FILE: file,
      SKO_WITNESS_AGENT_PIDS: pids.join(' '),
    }),
    overlaps: () =>
      existsSync(file)
        ? readFileSync(file, 'utf8')
            .split('\n')
            .filter((line) => line !== '')
        : [],
  };
}
