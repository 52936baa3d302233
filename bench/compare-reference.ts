/**
 * `npm run bench -- --compare-reference`: ours and the Python reference orchestrator
 * (spec-kitty-orchestrator 0.1.2 from PyPI) on the same real-host missions, alternately, with the
 * same fake agents, counted the same way: makespan, host processes (a witness in front of the
 * host binary), forced lane changes (the host's own event log) and the CPU bound of each run.
 *
 * What the reference needs, read from its installed source (0.1.2):
 * - `spec-kitty-orchestrator orchestrate --mission <slug> --max-concurrent <n> --repo-root <dir>`;
 * - `spec-kitty` from PATH (no setting): the witness goes first on PATH, and runs our pinned host;
 * - `.kittify/orchestrator.toml`, `[agents] implementation / review = ["claude-code"]`, whose
 *   binary is `claude` (prompt on stdin); it runs the reviewer with the WP's own prompt, told
 *   apart only by `--allowedTools Read,Glob,Grep,Bash`, so a shim in front of the fake `claude`
 *   sets FAKE_AGENT_ROLE=review for those runs;
 * - it never commits lane work (the fake implementers commit themselves, for both orchestrators)
 *   and forces `for_review` / `done` when the host refuses them.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeRun, readEventLog, readMetrics } from './analyze.js';
import { createBenchProject, hostBinFor, projectRoot } from './project.js';
import { defaultCommand, quote, runCommand } from './run-command.js';
import { createScenario, type Shape } from './scenarios.js';
import { renderTimeline } from './timeline-svg.js';
import {
  countHostProcesses,
  type HostProcessCount,
  type LaneEventSummary,
  parseProcStat,
  readInvocations,
  summarizeLaneEvents,
  writeWitness,
} from './witness.js';

export const REFERENCE_VERSION = '0.1.2';
const REFERENCE_PACKAGE = 'spec-kitty-orchestrator';

export type Orchestrator = 'ours' | 'reference';

/** Installs the reference into .cache/reference-venv once (as scripts/ensure-host.mjs does the host). */
export function ensureReference(root: string = projectRoot()): string {
  const venv = process.env.SKO_REFERENCE_VENV ?? path.join(root, '.cache', 'reference-venv');
  const bin = path.join(venv, 'bin', REFERENCE_PACKAGE);
  const python = path.join(venv, 'bin', 'python');
  let installed: string | undefined;
  if (existsSync(bin)) {
    try {
      const out = execFileSync(python, ['-m', 'pip', 'show', REFERENCE_PACKAGE], { encoding: 'utf8' });
      installed = /^Version:\s*(\S+)/m.exec(out)?.[1];
    } catch {
      installed = undefined;
    }
  }
  if (installed !== REFERENCE_VERSION) {
    process.stderr.write(`installing ${REFERENCE_PACKAGE}==${REFERENCE_VERSION} into ${venv}\n`);
    if (!existsSync(python))
      execFileSync(process.env.PYTHON ?? 'python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(python, ['-m', 'pip', 'install', '-q', `${REFERENCE_PACKAGE}==${REFERENCE_VERSION}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  return bin;
}

export interface CompareSpec {
  shape: Shape;
  wps: number;
  concurrency: number;
  agentMs: number;
  seed: number;
  layerWidth?: number;
  /** Runs of each orchestrator, alternated: ours, reference, ours, reference... */
  runs: number;
}

export interface CompareRun {
  orchestrator: Orchestrator;
  index: number;
  name: string;
  command: string;
  exitCode: number | null;
  wps: number;
  wpsDone: number;
  makespanMs: number;
  idealMs: number;
  /** All-process CPU (the orchestrator, host calls, agents, git) and the cores it had. */
  treeCpuMs?: number;
  cores: number;
  hostProcesses: HostProcessCount;
  laneEvents: LaneEventSummary;
  timeline?: string;
  startedAt: string;
  /**
   * CPU that other programs of the machine used during the run (all busy CPU minus this run's
   * process tree): a shared machine's noise, which the makespan feels and the CPU bound does not.
   */
  foreignCpuMs?: number;
}

export interface CompareOptions {
  outDir: string;
  svgDir: string;
  keep: boolean;
  /** Median host call of the day (the ideal's fallback cost for an orchestrator without metrics). */
  fallbackHostMs: number;
  /** Called after every run with all runs so far (the results are written as they come). */
  onRun?: (runs: readonly CompareRun[]) => void;
}

export async function compareReference(spec: CompareSpec, options: CompareOptions): Promise<CompareRun[]> {
  const referenceBin = ensureReference();
  const runs: CompareRun[] = [];
  for (let index = 1; index <= spec.runs; index += 1) {
    for (const orchestrator of ['ours', 'reference'] as const) {
      const run = await runOne(orchestrator, index, spec, options, referenceBin);
      runs.push(run);
      options.onRun?.(runs);
      process.stderr.write(
        `== ${run.name}: exit ${run.exitCode}, ${run.wpsDone}/${run.wps} done, ${(run.makespanMs / 1000).toFixed(1)} s, ` +
          `${run.hostProcesses.total} host processes, ${run.laneEvents.forced} forced\n`,
      );
    }
  }
  return runs;
}

async function runOne(
  orchestrator: Orchestrator,
  index: number,
  spec: CompareSpec,
  options: CompareOptions,
  referenceBin: string,
): Promise<CompareRun> {
  const root = projectRoot();
  const scenario = createScenario({
    shape: spec.shape,
    wps: spec.wps,
    seed: spec.seed,
    ...(spec.layerWidth === undefined ? {} : { layerWidth: spec.layerWidth }),
  });
  const name = `compare-${orchestrator}-${index}-${scenario.name}-c${spec.concurrency}`;
  process.stderr.write(`== ${name}: preparing\n`);
  const project = await createBenchProject({
    host: 'real',
    scenario,
    concurrency: spec.concurrency,
    agentMs: spec.agentMs,
  });
  try {
    const runDir = path.join(project.scratch, 'run');
    mkdirSync(runDir, { recursive: true });
    const eventLog = path.join(runDir, 'events.jsonl');
    const metricsFile = path.join(runDir, 'metrics.json');
    const recordDir = path.join(runDir, 'host-processes');
    const witnessDir = path.join(project.scratch, 'witness-bin');
    const witness = writeWitness(witnessDir, recordDir, hostBinFor('real'));
    const pathEntries = [witnessDir, project.env.PATH ?? ''];
    let template = defaultCommand();
    if (orchestrator === 'reference') {
      const shimDir = path.join(project.scratch, 'reference-agents');
      writeReviewerShim(shimDir, path.join(root, 'fixtures', 'agents', 'bin', 'claude'));
      pathEntries.unshift(shimDir);
      writeFileSync(path.join(project.root, '.kittify', 'orchestrator.toml'), referenceToml());
      template = `${quote(referenceBin)} orchestrate --mission {mission} --max-concurrent ${spec.concurrency} --repo-root {repo}`;
    }
    const env = {
      ...project.env,
      PATH: pathEntries.join(path.delimiter),
      SPEC_KITTY_BIN: witness,
      SKO_METRICS_FILE: metricsFile,
    };
    const startedAt = new Date().toISOString();
    process.stderr.write(`== ${name}: running (${project.root})\n`);
    const machineBefore = machineBusyMs();
    const run = await runCommand({
      template,
      cwd: project.root,
      env,
      values: { mission: project.mission, repo: project.root, eventLog },
      outputFile: path.join(runDir, 'output.txt'),
      timeoutMs: 45 * 60_000,
    });
    const machineAfter = machineBusyMs();
    const foreignCpuMs =
      machineBefore === undefined || machineAfter === undefined || run.treeCpuMs === undefined
        ? undefined
        : Math.max(0, machineAfter - machineBefore - run.treeCpuMs);
    const invocations = readInvocations(recordDir);
    const statusEvents = path.join(project.root, 'kitty-specs', project.mission, 'status.events.jsonl');
    const laneEvents = summarizeLaneEvents(
      existsSync(statusEvents) ? readFileSync(statusEvents, 'utf8') : '',
    );
    const events = readEventLog(eventLog);
    const analysis = analyzeRun({
      dependencies: scenario.dependencies,
      concurrency: spec.concurrency,
      agentMs: spec.agentMs,
      makespanMs: run.makespanMs,
      startedAtMs: run.startedAtMs,
      endedAtMs: run.endedAtMs,
      events,
      metrics: readMetrics(metricsFile),
      fallbackHostMs: options.fallbackHostMs,
      mutationSlots: spec.concurrency,
    });

    const rawDir = path.join(options.outDir, 'raw', name);
    mkdirSync(rawDir, { recursive: true });
    writeFileSync(
      path.join(rawDir, 'host-processes.jsonl'),
      invocations.map((invocation) => JSON.stringify(invocation)).join('\n'),
    );
    for (const [from, to] of [
      [eventLog, 'events.jsonl'],
      [metricsFile, 'metrics.json'],
      [statusEvents, 'status.events.jsonl'],
      [path.join(runDir, 'output.txt'), 'output.txt'],
    ] as const) {
      if (existsSync(from)) copyFileSync(from, path.join(rawDir, to));
    }
    let timeline: string | undefined;
    if (events.length > 0) {
      mkdirSync(options.svgDir, { recursive: true });
      const file = path.join(options.svgDir, `timeline-${name}.svg`);
      writeFileSync(
        file,
        renderTimeline({
          title: `${name}: ${spec.wps} WPs, agents ${spec.agentMs} ms`,
          events,
          dependencies: scenario.dependencies,
          startedAtMs: run.startedAtMs,
          endedAtMs: run.endedAtMs,
          idealMs: analysis.ideal.makespanMs,
        }),
      );
      timeline = path.relative(path.join(root, 'docs'), file);
    }
    if (run.exitCode !== 0)
      process.stderr.write(`!! ${name} exited ${run.exitCode}: see ${rawDir}/output.txt\n`);
    const wpIds = [...scenario.dependencies.keys()];
    return {
      orchestrator,
      index,
      name,
      command: run.command,
      exitCode: run.exitCode,
      wps: wpIds.length,
      wpsDone: wpIds.filter((wp) => laneEvents.finalLane[wp] === 'done').length,
      makespanMs: run.makespanMs,
      idealMs: analysis.ideal.makespanMs,
      ...(run.treeCpuMs === undefined ? {} : { treeCpuMs: run.treeCpuMs }),
      cores: os.availableParallelism(),
      hostProcesses: countHostProcesses(invocations),
      laneEvents,
      ...(timeline ? { timeline } : {}),
      startedAt,
      ...(foreignCpuMs === undefined ? {} : { foreignCpuMs }),
    };
  } finally {
    if (options.keep) process.stderr.write(`kept ${project.root} and ${project.scratch}\n`);
    else project.cleanup();
  }
}

/** Busy CPU of the whole machine so far (USER_HZ = 100 ticks a second), undefined off Linux. */
function machineBusyMs(): number | undefined {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8')).busyTicks * 10;
  } catch {
    return undefined;
  }
}

/** The reference's config: the fake `claude` for both roles; everything else its defaults. */
function referenceToml(): string {
  return [
    '[agents]',
    'implementation = ["claude-code"]',
    'review = ["claude-code"]',
    'timeout_seconds = 3600',
    '',
  ].join('\n');
}

/**
 * `claude` in front of the fake one, for two things the reference does differently:
 * - it asks for a review with the WP's own prompt, so only its review tool list
 *   (`--allowedTools Read,Glob,Grep,Bash`) says it is a review;
 * - it writes the prompt to stdin only when its event loop gets round to it, which can be seconds
 *   after the spawn (its host calls are synchronous and block that loop), while the fake agent
 *   reads stdin once at start-up (a real `claude` waits for the end of stdin). `cat` waits for
 *   it here, and the fake agent gets the whole prompt as a file.
 */
function writeReviewerShim(dir: string, fakeClaude: string): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'claude');
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      '# Bench shim for the reference: marks its reviews, waits for its whole prompt on stdin.',
      'case " $* " in',
      '  *" --allowedTools Read,Glob,Grep,Bash "*) FAKE_AGENT_ROLE=review; export FAKE_AGENT_ROLE ;;',
      'esac',
      `prompt=${quote(dir)}/"prompt-$$"`,
      'cat > "$prompt"',
      'exec < "$prompt"',
      'rm -f "$prompt"',
      `exec ${quote(fakeClaude)} "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o755);
}

// ---------------------------------------------------------------- report

const sec = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
const mean = (values: readonly number[]) =>
  values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
const perWp = (value: number, wps: number) => (value / Math.max(1, wps)).toFixed(2);

function cpuBoundMs(run: CompareRun): number | undefined {
  return run.treeCpuMs === undefined ? undefined : run.treeCpuMs / run.cores;
}

/** One row per run, then the means per orchestrator and the ratios reference / ours. */
export function compareMarkdown(runs: readonly CompareRun[]): string {
  const lines = [
    '| run | exit | done | makespan | ideal | all-process CPU | CPU bound (CPU / cores) | makespan / CPU bound | CPU of other programs meanwhile | host processes (per WP) | orchestrator-api (per WP; with --wp) | mark-status | failed | forced lane events |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const run of runs) {
    const bound = cpuBoundMs(run);
    const h = run.hostProcesses;
    const forcedTo = Object.entries(run.laneEvents.forcedTo)
      .map(([lane, count]) => `${count} ${lane}`)
      .join(', ');
    lines.push(
      `| ${run.orchestrator} #${run.index} | ${run.exitCode} | ${run.wpsDone}/${run.wps} | ${sec(run.makespanMs)} | ${sec(run.idealMs)} | ` +
        `${sec(run.treeCpuMs)} | ${sec(bound)} | ${bound ? (run.makespanMs / bound).toFixed(2) : 'n/a'} | ${sec(run.foreignCpuMs)} | ` +
        `${h.total} (${perWp(h.total, run.wps)}) | ${h.orchestratorApi} (${perWp(h.orchestratorApi, run.wps)}; ${perWp(h.wpLevel, run.wps)}) | ` +
        `${h.markStatus} | ${h.failed} | ${run.laneEvents.forced}${forcedTo ? ` (${forcedTo})` : ''} |`,
    );
  }
  const summary = summarize(runs);
  lines.push(
    '',
    '| mean over runs | ours | reference | reference / ours |',
    '| --- | ---: | ---: | ---: |',
    ...summary.map(
      (row) =>
        `| ${row.measure} | ${row.format(row.ours)} | ${row.format(row.reference)} | ${Number.isFinite(row.ratio) ? `${row.ratio.toFixed(2)}x` : 'n/a'} |`,
    ),
    '',
    '| host command (all runs) | ours | reference |',
    '| --- | ---: | ---: |',
  );
  const commands = new Set(runs.flatMap((run) => Object.keys(run.hostProcesses.byCommand)));
  for (const command of [...commands].sort()) {
    const total = (who: Orchestrator) =>
      runs
        .filter((run) => run.orchestrator === who)
        .reduce((sum, run) => sum + (run.hostProcesses.byCommand[command] ?? 0), 0);
    lines.push(`| ${command} | ${total('ours')} | ${total('reference')} |`);
  }
  const timelines = runs.filter((run) => run.timeline);
  if (timelines.length > 0)
    lines.push('', ...timelines.map((run) => `Timeline ${run.name}: [${run.timeline}](${run.timeline})`));
  return `${lines.join('\n')}\n`;
}

