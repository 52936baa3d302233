/** Finds the spec-kitty project the user means: the given folder, or the nearest parent with .kittify/. */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../cli-error.js';
import { EXIT } from '../exit-codes.js';

function hasKittify(dir: string): boolean {
  try {
    return statSync(path.join(dir, '.kittify')).isDirectory();
  } catch {
    return false;
  }
}

export function resolveRepoRoot(given: string | undefined, cwd = process.cwd()): string {
  if (given !== undefined) {
    const root = path.resolve(cwd, given);
    if (!existsSync(root)) {
      throw new CliError(
        `--repo-root ${given}: no such folder`,
        EXIT.usage,
        'pass the path of a spec-kitty project',
      );
    }
    if (!hasKittify(root)) {
      throw new CliError(
        `${root} is not a spec-kitty project (it has no .kittify/ folder)`,
        EXIT.environment,
        'run `spec-kitty init` there first, or pass the project folder with --repo-root',
      );
    }
    return root;
  }
  let dir = path.resolve(cwd);
  for (;;) {
    if (hasKittify(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new CliError(
    `not inside a spec-kitty project: no .kittify/ folder in ${cwd} or any parent`,
    EXIT.environment,
    'cd into the project, or pass it with --repo-root <path>',
  );
}
