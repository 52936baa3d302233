/**
 * The bubblewrap command line that confines one agent run (pure). The whole file system is
 * mounted read-only, then the few places the run may write are bound writable on top of it:
 * the WP's worktree, the agent CLI's own state and cache folders, and a private temp folder.
 * Everything else (the primary checkout with its `kitty-specs/` and `.git`, other lanes'
 * worktrees, the rest of $HOME, /etc) stays readable but unwritable, so an agent still finds its
 * tools, the project's sources and its credentials.
 *
 * `--cap-drop ALL`: run as root, bubblewrap keeps every capability, and CAP_SYS_ADMIN alone
 * would let the agent remount the read-only root writable (measured). Deliberately not used:
 * `--unshare-net` (every agent needs its model API, so the network stays
 * open and the policy says so), `--unshare-pid` and `--new-session` (the orchestrator stops an
 * agent by signalling its process group and finds a crashed run's agents by their environment
 * mark in /proc; both need the agent in our pid namespace and session), and `--die-with-parent`
 * (a confined agent outlives a killed orchestrator exactly as an unconfined one does, and the
 * next session stops it before its first host call: one crash story, tested by the crash test).
 */
import type { AgentInvocation } from '../types.js';

export interface Confinement {
  /** The bubblewrap executable. */
  bwrap: string;
  /** The WP's worktree: the agent's working folder. */
  worktree: string;
  /** The implementer writes the worktree; a reviewer only reads it. */
  worktreeWritable: boolean;
  /** A folder of this run's own, writable, given to the agent as TMPDIR. */
  privateTmp: string;
  /** Further writable paths (agent state folders and files, the config's sandbox_writable); each must exist. */
  writable: readonly string[];
}

/** Capabilities dropped, everything read-only: the base every run (and the probe) starts from. */
export const READ_ONLY_BASE: readonly string[] = [
  '--cap-drop',
  'ALL',
  '--ro-bind',
  '/',
  '/',
  '--dev',
  '/dev',
  '--proc',
  '/proc',
];

/** The mounts, in the order bubblewrap applies them: later binds win over earlier ones. */
export function bwrapMounts(confinement: Confinement): string[] {
  const args = [...READ_ONLY_BASE];
  const seen = new Set<string>();
  for (const place of [...confinement.writable, confinement.privateTmp]) {
    if (seen.has(place)) continue;
    seen.add(place);
    args.push('--bind', place, place);
  }
  // Last, so a writable place that contains the worktree cannot make a reviewer's writable.
  args.push(
    confinement.worktreeWritable ? '--bind' : '--ro-bind',
    confinement.worktree,
    confinement.worktree,
  );
  args.push('--chdir', confinement.worktree);
  return args;
}

/** The same invocation, run inside the sandbox; its stdin, environment and exit code pass through. */
export function confineInvocation(invocation: AgentInvocation, confinement: Confinement): AgentInvocation {
  return {
    ...invocation,
    file: confinement.bwrap,
    args: [...bwrapMounts(confinement), '--', invocation.file, ...invocation.args],
    env: { ...invocation.env, TMPDIR: confinement.privateTmp },
  };
}
