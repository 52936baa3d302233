/**
 * Counting host processes and forced lane changes the same way for any orchestrator.
 *
 * A witness (`writeWitness`) stands in front of the host binary: every `spec-kitty` process that
 * any program of the run starts (the orchestrator, an agent's `mark-status`, ours relaying a
 * confined agent's `mark-status`) leaves one record file with its argv and exit code, then the
 * real host runs. The witness is a POSIX shell script that forks nothing before the host starts
 * (builtins only), so it adds no measurable CPU to a host call that costs seconds.
 *
 * The lane events come from the host's own log, kitty-specs/<mission>/status.events.jsonl.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { quote } from './run-command.js';

/** Separates the fields of a record (ASCII unit separator: never in an argument we pass). */
export const FIELD = '\u001f';
/** Ends the start part and the end part of a record (ASCII record separator). */
export const RECORD = '\u001e';

/**
 * Writes `<binDir>/spec-kitty`, which records each invocation in `<recordDir>/<uptime>-<pid>`
 * (one file per process, so concurrent calls never interleave) and runs `hostBin` with the same
 * arguments. Returns the witness's path.
 */
export function writeWitness(binDir: string, recordDir: string, hostBin: string): string {
  mkdirSync(binDir, { recursive: true });
  mkdirSync(recordDir, { recursive: true });
  const file = path.join(binDir, 'spec-kitty');
  const script = [
    '#!/bin/sh',
    '# Bench witness: records this host process (argv, exit code), then runs the real host.',
    'read up _ < /proc/uptime',
    `rec=${quote(recordDir)}/"$up-$$"`,
    `line="$up${FIELD}$PPID"`,
    `for a in "$@"; do line="$line${FIELD}$a"; done`,
    `printf '%s${RECORD}' "$line" >> "$rec"`,
    `${quote(hostBin)} "$@"`,
    'rc=$?',
    'read up _ < /proc/uptime',
    `printf '%s${FIELD}%s${RECORD}' "$rc" "$up" >> "$rec"`,
    'exit $rc',
    '',
  ].join('\n');
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  return file;
}

export interface HostInvocation {
  /** Seconds since boot when the witness started / saw the host exit (10 ms resolution). */
  startS: number;
  endS?: number;
  parentPid: number;
  argv: string[];
  /** Undefined when the process never came back (killed with its witness). */
  exitCode?: number;
}

/** One record file of the witness. Throws on anything else, so a format drift is loud. */
export function parseInvocation(text: string): HostInvocation {
  const [start, end] = text.split(RECORD);
  const fields = (start ?? '').split(FIELD);
  const startS = Number(fields[0]);
  const parentPid = Number(fields[1]);
  if (fields.length < 2 || !Number.isFinite(startS) || !Number.isInteger(parentPid))
    throw new Error(`not a witness record: ${JSON.stringify(text.slice(0, 80))}`);
  const invocation: HostInvocation = { startS, parentPid, argv: fields.slice(2) };
  if (end) {
    const [code, endS] = end.split(FIELD);
    invocation.exitCode = Number(code);
    invocation.endS = Number(endS);
  }
  return invocation;
}

export function readInvocations(recordDir: string): HostInvocation[] {
  if (!existsSync(recordDir)) return [];
  return readdirSync(recordDir)
    .map((name) => parseInvocation(readFileSync(path.join(recordDir, name), 'utf8')))
    .sort((a, b) => a.startS - b.startS);
}

/**
 * What a host process was for: `orchestrator-api <command>` (the orchestrator's protocol),
 * `mark-status` (an agent marking its subtasks: the agent itself, or ours carrying out what a
 * confined agent asked for), anything else by its first words.
 */
export function classifyInvocation(argv: readonly string[]): {
  kind: 'orchestrator-api' | 'mark-status' | 'other';
  command: string;
} {
  if (argv[0] === 'orchestrator-api') return { kind: 'orchestrator-api', command: argv[1] ?? '?' };
  if (argv[0] === 'agent' && argv[1] === 'tasks' && argv[2] === 'mark-status')
    return { kind: 'mark-status', command: 'mark-status' };
  return { kind: 'other', command: argv.slice(0, 3).join(' ') };
}

export interface HostProcessCount {
  total: number;
  orchestratorApi: number;
  markStatus: number;
  other: number;
  /** Processes that answered with a non-zero exit code (a refusal, an error). */
  failed: number;
  /** `orchestrator-api` processes about one WP (`--wp`): the rest are mission-level. */
  wpLevel: number;
  /** `orchestrator-api transition` processes with `--force`. */
  forcedTransitionCalls: number;
  /** "orchestrator-api transition" -> count, "mark-status" -> count, ... */
  byCommand: Record<string, number>;
}

export function countHostProcesses(invocations: readonly HostInvocation[]): HostProcessCount {
  const count: HostProcessCount = {
    total: 0,
    orchestratorApi: 0,
    markStatus: 0,
    other: 0,
    failed: 0,
    wpLevel: 0,
    forcedTransitionCalls: 0,
    byCommand: {},
  };
  for (const invocation of invocations) {
    const { kind, command } = classifyInvocation(invocation.argv);
    count.total += 1;
    if (kind === 'orchestrator-api') {
      count.orchestratorApi += 1;
      if (invocation.argv.includes('--wp')) count.wpLevel += 1;
    } else if (kind === 'mark-status') count.markStatus += 1;
    else count.other += 1;
    if (invocation.exitCode !== undefined && invocation.exitCode !== 0) count.failed += 1;
    if (command === 'transition' && invocation.argv.includes('--force')) count.forcedTransitionCalls += 1;
    const key = kind === 'orchestrator-api' ? `orchestrator-api ${command}` : command;
    count.byCommand[key] = (count.byCommand[key] ?? 0) + 1;
  }
  return count;
}

export interface LaneEventSummary {
  /** Lane events (lines with a wp_id, a from_lane and a to_lane). */
  events: number;
  /** Lane events the host recorded with force = true, and to which lane. */
  forced: number;
  forcedTo: Record<string, number>;
  /** WP -> the lane of its last event. */
  finalLane: Record<string, string>;
}

/** Reads the host's status.events.jsonl text (one JSON object a line; blank lines skipped). */
export function summarizeLaneEvents(text: string): LaneEventSummary {
  const summary: LaneEventSummary = { events: 0, forced: 0, forcedTo: {}, finalLane: {} };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const event = JSON.parse(line) as Record<string, unknown>;
    // The log also holds mission events and annotations: lane moves only.
    if (
      typeof event.wp_id !== 'string' ||
      typeof event.from_lane !== 'string' ||
      typeof event.to_lane !== 'string'
    )
      continue;
    summary.events += 1;
    if (event.force === true) {
      summary.forced += 1;
      summary.forcedTo[event.to_lane] = (summary.forcedTo[event.to_lane] ?? 0) + 1;
    }
    summary.finalLane[event.wp_id] = event.to_lane;
  }
  return summary;
}

/**
 * Busy and total CPU time of the whole machine from /proc/stat's first line (all cores, in
 * clock ticks): busy is everything but idle and iowait. Around a run, busy minus the run's own
 * process-tree CPU is what other programs took from it.
 */
export function parseProcStat(text: string): { busyTicks: number; totalTicks: number } {
  const line = text.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) throw new Error('no aggregate cpu line in /proc/stat');
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (ticks.length < 5 || ticks.some((value) => !Number.isFinite(value)))
    throw new Error(`cannot read the cpu line of /proc/stat: ${line}`);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busyTicks: total - idle, totalTicks: total };
}
