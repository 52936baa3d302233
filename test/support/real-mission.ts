/**
 * Makes a mission on the REAL host the way a user does, from the same MissionSpec the simulated
 * host uses: `spec-kitty init` (init-template.ts), `agent mission create` (the host writes
 * meta.json and picks the slug), the spec, tasks and WP prompt files an agent would author, then
 * `agent mission finalize-tasks`. Also reads back what either host recorded as lane events.
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
import { applyInit } from './init-template.js';
import { git } from './temp-repo.js';

export interface RealMissionOptions {
  hostBin: string;
  /** Extra environment for the host (hostTestEnv(home)); SPECIFY_REPO_ROOT is added. */
  env: Readonly<Record<string, string>>;
}

export interface RealMission {
  /** The slug the host gave the mission (`<name>-<mid8>`): what every later call names. */
  slug: string;
  missionDir: string;
  /** What finalize-tasks printed (lanes, dependencies...). */
  finalize: Record<string, unknown>;
}

/**
 * In `repoRoot` (a git repository on a working branch, which becomes the mission's target):
 * init, create, the authored artifacts, finalize. The spec's slug gives the mission its name
 * (missionNameOf).
 */
export async function createRealMission(
  repoRoot: string,
  input: MissionSpecInput,
  options: RealMissionOptions,
): Promise<RealMission> {
  const spec = parseMissionSpec(input);
  const env = { ...options.env, SPECIFY_REPO_ROOT: repoRoot };
  await applyInit(repoRoot, options.hostBin);
  const created = await hostJson(options.hostBin, repoRoot, env, [
    'agent',
    'mission',
    'create',
    missionNameOf(spec.slug),
    '--json',
    '--friendly-name',
    spec.title,
    '--purpose-tldr',
    `Test mission ${spec.slug}`,
    '--purpose-context',
    `Made by the test suite with ${spec.workPackages.length} work packages.`,
    // 3.2.7 defaults to `coord`, on which accept-mission crashes; lanes is what both hosts share.
    '--topology',
    'lanes',
    ...(spec.targetBranch !== undefined ? ['--target-branch', spec.targetBranch] : []),
  ]);
  const slug = String(created.mission_slug);
  const missionDir = path.join(repoRoot, 'kitty-specs', slug);
  mkdirSync(path.join(missionDir, 'tasks'), { recursive: true });
  const requirement = (index: number) => `FR-${String(index + 1).padStart(3, '0')}`;

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
  git(repoRoot, 'commit', '-q', '-m', `Spec and tasks for ${slug}`);

  const finalize = await hostJson(options.hostBin, repoRoot, env, [
    'agent',
    'mission',
    'finalize-tasks',
    '--mission',
    slug,
    '--json',
  ]);
  // finalize-tasks commits its own output; commit anything it left behind so lanes start clean.
  if (git(repoRoot, 'status', '--porcelain', '--', 'kitty-specs') !== '') {
    git(repoRoot, 'add', '-A', 'kitty-specs');
    git(repoRoot, 'commit', '-q', '-m', `Finalize mission ${slug}`);
  }
  return { slug, missionDir, finalize };
}

/**
 * The name `agent mission create` gets for a spec slug: without a number (the host numbers
 * nothing) and without a mission id (it appends the one it draws): `001-demo` and
 * `demo-01KQ5Z3R` are both `demo`.
 */
export function missionNameOf(specSlug: string): string {
  return specSlug.replace(/^\d+-/, '').replace(/-[0-9A-HJKMNP-TV-Z]{8}$/, '');
}

/** Runs a host command that prints one JSON result; throws with what it printed otherwise. */
async function hostJson(
  hostBin: string,
  repoRoot: string,
  env: Readonly<Record<string, string>>,
  args: string[],
): Promise<Record<string, unknown>> {
  const result = await callHost(hostBin, repoRoot, args, env);
  const what = `spec-kitty ${args.slice(0, 3).join(' ')}`;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`${what} printed no JSON (exit ${result.exitCode}): ${result.stdout}\n${result.stderr}`);
  }
  if (result.exitCode !== 0 || parsed.result !== 'success') {
    throw new Error(`${what} failed (exit ${result.exitCode}): ${result.stdout}\n${result.stderr}`);
  }
  return parsed;
}

export interface NormalizedLaneEvent {
  wp_id: string;
  from_lane: string;
  to_lane: string;
  force: boolean;
  /** The note the lane change carried (`transition --note`, or the host's own reason). */
  reason: string | null;
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
      reason: typeof event.reason === 'string' ? event.reason : null,
    });
  }
  return events;
}

function kebab(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'work'
  );
}
