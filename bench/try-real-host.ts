/**
 * A first run against the REAL spec-kitty host, for a new user: a temporary git repository
 * with a two-WP mission (WP02 depends on WP01), fake agents that really edit and commit, and
 * the built CLI run in the foreground so the live view shows. WP01's first review asks for
 * changes, so one rework cycle is part of the tour.
 *
 *   npm run try:real            (installs the pinned host into .cache/host-venv if needed)
 *   ... -- --keep               keep the repository afterwards to look around
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBenchProject, projectRoot } from './project.js';
import { createScenario, fakeAgentScenario } from './scenarios.js';

const keep = process.argv.includes('--keep');
const scenario = createScenario({ shape: 'chain', wps: 2 });
scenario.rejectedOnce.add('WP01');
const project = await createBenchProject({ host: 'real', scenario, concurrency: 2, agentMs: 1500 });
writeFileSync(project.env.FAKE_AGENT_SCENARIO ?? '', JSON.stringify(fakeAgentScenario(scenario, 1500)));
process.stderr.write(
  `project: ${project.root}\nmission: ${project.mission} (real host: ${project.env.SPEC_KITTY_BIN})\n\n`,
);

const cli = path.join(projectRoot(), 'dist', 'cli', 'main.js');
const run = spawnSync(process.execPath, [cli, 'orchestrate', '--mission', project.mission], {
  cwd: project.root,
  env: { ...project.env, CI: '' },
  stdio: 'inherit',
});
if (keep) {
  process.stderr.write(
    `\nkept ${project.root}: try \`node ${cli} status --repo-root ${project.root}\` and \`git -C ${project.root} log --all --oneline\`\n`,
  );
} else {
  project.cleanup();
}
process.exitCode = run.status ?? 1;
