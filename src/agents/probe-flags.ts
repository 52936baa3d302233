/**
 * `agents --check`: runs each installed agent's help commands and checks the flags we would pass
 * against them (flag-check.ts decides; this file only runs the processes). Help goes to stdout
 * or stderr and some CLIs exit non-zero after printing it, so both streams count, whatever the
 * exit code.
 */
import { availableParallelism } from 'node:os';
import { execa } from 'execa';
import type { AgentDetection } from './detect.js';
import { checkFlags, type FlagCheck, flagsWePass } from './flag-check.js';
import { AGENTS } from './registry.js';
import { TESTED_VERSIONS } from './tested-versions.js';
import type { AgentSettings } from './types.js';

export interface AgentFlagReport {
  id: AgentDetection['id'];
  version: string | null;
  testedVersion: string | null;
  /** False when no help command printed anything (then nothing could be checked). */
  helpRead: boolean;
  checks: FlagCheck[];
  ok: boolean;
  /** What to do when not ok; null when ok. */
  fix: string | null;
}

/** A CLI that starts slowly on a busy machine still gets to answer (measured: Kilo > 15 s). */
const HELP_TIMEOUT_MS = 45_000;

/**
 * Help processes at once: each is a whole CLI start-up (hundreds of ms of CPU for the big ones),
 * so starting every agent's at the same moment only makes each one slower.
 */
const HELP_CONCURRENCY = Math.max(2, availableParallelism());

function limiter(slots: number): <T>(task: () => Promise<T>) => Promise<T> {
  let free = slots;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    else free -= 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    }
  };
}

const inTurn = limiter(HELP_CONCURRENCY);

async function helpText(
  launcher: readonly string[],
  commands: readonly (readonly string[])[],
): Promise<string> {
  const [file, ...prefix] = launcher as [string, ...string[]];
  const outputs = await Promise.all(
    commands.map(async (command) => {
      try {
        const result = await inTurn(() =>
          execa(file, [...prefix, ...command], {
            stdin: 'ignore',
            timeout: HELP_TIMEOUT_MS,
            forceKillAfterDelay: 1000,
            reject: false,
            all: true,
            maxBuffer: 4 * 1024 * 1024,
            env: { NO_COLOR: '1', CI: 'true' },
          }),
        );
        return typeof result.all === 'string' ? result.all : '';
      } catch {
        return '';
      }
    }),
  );
  return outputs.join('\n');
}

function fixFor(report: Omit<AgentFlagReport, 'ok' | 'fix'>): string {
  const adapter = AGENTS[report.id];
  const tested = TESTED_VERSIONS[report.id];
  const install =
    tested.npmPackage && tested.version ? ` (npm install -g ${tested.npmPackage}@${tested.version})` : '';
  if (!report.helpRead) {
    return `\`${adapter.binary} --help\` printed nothing: check that the installed ${adapter.displayName} runs`;
  }
  const unknown = [...new Set(report.checks.flatMap((check) => check.unknown))];
  const versionHint = tested.version
    ? `this orchestrator was tested with ${adapter.displayName} ${tested.version}${install}`
    : `see the ${adapter.displayName} documentation`;
  return `${adapter.displayName} does not list ${unknown.join(', ')}: ${versionHint}; flags you added in agent_settings.${report.id}.extra_args may need changing too`;
}

export async function probeAgentFlags(
  detections: readonly AgentDetection[],
  settings: Partial<Record<AgentDetection['id'], AgentSettings>> = {},
): Promise<AgentFlagReport[]> {
  const installed = detections.filter((detection) => detection.installed && detection.launcher);
  return Promise.all(
    installed.map(async (detection) => {
      const adapter = AGENTS[detection.id];
      const help = await helpText(
        detection.launcher ?? [adapter.binary],
        adapter.helpCommands ?? [['--help']],
      );
      const checks = checkFlags(
        help,
        flagsWePass(detection.id, settings[detection.id]),
        adapter.unlistedFlags ?? [],
      );
      const partial = {
        id: detection.id,
        version: detection.version,
        testedVersion: TESTED_VERSIONS[detection.id].version,
        helpRead: help.trim() !== '',
        checks,
      };
      const ok = partial.helpRead && checks.every((check) => check.unknown.length === 0);
      return { ...partial, ok, fix: ok ? null : fixFor(partial) };
    }),
  );
}
