/**
 * What a test or demo says a mission looks like. The same spec builds a simulated mission
 * (createSimulatedMission) and a real-host mission (test/support/real-mission.ts), so both hosts
 * can be driven through identical steps.
 */
import { z } from 'zod';

const WP_ID = /^WP\d{2,}$/;
const SUBTASK_ID = /^T\d{3,}$/;

export const workPackageSpecSchema = z.object({
  id: z.string().regex(WP_ID, 'work package ids look like WP01'),
  title: z.string().min(1),
  dependencies: z.array(z.string().regex(WP_ID)).default([]),
  subtasks: z.array(z.string().regex(SUBTASK_ID, 'subtask ids look like T001')).default([]),
  /** The prompt body an agent receives (markdown, without frontmatter). */
  prompt: z.string().default(''),
  /** Files the WP owns; the real host computes lanes from these (distinct files = one lane per WP). */
  ownedFiles: z.array(z.string()).optional(),
});

export const missionSpecSchema = z
  .object({
    /**
     * The folder name the host knows the mission by: numbered as older hosts made them
     * (`001-demo`), or named with the mission id as `agent mission create` makes them
     * (`demo-01KQ5Z3R`).
     */
    slug: z
      .string()
      .regex(
        /^(\d{3}-[a-z0-9][a-z0-9-]*|[a-z0-9][a-z0-9-]*-[0-9A-HJKMNP-TV-Z]{8})$/,
        'mission slugs look like 001-demo or demo-01KQ5Z3R',
      ),
    title: z.string().min(1),
    workPackages: z.array(workPackageSpecSchema).min(1),
    /** Branch the mission lands on; defaults to the branch checked out at creation time. */
    targetBranch: z.string().optional(),
  })
  .superRefine((spec, ctx) => {
    const ids = new Set<string>();
    const subtaskIds = new Set<string>();
    for (const wp of spec.workPackages) {
      if (ids.has(wp.id)) ctx.addIssue({ code: 'custom', message: `duplicate work package ${wp.id}` });
      ids.add(wp.id);
      for (const t of wp.subtasks) {
        if (subtaskIds.has(t))
          ctx.addIssue({ code: 'custom', message: `subtask ${t} appears in two work packages` });
        subtaskIds.add(t);
      }
    }
    for (const wp of spec.workPackages) {
      for (const dep of wp.dependencies) {
        if (!ids.has(dep)) ctx.addIssue({ code: 'custom', message: `${wp.id} depends on unknown ${dep}` });
        if (dep === wp.id) ctx.addIssue({ code: 'custom', message: `${wp.id} depends on itself` });
      }
    }
    if (hasCycle(spec.workPackages))
      ctx.addIssue({ code: 'custom', message: 'work package dependencies form a cycle' });
  });

export type MissionSpecInput = z.input<typeof missionSpecSchema>;
export type MissionSpec = z.output<typeof missionSpecSchema>;
export type WorkPackageSpec = z.output<typeof workPackageSpecSchema>;

/** Validates a spec and fills defaults; throws a readable error for a malformed spec. */
export function parseMissionSpec(input: MissionSpecInput): MissionSpec {
  const result = missionSpecSchema.safeParse(input);
  if (!result.success) {
    throw new Error(`invalid mission spec: ${result.error.issues.map((i) => i.message).join('; ')}`);
  }
  return result.data;
}

/** Owned files default to one distinct file per WP so the real host puts every WP in its own lane. */
export function ownedFilesOf(wp: WorkPackageSpec): string[] {
  return wp.ownedFiles ?? [`src/${wp.id.toLowerCase()}.txt`];
}

function hasCycle(wps: readonly { id: string; dependencies: readonly string[] }[]): boolean {
  const deps = new Map(wps.map((wp) => [wp.id, wp.dependencies]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string): boolean => {
    const seen = state.get(id);
    if (seen === 'done') return false;
    if (seen === 'visiting') return true;
    state.set(id, 'visiting');
    for (const dep of deps.get(id) ?? []) if (visit(dep)) return true;
    state.set(id, 'done');
    return false;
  };
  return wps.some((wp) => visit(wp.id));
}
