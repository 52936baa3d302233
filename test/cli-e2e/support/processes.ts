/** Finding (and, after a failed test, ending) the fake agent processes a test's CLI started. */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Pids of live fake-agent processes whose environment carries this FAKE_AGENT_STATE_DIR (unique
 * per test project, so nothing else on the machine can match). Zombies are left out: they are
 * dead, only not yet reaped.
 */
export function fakeAgentPids(agentStateDir: string): number[] {
  const marker = `FAKE_AGENT_STATE_DIR=${agentStateDir}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (!`${environ}\0`.includes(marker)) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      if (!cmdline.includes('fake-agent.mjs')) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z') pids.push(Number(entry));
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return pids;
}

/**
 * Ends this project's fake agents, by pid. Only needed when a test failed half-way and its
 * orchestrator was SIGKILLed (a killed orchestrator cannot stop its agents); returns how many.
 */
export function killFakeAgents(agentStateDir: string): number {
  const pids = fakeAgentPids(agentStateDir);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids.length;
}
