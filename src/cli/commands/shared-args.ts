/** Argument groups shared by several commands, so every command spells them the same way. */
import type { ArgsDef } from 'citty';

export const repoRootArg = {
  'repo-root': {
    type: 'string',
    description: 'Repository root (default: the nearest parent folder holding .kittify/)',
    valueHint: 'path',
  },
} as const satisfies ArgsDef;

export const jsonArg = {
  json: { type: 'boolean', description: 'Machine-readable output on stdout (JSON / JSONL)', default: false },
} as const satisfies ArgsDef;

export const debugArg = {
  debug: { type: 'boolean', description: 'Show stack traces and debug logs', default: false },
} as const satisfies ArgsDef;

export const actorArg = {
  actor: {
    type: 'string',
    description: 'Actor name recorded with the host for every claim and transition',
    default: 'spec-kitty-orchestrator',
    valueHint: 'id',
  },
} as const satisfies ArgsDef;
