/**
 * The parts of a persisted mission snapshot that `status` reads, checked with zod. The snapshot
 * belongs to the machines (its envelope is validated by the persistence layer, its inside only
 * loosely), so every field here is lenient: a snapshot from another machine version still shows
 * what can be read, and what cannot is named instead of crashing.
 */
import { z } from 'zod';
import { laneSchema } from '../../host/schemas.js';

const errorInfoSchema = z.looseObject({ code: z.string().catch('UNKNOWN'), message: z.string().catch('') });

const usageSchema = z.looseObject({
  inputTokens: z.number().catch(0),
  outputTokens: z.number().catch(0),
  costUsd: z.number().catch(0),
});

const agentsSchema = z.looseObject({
  implementation: z.array(z.string()).catch([]),
  review: z.array(z.string()).catch([]),
});

export const persistedWpOutputSchema = z.looseObject({
  wpId: z.string(),
  outcome: z.enum(['done', 'blocked', 'failed']),
  reason: z.string().optional(),
  errorCode: z.string().optional(),
  lane: laneSchema,
  agents: agentsSchema,
  attempts: z.looseObject({ implementation: z.number().catch(0), review: z.number().catch(0) }),
  reviewCycles: z.number().catch(0),
  usage: usageSchema,
  durationMs: z.number().catch(0),
  logPaths: z.array(z.string()).catch([]),
  lastError: errorInfoSchema.optional(),
});
export type PersistedWpOutput = z.infer<typeof persistedWpOutputSchema>;

const roleStateSchema = z.looseObject({
  agentIndex: z.number(),
  attempt: z.number(),
  agentsTried: z.array(z.string()).catch([]),
  runs: z.number().catch(0),
});

export const persistedWpContextSchema = z.looseObject({
  wpId: z.string(),
  lane: laneSchema,
  config: z.looseObject({ agents: agentsSchema, singleAgentMode: z.boolean().catch(false) }),
  implementation: roleStateSchema,
  review: roleStateSchema,
  reviewCycle: z.number().catch(0),
  lastFailure: z
    .looseObject({
      role: z.string(),
      agent: z.string(),
      attempt: z.number(),
      kind: z.string(),
      message: z.string(),
    })
    .nullable()
    .catch(null),
  blockReason: z.string().nullable().catch(null),
  lastError: errorInfoSchema.nullable().catch(null),
  logPaths: z.array(z.string()).catch([]),
  usage: usageSchema,
  firstSeenAt: z.number().nullable().catch(null),
  lastSeenAt: z.number().nullable().catch(null),
  retryDeadline: z.number().nullable().catch(null),
});
export type PersistedWpContext = z.infer<typeof persistedWpContextSchema>;

export const persistedWpChildSchema = z.looseObject({
  snapshot: z.looseObject({
    status: z.string(),
    value: z.unknown(),
    context: persistedWpContextSchema,
  }),
});
export type PersistedWpChild = z.infer<typeof persistedWpChildSchema>;

export const persistedMissionSchema = z.looseObject({
  status: z.string(),
  value: z.unknown(),
  context: z.looseObject({
    mission: z.string(),
    wpOrder: z.array(z.string()).catch([]),
    known: z.record(z.string(), z.looseObject({ lane: laneSchema })).catch({}),
    inFlight: z.array(z.string()).catch([]),
    results: z.record(z.string(), z.unknown()).catch({}),
    status: z.string().nullable().catch(null),
    summary: z.string().nullable().catch(null),
    error: errorInfoSchema.nullable().catch(null),
    accepted: z.boolean().nullable().catch(null),
    stalledWps: z
      .array(z.looseObject({ wpId: z.string(), lane: laneSchema, reason: z.string() }))
      .nullable()
      .catch(null),
  }),
  children: z.record(z.string(), z.unknown()).catch({}),
});
export type PersistedMission = z.infer<typeof persistedMissionSchema>;
