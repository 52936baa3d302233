/**
 * Which agents are installed: binary on PATH plus its `--version`. The only file of the agent
 * layer with side effects (file system and child processes); adapters stay pure.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { AGENTS } from './registry.js';
import { AGENT_IDS, type AgentId } from './types.js';

export interface AgentDetection {
  id: AgentId;
  binary: string;
  installed: boolean;
  /** Absolute path of the binary that would run. */
  path: string | null;
  /** The version line of `<binary> --version` (versionLine); null when it failed or timed out. */
  version: string | null;
  /** The command prefix to start the agent with (InvocationRequest.launcher); null when not installed. */
  launcher: string[] | null;
  /** How it was found; 'gh-extension' only for Copilot through the GitHub CLI. */
  via: 'binary' | 'gh-extension' | null;
}

export interface DetectOptions {
  env?: NodeJS.ProcessEnv;
  /** Directories to search instead of env.PATH. */
  pathDirs?: readonly string[];
  /** Only these agents (all by default). */
  agents?: readonly AgentId[];
  versionTimeoutMs?: number;
}

/**
 * Large Node CLIs (gemini-cli) take 1-2 s to print their version on a quiet 2-core machine, over
 * 5 s on a loaded one, and more than 15 s at a load average of 6 (CI, 2026-12-03: gemini's version
 * was missed); a missed version only costs a line, but it must not be missed for want of patience.
 * The probes run in parallel with the host's start-up reads, so this bounds start-up once.
 */
const DEFAULT_VERSION_TIMEOUT_MS = 30_000;
const MAX_VERSION_CHARS = 200;

function searchDirs(options: DetectOptions): string[] {
  if (options.pathDirs) return [...options.pathDirs];
  const env = options.env ?? process.env;
  const pathValue = env.PATH ?? env.Path ?? '';
  return pathValue.split(path.delimiter).filter((dir) => dir !== '');
}

function isExecutableFile(candidate: string): boolean {
  try {
    if (!statSync(candidate).isFile()) return false;
    accessSync(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable named `binary` in `dirs`, like `command -v`. */
export function findOnPath(binary: string, dirs: readonly string[]): string | null {
  const extensions = process.platform === 'win32' ? ['', '.exe', '.cmd', '.bat'] : [''];
  for (const dir of dirs) {
    for (const extension of extensions) {
      const candidate = path.resolve(dir, binary + extension);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

async function run(file: string, args: string[], options: DetectOptions): Promise<string | null> {
  // The probe runs with the caller's environment: `file` is absolute already, and the binary may
  // itself need PATH (a node script needs node).
  const env = options.env ?? process.env;
  try {
    const result = await execa(file, args, {
      env,
      extendEnv: false,
      stdin: 'ignore',
      timeout: options.versionTimeoutMs ?? DEFAULT_VERSION_TIMEOUT_MS,
      forceKillAfterDelay: 1000,
      reject: false,
      all: true,
      maxBuffer: 1024 * 1024,
    });
    if (result.exitCode !== 0 || result.timedOut) return null;
    return typeof result.all === 'string' ? result.all : null;
  } catch {
    return null;
  }
}

/**
 * The line of `--version` output that names the version: the first with a dotted number, else the
 * first non-empty one. Not simply the first line: on its first start after an install or update,
 * copilot prints `Package extraction took 9241ms` before its version (seen in CI).
 */
export function versionLine(text: string | null): string | null {
  const lines = (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const line = lines.find((l) => /\d+\.\d+/.test(l)) ?? lines[0];
  return line ? line.slice(0, MAX_VERSION_CHARS) : null;
}

async function detectOne(
  id: AgentId,
  dirs: readonly string[],
  options: DetectOptions,
): Promise<AgentDetection> {
  const adapter = AGENTS[id];
  // A renamed CLI keeps its old name as an alias for a while: the adapter's name first, then the others.
  const names = [adapter.binary, ...(adapter.altBinaries ?? [])];
  const binary = names.find((name) => findOnPath(name, dirs) !== null);
  const found = binary === undefined ? null : findOnPath(binary, dirs);
  if (binary !== undefined && found) {
    const version = versionLine(await run(found, ['--version'], options));
    return {
      id,
      binary,
      installed: true,
      path: found,
      version,
      launcher: [found],
      via: 'binary',
    };
  }
  if (id === 'copilot') {
    // Fallback: the GitHub CLI with the copilot extension, launched as `gh copilot <args>`.
    // The old gh-copilot extension only had suggest/explain; newer gh releases forward to the
    // Copilot CLI agent. We accept it when `gh extension list` names copilot.
    const gh = findOnPath('gh', dirs);
    if (gh) {
      const extensions = await run(gh, ['extension', 'list'], options);
      if (extensions && /copilot/i.test(extensions)) {
        const version = versionLine(await run(gh, ['copilot', '--version'], options));
        return {
          id,
          binary: 'gh',
          installed: true,
          path: gh,
          version,
          launcher: [gh, 'copilot'],
          via: 'gh-extension',
        };
      }
    }
  }
  return {
    id,
    binary: adapter.binary,
    installed: false,
    path: null,
    version: null,
    launcher: null,
    via: null,
  };
}

/** Detects every agent (in AGENT_IDS order), running the `--version` probes in parallel. */
export async function detectAgents(options: DetectOptions = {}): Promise<AgentDetection[]> {
  const dirs = searchDirs(options);
  const ids = options.agents ?? AGENT_IDS;
  return Promise.all(ids.map((id) => detectOne(id, dirs, options)));
}