interface SummaryRow {
  measure: string;
  ours: number;
  reference: number;
  ratio: number;
  format: (value: number) => string;
}

export function summarize(runs: readonly CompareRun[]): SummaryRow[] {
  const of = (who: Orchestrator, pick: (run: CompareRun) => number | undefined) =>
    mean(
      runs
        .filter((run) => run.orchestrator === who)
        .map(pick)
        .filter((value): value is number => value !== undefined),
    );
  const row = (
    measure: string,
    pick: (run: CompareRun) => number | undefined,
    format: (value: number) => string,
  ): SummaryRow => {
    const ours = of('ours', pick);
    const reference = of('reference', pick);
    return { measure, ours, reference, ratio: reference / ours, format };
  };
  const seconds = (ms: number) => (Number.isFinite(ms) ? sec(ms) : 'n/a');
  const fixed = (digits: number) => (value: number) =>
    Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
  return [
    row('makespan', (run) => run.makespanMs, seconds),
    row('CPU bound (all-process CPU / cores)', cpuBoundMs, seconds),
    row(
      'makespan / CPU bound',
      (run) => {
        const bound = cpuBoundMs(run);
        return bound ? run.makespanMs / bound : undefined;
      },
      fixed(2),
    ),
    row('host processes per WP', (run) => run.hostProcesses.total / run.wps, fixed(2)),
    row('orchestrator-api processes per WP', (run) => run.hostProcesses.orchestratorApi / run.wps, fixed(2)),
    row('mark-status processes per WP', (run) => run.hostProcesses.markStatus / run.wps, fixed(2)),
    row('forced lane events', (run) => run.laneEvents.forced, fixed(1)),
  ];
}
