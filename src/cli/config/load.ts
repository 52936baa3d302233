/**
 * Load `.kittify/orchestrator.yaml`. No file means the defaults; a bad file is a ConfigError that
 * points at the line and column of every problem, so a user can fix them all in one go.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { displayPath } from '../../actors/persistence/paths.js';
import { ConfigError } from './errors.js';
import { toConfigIssues } from './issues.js';
import {
  CONFIG_RELATIVE_PATH,
  defaultConfig,
  type OrchestratorConfig,
  rawConfigSchema,
  toConfig,
} from './schema.js';

export interface LoadedConfig {
  config: OrchestratorConfig;
  /** The file the settings came from, or null when there is none and the defaults apply. */
  source: string | null;
  /** Things a user should hear about, e.g. a config file under a name that is not read. */
  warnings: string[];
}

/** Names people may use for the file; they are not read, but deserve a warning instead of silence. */
const LOOKALIKE_FILES = [
  ['.kittify/orchestrator.yml', 'rename it to orchestrator.yaml'],
  ['.kittify/orchestrator.toml', "the Python orchestrator's format: move its settings to orchestrator.yaml"],
] as const;

export function configPath(repoRoot: string): string {
  return path.join(repoRoot, CONFIG_RELATIVE_PATH);
}

export async function loadConfig(repoRoot: string): Promise<LoadedConfig> {
  const file = configPath(repoRoot);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { config: defaultConfig(), source: null, warnings: await lookalikeWarnings(repoRoot) };
    }
    throw new ConfigError(
      file,
      [{ keyPath: null, line: null, column: null, problem: `cannot be read (${String(error)})` }],
      displayPath(file),
      { cause: error },
    );
  }
  return { config: parseConfig(text, file), source: file, warnings: [] };
}

async function lookalikeWarnings(repoRoot: string): Promise<string[]> {
  const warnings: string[] = [];
  for (const [relative, advice] of LOOKALIKE_FILES) {
    const found = await access(path.join(repoRoot, relative)).then(
      () => true,
      () => false,
    );
    if (found) {
      warnings.push(
        `${relative} is not read (${advice}); using the defaults, no ${CONFIG_RELATIVE_PATH} found`,
      );
    }
  }
  return warnings;
}

/** Parse and validate the text of a config file; `file` only names it in errors. */
export function parseConfig(text: string, file: string): OrchestratorConfig {
  const shownFile = displayPath(file);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  // Only the first syntax error: the ones after it are mostly echoes of the same mistake.
  const [syntaxError] = document.errors;
  if (syntaxError) {
    const position = syntaxError.linePos?.[0];
    const more = document.errors.length - 1;
    const problem =
      `YAML syntax error: ${syntaxMessage(syntaxError.message)}` +
      (more > 0 ? `\n(${more} more syntax error${more === 1 ? '' : 's'} may follow from this one)` : '');
    throw new ConfigError(
      file,
      [{ keyPath: null, line: position?.line ?? null, column: position?.col ?? null, problem }],
      shownFile,
      { cause: syntaxError },
    );
  }
  // An empty file, or one with only comments, is a file that sets nothing.
  const raw: unknown = document.contents === null ? {} : document.toJS({ maxAliasCount: 100 });
  const parsed = rawConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(file, toConfigIssues(parsed.error.issues, raw, document, lineCounter), shownFile, {
      cause: parsed.error,
    });
  }
  return toConfig(parsed.data);
}

/**
 * yaml's pretty message repeats the position ("at line 3, column 5:") before a source excerpt;
 * our prefix already has the position, so keep the sentence and the excerpt without it.
 */
function syntaxMessage(message: string): string {
  const [sentence = message, ...excerpt] = message.split('\n');
  const withoutPosition = sentence.replace(/\s+at line \d+, column \d+:?\s*$/, '');
  const context = excerpt.join('\n').replace(/^\n+|\n+$/g, '');
  return context ? `${withoutPosition}\n\n${context}` : withoutPosition;
}
