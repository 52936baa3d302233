/**
 * Builds a mission the REAL host (spec-kitty-cli 3.2.7) accepts, from the same MissionSpec the
 * simulated host uses, and reads back what either host recorded as lane events.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import {
  type MissionSpecInput,
  ownedFilesOf,
  parseMissionSpec,
} from '../../src/host/simulated/mission-spec.js';
import { missionPaths } from '../../src/host/simulated/paths.js';
import { callHost } from './host-call.js';
import { git } from './temp-repo.js';

export interface RealMissionOptions {
  hostBin: string;
  /** Extra environment for the host (hostTestEnv(home)); SPECIFY_REPO_ROOT is added. */
  env: Readonly<Record<string, string>>;
}

export interface RealMission {
  slug: string;
  missionDir: string;
  /** What finalize-tasks printed (lanes, dependencies...). */
  finalize: Record<string, unknown>;
}

/** Writes kitty-specs/<slug>/ for the spec, commits it and runs `agent mission finalize-tasks`. */
export async function createRealMission(
  repoRoot: string,
  input: MissionSpecInput,
  options: RealMissionOptions,
): Promise<RealMission> {
  const spec = parseMissionSpec(input);
  const targetBranch = spec.targetBranch ?? git(repoRoot, 'symbolic-ref', '--short', 'HEAD');
  const missionDir = path.join(repoRoot, 'kitty-specs', spec.slug);
  mkdirSync(path.join(missionDir, 'tasks'), { recursive: true });
  mkdirSync(path.join(repoRoot, '.kittify'), { recursive: true });
  const requirement = (index: number) => `FR-${String(index + 1).padStart(3, '0')}`;

  // accept-mission rewrites meta.json and crashes (traceback, no JSON) unless created_at,
  // friendly_name and slug are present.
  writeJson(path.join(missionDir, 'meta.json'), {
    mission_slug: spec.slug,
    slug: spec.slug,
    friendly_name: spec.title,
    mission_number: spec.slug.split('-')[0],
    mission_type: 'software-dev',
    title: spec.title,
    target_branch: targetBranch,
    created_at: new Date().toISOString(),
  });
  writeFileSync(
    path.join(missionDir, 'spec.md'),
    [
      `# ${spec.title}`,
      '',
      '## Functional Requirements',
      '',
      '| ID | Requirement |',
      '| --- | --- |',
      ...spec.workPackages.map((wp, index) => `| ${requirement(index)} | ${wp.title} |`),
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(missionDir, 'tasks.md'),
    [
      `# Tasks: ${spec.title}`,
      '',
      ...spec.workPackages.flatMap((wp, index) => [
        `## ${wp.id} ${wp.title}`,
        '',
        `**Requirement Refs**: ${requirement(index)}`,
        '',
        ...wp.subtasks.map((id) => `- [ ] ${id} ${wp.title} (${id})`),
        '',
      ]),
    ].join('\n'),
  );
  spec.workPackages.forEach((wp, index) => {
    const frontmatter = toYaml({
      work_package_id: wp.id,
      title: wp.title,
      lane: 'planned',
      dependencies: wp.dependencies,
      requirement_refs: [requirement(index)],
      subtasks: wp.subtasks,
      owned_files: ownedFilesOf(wp),
      create_intent: ownedFilesOf(wp),
      authoritative_surface: 'src/',
      agent: null,
    });
    const body = wp.prompt.trim() === '' ? `# ${wp.id} ${wp.title}\n` : `${wp.prompt.trimEnd()}\n`;
    writeFileSync(
      path.join(missionDir, 'tasks', `${wp.id}-${kebab(wp.title)}.md`),
      `---\n${frontmatter}---\n${body}`,
    );
  });
  git(repoRoot, 'add', '-A', 'kitty-specs');
  git(repoRoot, 'commit', '-q', '-m', `Add mission ${spec.slug}`);

  const env = { ...options.env, SPECIFY_REPO_ROOT: repoRoot };
  const result = await callHost(
    options.hostBin,
    repoRoot,
    ['agent', 'mission', 'finalize-tasks', '--mission', spec.slug, '--json'],
    env,
  );
  let finalize: Record<string, unknown>;
  try {
    finalize = JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(
      `finalize-tasks printed no JSON (exit ${result.exitCode}): ${result.stdout}\n${result.stderr}`,
    );
  }
  if (result.exitCode !== 0 || finalize.result !== 'success') {
    throw new Error(`finalize-tasks failed (exit ${result.exitCode}): ${result.stdout}\n${result.stderr}`);
  }
  // finalize-tasks commits its own output; commit anything it left behind so lanes start clean.
  if (git(repoRoot, 'status', '--porcelain', '--', 'kitty-specs') !== '') {
    git(repoRoot, 'add', '-A', 'kitty-specs');
    git(repoRoot, 'commit', '-q', '-m', `Finalize mission ${spec.slug}`);
  }
  return { slug: spec.slug, missionDir, finalize };
}

export interface NormalizedLaneEvent {
  wp_id: string;
  from_lane: string;
  to_lane: string;
  force: boolean;
}

/** Lane events of the real host (kitty-specs/<slug>/status.events.jsonl), annotations left out. */
export function readRealLaneEvents(repoRoot: string, slug: string): NormalizedLaneEvent[] {
  return normalizeLaneEvents(path.join(repoRoot, 'kitty-specs', slug, 'status.events.jsonl'));
}

/** Lane events of the simulated host (.kittify/simulated-host/<slug>.events.jsonl). */
export function readSimulatedLaneEvents(repoRoot: string, slug: string): NormalizedLaneEvent[] {
  return normalizeLaneEvents(missionPaths(repoRoot, slug).eventsFile);
}

function normalizeLaneEvents(file: string): NormalizedLaneEvent[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const events: NormalizedLaneEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const event = JSON.parse(line) as Record<string, unknown>;
    // The real log also holds mission events (event_type) and annotations (kind): lane moves only.
    if (
      typeof event.wp_id !== 'string' ||
      typeof event.from_lane !== 'string' ||
      typeof event.to_lane !== 'string'
    ) {
      continue;
    }
    events.push({
      wp_id: event.wp_id,
      from_lane: event.from_lane,
      to_lane: event.to_lane,
      force: event.force === true,
    });
  }
  return events;
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function kebab(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'work'
  );
}
