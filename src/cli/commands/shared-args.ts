/** Argument groups shared by several commands, so every command spells them the same way. */
import type { ArgsDef } from 'citty';

export const repoRootArg = {
  'repo-root': {
    type: 'string',
    description: 'Repository root (default: the nearest parent folder holding .kittify/)',
    valueHint: 'path',
  },
} as const satisfies ArgsDef;

/** For commands that default to the mission of the recorded run (see missionFromArgOrRun). */
export const missionOptionArg = {
  mission: {
    type: 'string',
    description: 'Mission slug (default: the mission of the recorded run)',
    valueHint: 'slug',
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

export const agentOverrideArgs = {
  'impl-agent': {
    type: 'string',
    description: 'Implementation agent (replaces the configured fallback list)',
    valueHint: 'id',
  },
  'review-agent': {
    type: 'string',
    description: 'Review agent (replaces the configured fallback list)',
    valueHint: 'id',
  },
  'max-concurrent': {
    type: 'string',
    description: 'Work packages running at the same time (default 4)',
    valueHint: 'n',
  },
} as const satisfies ArgsDef;

export const eventLogArg = {
  'event-log': {
    type: 'string',
    description: 'Append the JSONL event stream to this file',
    valueHint: 'file',
  },
} as const satisfies ArgsDef;

/** The config overrides the agent flags ask for (undefined flags leave the config alone). */
export function agentOverrides(args: {
  'impl-agent'?: string | undefined;
  'review-agent'?: string | undefined;
  'max-concurrent'?: string | undefined;
}) {
  return {
    ...(args['impl-agent'] === undefined ? {} : { implAgent: args['impl-agent'] }),
    ...(args['review-agent'] === undefined ? {} : { reviewAgent: args['review-agent'] }),
    ...(args['max-concurrent'] === undefined ? {} : { maxConcurrent: args['max-concurrent'] }),
  };
}
