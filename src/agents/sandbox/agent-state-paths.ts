/**
 * Where each agent CLI keeps its own state (pure). Inside the sandbox these stay writable:
 * sessions, settings, caches, logs and refreshed logins live there, and a CLI that cannot write
 * them refuses to start or loses the user's login. Found by running each pinned CLI under the
 * sandbox (test/real-agents) and reading its source. bubblewrap can only bind what exists: the
 * places a CLI writes on every run are created before the run when missing; the others are bound
 * only when they exist.
 */
import path from 'node:path';
import type { AgentId } from '../types.js';

/** A folder or file under $HOME, or a CLI's folder under one of the XDG base folders. */
export type StatePlace = string | { xdg: 'config' | 'data' | 'state' | 'cache'; name: string };

export interface AgentStatePaths {
  /** Created when missing (folders). */
  created: readonly StatePlace[];
  /** Bound when they exist (folders or files). */
  existing: readonly StatePlace[];
}

/** All four XDG folders of a CLI named `name`. */
function xdgAll(name: string): StatePlace[] {
  return (['config', 'data', 'state', 'cache'] as const).map((xdg) => ({ xdg, name }));
}

export const AGENT_STATE_PATHS: Readonly<Record<AgentId, AgentStatePaths>> = {
  'claude-code': {
    created: ['.claude'],
    existing: ['.claude.json', '.claude.json.backup', ...xdgAll('claude')],
  },
  codex: { created: ['.codex'], existing: [] },
  copilot: { created: ['.copilot'], existing: xdgAll('github-copilot') },
  gemini: { created: ['.gemini'], existing: [] },
  qwen: { created: ['.qwen'], existing: [] },
  // opencode and Kilo (its fork) write their database, logs, cache and state under all four.
  opencode: { created: xdgAll('opencode'), existing: [] },
  // Kilo 7.7 also keeps its tool-sandbox policy beside its state folder (written at every start).
  kilocode: {
    created: [...xdgAll('kilo'), { xdg: 'state', name: 'kilo-sandbox-policy' }],
    existing: ['.kilocode', ...xdgAll('kilocode')],
  },
  augment: { created: ['.augment'], existing: [] },
  cursor: { created: ['.cursor'], existing: xdgAll('cursor-agent') },
  pi: { created: ['.pi'], existing: [] },
  letta: { created: ['.letta'], existing: [] },
};

const XDG_DEFAULTS = {
  config: ['XDG_CONFIG_HOME', '.config'],
  data: ['XDG_DATA_HOME', '.local/share'],
  state: ['XDG_STATE_HOME', '.local/state'],
  cache: ['XDG_CACHE_HOME', '.cache'],
} as const;

/** The absolute path of a place, for the agent's $HOME and environment (XDG_*_HOME win). */
export function resolveStatePlace(
  place: StatePlace,
  home: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (typeof place === 'string') return path.join(home, place);
  const [variable, fallback] = XDG_DEFAULTS[place.xdg];
  const base = env[variable];
  return path.join(base && path.isAbsolute(base) ? base : path.join(home, fallback), place.name);
}
