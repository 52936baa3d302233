/**
 * What `spec-kitty init` makes, made once per host version and laid into each test repository.
 *
 * `init` costs 13 s on 3.2.7 (more on 4.0): too much to run in each of the suite's real-host
 * repositories. The global setup runs it once per pinned host in an empty repository and keeps
 * what it wrote: the files of the working tree and the git config it added (its merge drivers).
 * A test repository receives exactly those, committed as "spec-kitty init", which is the state a
 * user's project is in after running init. Outside the test run (the bench), the template is
 * made on first use in the ignored cache.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { callHost } from './host-call.js';
import { createTempRepo, GIT_TEST_ENV, git, hostTestEnv } from './temp-repo.js';
import { initTemplates, TEMPLATE_HOME } from './warm-home.js';

/** Bumped when what a template holds changes (a cached template of another format is remade). */
const TEMPLATE_FORMAT = '2';
const FILES = 'files';
const GIT_CONFIG = 'git-config';
const STAMP = 'complete';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Makes (or reuses, when `dir` already holds a complete one for the same format) the template of
 * `hostBin`'s init in `dir`.
 */
export async function ensureInitTemplate(hostBin: string, dir: string): Promise<void> {
  const stamp = path.join(dir, STAMP);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === `${TEMPLATE_FORMAT} ${hostBin}\n`) return;
  // Built beside `dir` and renamed into place: a concurrent builder never sees half a template.
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const repo = createTempRepo('sko-init-template-');
  try {
    const home = path.join(repo.root, '.git', 'template-home');
    const before = gitConfigText(repo.root);
    await runInit(hostBin, repo.root, { ...hostTestEnv(home, undefined), ...GIT_TEST_ENV });
    const after = gitConfigText(repo.root);
    if (!after.startsWith(before)) {
      throw new Error(`spec-kitty init rewrote .git/config instead of adding to it:\n${after}`);
    }
    mkdirSync(building, { recursive: true });
    cpSync(repo.root, path.join(building, FILES), {
      recursive: true,
      filter: (source) => path.relative(repo.root, source).split(path.sep)[0] !== '.git',
    });
    writeFileSync(path.join(building, GIT_CONFIG), after.slice(before.length));
    // The HOME init started in: test HOMEs start as a copy of it (warm-home.ts).
    cpSync(home, path.join(building, TEMPLATE_HOME), { recursive: true });
    writeFileSync(path.join(building, STAMP), `${TEMPLATE_FORMAT} ${hostBin}\n`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.dirname(dir), { recursive: true });
    renameSync(building, dir);
  } finally {
    repo.cleanup();
    rmSync(building, { recursive: true, force: true });
  }
}

/**
 * Puts `spec-kitty init`'s output into `repoRoot` and commits it, unless the repository is
 * initialised already (a second mission in one project).
 */
export async function applyInit(repoRoot: string, hostBin: string): Promise<void> {
  if (existsSync(path.join(repoRoot, '.kittify', 'config.yaml'))) return;
  const dir = await templateDirFor(hostBin);
  cpSync(path.join(dir, FILES), repoRoot, { recursive: true });
  const config = path.join(repoRoot, '.git', 'config');
  writeFileSync(config, `${readFileSync(config, 'utf8')}${readFileSync(path.join(dir, GIT_CONFIG), 'utf8')}`);
  git(repoRoot, 'add', '-A');
  git(repoRoot, 'commit', '-q', '-m', 'spec-kitty init');
}

/** The global setup's template for this host, or one made now in the cache (bench runs). */
async function templateDirFor(hostBin: string): Promise<string> {
  const made = initTemplates()[hostBin];
  if (made !== undefined && existsSync(path.join(made, STAMP))) return made;
  const id = createHash('sha256').update(hostBin).digest('hex').slice(0, 12);
  const dir = path.join(ROOT, '.cache', 'init-templates', `bin-${id}`);
  await ensureInitTemplate(hostBin, dir);
  return dir;
}

async function runInit(hostBin: string, cwd: string, env: Readonly<Record<string, string>>) {
  const result = await callHost(hostBin, cwd, ['init', '--ai', 'claude', '--non-interactive'], env);
  if (result.exitCode !== 0) {
    throw new Error(
      `spec-kitty init failed (exit ${result.exitCode}):\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`,
    );
  }
}

function gitConfigText(repoRoot: string): string {
  return readFileSync(path.join(repoRoot, '.git', 'config'), 'utf8');
}
