/**
 * A gate in front of the host binary that holds one chosen lane change: the orchestrator has sent
 * it (its write-ahead is on disk), and the test decides whether the host ever runs it. `before`:
 * the call is held before the host starts, so a kill there is a kill between the write-ahead and
 * the call. `after`: the host runs it and its answer is held, so a kill there is a kill after the
 * lane moved, before the orchestrator heard of it.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CliProject } from '../../cli-e2e/support/project.js';

const SCRIPT = `#!/bin/sh
# Test wrapper (test/crash/support/gate-host.ts): holds the first call whose arguments match.
case " $* " in
  *" $SKO_GATE_MATCH "*)
    if mkdir "$SKO_GATE_DIR/taken" 2>/dev/null; then
      if [ "$SKO_GATE_WHEN" = after ]; then
        "$SKO_GATE_HOST_BIN" "$@" > "$SKO_GATE_DIR/answer" 2>&1
      fi
      echo $$ > "$SKO_GATE_DIR/held"
      while :; do sleep 1; done
    fi
    ;;
esac
exec "$SKO_GATE_HOST_BIN" "$@"
`;

export interface HostGate {
  env: Record<string, string>;
  /** The pid of the held wrapper, once a matching call arrived. */
  heldPid(): number | undefined;
}

export function hostGate(project: CliProject, match: string, when: 'before' | 'after'): HostGate {
  const dir = path.join(path.dirname(project.agentStateDir), `gate-${when}`);
  const script = path.join(path.dirname(project.agentStateDir), 'gate-host.sh');
  writeFileSync(script, SCRIPT);
  chmodSync(script, 0o755);
  const hostBin = project.env.SPEC_KITTY_BIN;
  if (!hostBin) throw new Error('the project names no host binary');
  mkdirSync(dir, { recursive: true });
  return {
    env: {
      ...project.env,
      SPEC_KITTY_BIN: script,
      SKO_GATE_HOST_BIN: hostBin,
      SKO_GATE_DIR: dir,
      SKO_GATE_MATCH: match,
      SKO_GATE_WHEN: when,
    },
    heldPid: () => {
      const file = path.join(dir, 'held');
      return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || undefined : undefined;
    },
  };
}
