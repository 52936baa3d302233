/**
 * A project and mission made the way a user makes them: by the real host's own commands
 * (`spec-kitty init`, `agent mission create`, `setup-plan`, `finalize-tasks`), with the artifacts
 * an agent would author in between (spec, plan, tasks and WP prompt files in the host's
 * documented format). Nothing here writes meta.json, lanes.json or status files: the host does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { callHost } from './host-call.js';
import { git } from './temp-repo.js';

export interface HostMadeWp {
  id: string;
  title: string;
  /** The file the WP's implementer creates (the fake agent is scripted to write it). */
  file: string;
  dependencies: string[];
  requirement: string;
  subtask: string;
}

export interface HostMadeMission {
  /** The slug the host chose (`greeting-cli-<mid8>`). */
  slug: string;
  /** The branch the mission was planned on and merges back into. */
  targetBranch: string;
  /** What `agent mission create` decided (`coord` by default, `lanes` when asked). */
  topology: string;
  wps: HostMadeWp[];
}

export interface HostMadeOptions {
  hostBin: string;
  /** The host's environment (HOME and SPEC_KITTY_HOME in a temp dir, git identity). */
  env: Readonly<Record<string, string>>;
  /** `--topology` for `agent mission create`; the host's default when left out. */
  topology?: 'lanes' | 'coord' | 'single_branch';
}

export const GREETING_WPS: readonly HostMadeWp[] = [
  {
    id: 'WP01',
    title: 'Greeting',
    file: 'src/greet.sh',
    dependencies: [],
    requirement: 'FR-001',
    subtask: 'T001',
  },
  {
    id: 'WP02',
    title: 'Farewell',
    file: 'src/farewell.sh',
    dependencies: ['WP01'],
    requirement: 'FR-002',
    subtask: 'T002',
  },
];

/**
 * The first half of the user's path: the project layout, a working branch, `spec-kitty init` and
 * `agent mission create` (a mission in its design phase: spec not written yet).
 */
export async function createMissionScaffold(
  repoRoot: string,
  options: HostMadeOptions,
): Promise<{ slug: string; topology: string; targetBranch: string }> {
  const host = (args: string[]) => runHost(options, repoRoot, args);
  for (const dir of ['src', 'tests', 'docs']) {
    mkdirSync(path.join(repoRoot, dir), { recursive: true });
    writeFileSync(path.join(repoRoot, dir, 'README.md'), `# ${dir}\n`);
  }
  commitAll(repoRoot, 'Project layout');
  const targetBranch = 'feature/greeting';
  git(repoRoot, 'checkout', '-q', '-b', targetBranch);

  await host(['init', '--ai', 'claude', '--non-interactive']);
  commitAll(repoRoot, 'spec-kitty init');

  const created = jsonOf(
    'agent mission create',
    await host([
      'agent',
      'mission',
      'create',
      'greeting-cli',
      '--json',
      '--friendly-name',
      'Greeting CLI',
      '--purpose-tldr',
      'Greet and say goodbye from the shell',
      '--purpose-context',
      'Two tiny scripts, one per work package, the second building on the first.',
      ...(options.topology ? ['--topology', options.topology] : []),
    ]),
  );
  return { slug: String(created.mission_slug), topology: String(created.topology ?? ''), targetBranch };
}

/**
 * In `repoRoot` (a git repository with one commit on main): the layout a software project has
 * (src/, tests/, docs/: host 4.0's path conventions look for them), a working branch (both hosts
 * refuse planning commits on a protected main), then init, create, specify, plan, tasks.
 */
export async function makeMissionWithHostCommands(
  repoRoot: string,
  options: HostMadeOptions,
): Promise<HostMadeMission> {
  const host = (args: string[]) => runHost(options, repoRoot, args);
  const { slug, topology, targetBranch } = await createMissionScaffold(repoRoot, options);

  const missionDir = path.join(repoRoot, 'kitty-specs', slug);
  const wps = [...GREETING_WPS];

  writeFileSync(path.join(missionDir, 'spec.md'), specText(wps));
  commitAll(repoRoot, `Specify ${slug}`);

  jsonOf(
    'agent mission setup-plan',
    await host(['agent', 'mission', 'setup-plan', '--mission', slug, '--json']),
  );
  writeFileSync(path.join(missionDir, 'plan.md'), planText(wps));
  writeFileSync(path.join(missionDir, 'tasks.md'), tasksText(wps));
  mkdirSync(path.join(missionDir, 'contracts'), { recursive: true });
  writeFileSync(
    path.join(missionDir, 'contracts', 'README.md'),
    '# Contracts\n\nEach script prints one line.\n',
  );
  for (const wp of wps) {
    writeFileSync(path.join(missionDir, 'tasks', `${wp.id}-${wp.title.toLowerCase()}.md`), wpPromptText(wp));
  }
  commitAll(repoRoot, `Plan and tasks for ${slug}`);

  jsonOf(
    'agent mission finalize-tasks',
    await host(['agent', 'mission', 'finalize-tasks', '--mission', slug, '--json']),
  );
  // finalize-tasks commits its own output; anything it left (a snapshot) is committed too.
  commitAll(repoRoot, `Finalize ${slug}`);
  return { slug, targetBranch, topology, wps };
}

