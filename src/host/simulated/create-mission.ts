/**
 * Writes a simulated mission from a MissionSpec: the mission document, its event log seeded with
 * the same `genesis -> planned` bootstrap events the real host's finalize-tasks writes, and one
 * prompt file per WP with YAML frontmatter like the real host's WP prompt files. Lanes: one per
 * WP (lane-a, lane-b, ... in WP order), depending on the lanes of the WP's dependencies.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { newEventId, nowIso } from './commands/context.js';
import { gitOrThrow } from './git.js';
import {
  type MissionSpecInput,
  ownedFilesOf,
  parseMissionSpec,
  type WorkPackageSpec,
} from './mission-spec.js';
import { appendEvents, lockMission, readMission, writeAtomically, writeMission } from './mission-store.js';
import { type LaneEvent, missionNumberOf, type StoredLane, type StoredMission } from './model.js';
import { missionBranchName, missionPaths } from './paths.js';

export class MissionExistsError extends Error {
  constructor(readonly slug: string) {
    super(`a simulated mission '${slug}' already exists in this repository`);
    this.name = 'MissionExistsError';
  }
}

export interface CreatedSimulatedMission {
  slug: string;
  missionFile: string;
  eventsFile: string;
  promptPaths: Record<string, string>;
}

export async function createSimulatedMission(
  repoRoot: string,
  input: MissionSpecInput,
): Promise<CreatedSimulatedMission> {
  const spec = parseMissionSpec(input);
  const targetBranch = spec.targetBranch ?? (await gitOrThrow(repoRoot, ['symbolic-ref', '--short', 'HEAD']));
  const paths = missionPaths(repoRoot, spec.slug);
  await mkdir(paths.tasksDir, { recursive: true });

  return lockMission(repoRoot, spec.slug, async () => {
    if (await readMission(repoRoot, spec.slug)) throw new MissionExistsError(spec.slug);
    const lanes = lanesFor(spec.workPackages);
    const laneOfWp = new Map(lanes.flatMap((lane) => lane.wp_ids.map((id) => [id, lane.lane_id] as const)));
    const promptPaths: Record<string, string> = {};
    for (const wp of spec.workPackages) {
      const file = path.join(paths.tasksDir, `${wp.id}.md`);
      await writeAtomically(file, promptFile(wp));
      promptPaths[wp.id] = file;
    }
    const mission: StoredMission = {
      format: 1,
      mission_slug: spec.slug,
      mission_number: missionNumberOf(spec.slug),
      mission_type: 'software-dev',
      title: spec.title,
      target_branch: targetBranch,
      mission_branch: missionBranchName(spec.slug),
      created_at: nowIso(),
      work_packages: spec.workPackages.map((wp) => ({
        wp_id: wp.id,
        title: wp.title,
        dependencies: wp.dependencies,
        subtasks: Object.fromEntries(wp.subtasks.map((id) => [id, 'planned' as const])),
        subtask_order: wp.subtasks,
        lane: 'planned',
        prompt_path: path.relative(repoRoot, promptPaths[wp.id] ?? ''),
        lane_id: laneOfWp.get(wp.id) ?? 'lane-a',
        current_actor: null,
      })),
      lanes,
      acceptance: null,
    };
    await writeMission(repoRoot, mission);
    await appendEvents(
      repoRoot,
      spec.slug,
      spec.workPackages.map((wp) => bootstrapEvent(spec.slug, wp.id)),
    );
    return { slug: spec.slug, missionFile: paths.missionFile, eventsFile: paths.eventsFile, promptPaths };
  });
}

function lanesFor(wps: readonly WorkPackageSpec[]): StoredLane[] {
  const laneIds = new Map(wps.map((wp, index) => [wp.id, `lane-${laneLetters(index)}`]));
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const wp = wps.find((candidate) => candidate.id === id);
    const value = wp && wp.dependencies.length > 0 ? 1 + Math.max(...wp.dependencies.map(depthOf)) : 0;
    depth.set(id, value);
    return value;
  };
  return wps.map((wp) => ({
    lane_id: laneIds.get(wp.id) ?? 'lane-a',
    wp_ids: [wp.id],
    depends_on_lanes: wp.dependencies.map((dep) => laneIds.get(dep) ?? '').filter((id) => id !== ''),
    parallel_group: depthOf(wp.id),
  }));
}

/** a..z, then aa, ab, ... */
function laneLetters(index: number): string {
  let n = index;
  let letters = '';
  do {
    letters = String.fromCharCode(97 + (n % 26)) + letters;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return letters;
}

function promptFile(wp: WorkPackageSpec): string {
  const frontmatter = toYaml({
    work_package_id: wp.id,
    title: wp.title,
    dependencies: wp.dependencies,
    subtasks: wp.subtasks,
    lane: 'planned',
    owned_files: ownedFilesOf(wp),
    agent: null,
  });
  const body = wp.prompt.trim() === '' ? `# ${wp.id} ${wp.title}\n` : `${wp.prompt.trimEnd()}\n`;
  return `---\n${frontmatter}---\n${body}`;
}

function bootstrapEvent(slug: string, wpId: string): LaneEvent {
  return {
    actor: 'finalize-tasks',
    at: nowIso(),
    event_id: newEventId(),
    evidence: null,
    execution_mode: 'worktree',
    force: false,
    from_lane: 'genesis',
    mission_slug: slug,
    policy_metadata: null,
    reason: 'canonical bootstrap',
    review_ref: null,
    to_lane: 'planned',
    wp_id: wpId,
  };
}
