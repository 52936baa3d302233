/**
 * The world side of one confined agent run: a private folder (its TMPDIR, the spec-kitty relay
 * and its outbox), the agent CLI's state folders created so they can be bound, the invocation
 * wrapped in bubblewrap, and after the run the relayed subtask marks read back. The private
 * folder is removed when the run ends, whatever its outcome.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { AGENT_STATE_PATHS, resolveStatePlace } from '../../agents/sandbox/agent-state-paths.js';
import { confineInvocation } from '../../agents/sandbox/bwrap-argv.js';
import { relayScript } from '../../agents/sandbox/mark-status-relay.js';
import type { AgentId, AgentInvocation } from '../../agents/types.js';

export interface SandboxSettings {
  bwrap: string;
  /** More writable paths from the config (sandbox_writable), absolute. */
  extraWritable: readonly string[];
}

export interface ConfinedRun {
  wrap(invocation: AgentInvocation): AgentInvocation;
  /** What the agent asked the relay for (the outbox's text; empty when it asked nothing). */
  relayedCalls(): Promise<string>;
  dispose(): Promise<void>;
}

export async function prepareConfinedRun(
  settings: SandboxSettings,
  run: {
    agent: AgentId;
    worktree: string;
    worktreeWritable: boolean;
    home?: string;
    /** The agent's environment (its XDG_*_HOME move the XDG places). */
    env: Readonly<Record<string, string | undefined>>;
  },
): Promise<ConfinedRun> {
  const home = run.home ?? homedir();
  const privateDir = await realpath(await mkdtemp(path.join(tmpdir(), 'sko-sandbox-')));
  try {
    const binDir = path.join(privateDir, 'bin');
    const privateTmp = path.join(privateDir, 'tmp');
    // The relay's outbox has a folder of its own, bound writable (the relay itself stays read-only).
    const outboxDir = path.join(privateDir, 'relay');
    const outbox = path.join(outboxDir, 'mark-status.calls');
    await mkdir(binDir);
    await mkdir(privateTmp);
    await mkdir(outboxDir);
    const relay = path.join(binDir, 'spec-kitty');
    await writeFile(relay, relayScript(outbox));
    await chmod(relay, 0o755);
    const state = AGENT_STATE_PATHS[run.agent];
    const writable: string[] = [];
    for (const place of state.created) {
      const folder = resolveStatePlace(place, home, run.env);
      await mkdir(folder, { recursive: true });
      writable.push(folder);
    }
    for (const place of state.existing) {
      const found = resolveStatePlace(place, home, run.env);
      if (existsSync(found)) writable.push(found);
    }
    for (const place of settings.extraWritable) if (existsSync(place)) writable.push(place);
    writable.push(outboxDir);
    const worktree = await realpath(run.worktree);
    return {
      wrap(invocation) {
        const confined = confineInvocation(invocation, {
          bwrap: settings.bwrap,
          worktree,
          worktreeWritable: run.worktreeWritable,
          privateTmp,
          writable,
        });
        // A real agent finds `spec-kitty` on PATH, where the relay comes first; the test suite's
        // fake agents are told their host binary, and take the relay from SKO_SANDBOX_SPEC_KITTY.
        const inherited = invocation.env?.PATH ?? process.env.PATH ?? '';
        return {
          ...confined,
          env: {
            ...confined.env,
            PATH: inherited ? `${binDir}:${inherited}` : binDir,
            SKO_SANDBOX_SPEC_KITTY: relay,
          },
        };
      },
      async relayedCalls() {
        return existsSync(outbox) ? readFile(outbox, 'utf8') : '';
      },
      dispose: () => rm(privateDir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(privateDir, { recursive: true, force: true });
    throw error;
  }
}