/** The user records each requirement's verdict (host 4.0 refuses acceptance while any is pending). */
export async function recordPassingVerdicts(
  repoRoot: string,
  mission: HostMadeMission,
  options: HostMadeOptions,
): Promise<void> {
  for (const wp of mission.wps) {
    jsonOf(
      'agent mission acceptance-verdict',
      await runHost(options, repoRoot, [
        'agent',
        'mission',
        'acceptance-verdict',
        '--mission',
        mission.slug,
        '--criterion',
        wp.requirement,
        '--result',
        'pass',
        '--actor',
        'journey-test',
        '--evidence',
        wp.file,
        '--json',
      ]),
      (record) => record.success === true,
    );
  }
  commitAll(repoRoot, `Acceptance verdicts for ${mission.slug}`);
}

async function runHost(options: HostMadeOptions, cwd: string, args: string[]) {
  const result = await callHost(options.hostBin, cwd, args, options.env);
  if (result.exitCode !== 0) {
    throw new Error(
      `spec-kitty ${args.slice(0, 3).join(' ')} failed (exit ${result.exitCode}):\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`,
    );
  }
  return result;
}

/** The JSON the host printed; `succeeded` says whether it reports success (commands differ in how). */
function jsonOf(
  what: string,
  result: { stdout: string; stderr: string },
  succeeded: (record: Record<string, unknown>) => boolean = (record) => record.result === 'success',
): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    throw new Error(`${what} printed no JSON: ${result.stdout.slice(0, 500)}\n${result.stderr.slice(-1000)}`);
  }
  const record = parsed as Record<string, unknown>;
  if (!succeeded(record)) throw new Error(`${what} did not succeed: ${result.stdout.slice(0, 2000)}`);
  return record;
}

function commitAll(repoRoot: string, message: string): void {
  git(repoRoot, 'add', '-A');
  if (git(repoRoot, 'status', '--porcelain') !== '') git(repoRoot, 'commit', '-q', '-m', message);
}

function specText(wps: readonly HostMadeWp[]): string {
  return [
    '# Greeting CLI',
    '',
    '## User Scenarios',
    '',
    'A user runs `src/greet.sh NAME` and is greeted; `src/farewell.sh NAME` says goodbye.',
    '',
    '## Functional Requirements',
    '',
    '| ID | Requirement |',
    '| --- | --- |',
    ...wps.map((wp) => `| ${wp.requirement} | ${wp.title}: \`${wp.file}\` prints one line |`),
    '',
    '## Success Criteria',
    '',
    '- Each script prints exactly one line.',
    '',
  ].join('\n');
}

function planText(wps: readonly HostMadeWp[]): string {
  return [
    '# Implementation Plan: Greeting CLI',
    '',
    '## Summary',
    '',
    'One POSIX shell script per requirement under `src/`.',
    '',
    '## Technical Context',
    '',
    '**Language/Version**: POSIX sh',
    '**Primary Dependencies**: none',
    '**Testing**: run each script once',
    '**Project Type**: single',
    '',
    '## Project Structure',
    '',
    '```',
    ...wps.map((wp) => wp.file),
    '```',
    '',
  ].join('\n');
}

function tasksText(wps: readonly HostMadeWp[]): string {
  return [
    '# Tasks: Greeting CLI',
    '',
    ...wps.flatMap((wp) => [
      `## ${wp.id} ${wp.title}`,
      '',
      `**Requirement Refs**: ${wp.requirement}`,
      ...(wp.dependencies.length > 0 ? [`**Dependencies**: ${wp.dependencies.join(', ')}`] : []),
      '',
      `- [ ] ${wp.subtask} Write ${wp.file} (${wp.id})`,
      '',
    ]),
  ].join('\n');
}

/** The frontmatter fields the host's tasks/README.md documents, plus the file the WP creates. */
function wpPromptText(wp: HostMadeWp): string {
  const list = (items: readonly string[]) => `[${items.map((item) => JSON.stringify(item)).join(', ')}]`;
  return [
    '---',
    `work_package_id: "${wp.id}"`,
    `title: "${wp.title}"`,
    `dependencies: ${list(wp.dependencies)}`,
    `requirement_refs: ${list([wp.requirement])}`,
    `subtasks: ${list([wp.subtask])}`,
    `owned_files: ${list([wp.file])}`,
    `create_intent: ${list([wp.file])}`,
    'authoritative_surface: "src/"',
    '---',
    '',
    `# Work Package Prompt: ${wp.id} – ${wp.title}`,
    '',
    `Write \`${wp.file}\`, a POSIX shell script that prints one line for the name in \`$1\`.`,
    '',
  ].join('\n');
}
