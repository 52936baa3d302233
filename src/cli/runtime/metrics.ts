/**
 * Opt-in run metrics for benchmarks: when `SKO_METRICS_FILE` names a file, the run writes one
 * JSON object there at its end with the orchestrator's OWN cost (CPU and peak RSS of this
 * process only: `process.resourceUsage()` excludes children, so host and agent processes are
 * not counted), every host call it made, and the run-state writer's counters. Nothing is
 * collected when the variable is unset, so normal runs pay nothing.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runStatePath, type SnapshotWriterStats } from '../../actors/persistence/index.js';
import type { HostCallRecord } from '../../host/client.js';
import { logger } from '../logger.js';
import type { SessionResult } from './run-session.js';

export const METRICS_FILE_ENV = 'SKO_METRICS_FILE';
export const METRICS_FORMAT = 'spec-kitty-orchestrator/metrics';

export interface HostCallMetric {
  command: string;
  /** The `--wp` argument, when the command is about one WP. */
  wp: string | null;
  /** Epoch milliseconds when the host process started (after the client's queue). */
  startedAtMs: number;
  durationMs: number;
  /** Time spent queued behind the client's locks before the process started. */
  waitMs: number;
  attempt: number;
  ok: boolean;
  errorCode: string | null;
}

export interface RunMetrics {
  format: typeof METRICS_FORMAT;
  formatVersion: 1;
  pid: number;
  status: string;
  exitCode: number;
  /** Process start to the end of the run, in this process's own clock. */
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  maxRssKb: number;
  hostCalls: HostCallMetric[];
  /** Completed run-state writes: the writer's, plus the final write made after it stopped. */
  stateWrites: number;
  /** Bytes of those writes (the final one counted by the size of the file it left). */
  stateBytes: number;
  /** Size of the run-state file at the end (0 when it could not be read). */
  finalStateBytes: number;
  /** The largest of those writes (the final one included), in bytes. */
  maxStateWriteBytes: number;
  writer: SnapshotWriterStats | null;
}

export interface MetricsRecorder {
  /** Pass to HostClient's `onCall` (directly or through a listener list). */
  hostCall(call: HostCallRecord): void;
  /** Writes the metrics file; a failure is reported as a warning, never thrown. */
  write(result: Pick<SessionResult, 'status' | 'exitCode' | 'writerStats'>): Promise<void>;
}

/** A recorder when `SKO_METRICS_FILE` is set, else undefined. */
export function metricsRecorderFromEnv(
  repoRoot: string,
  env: NodeJS.ProcessEnv = process.env,
): MetricsRecorder | undefined {
  const file = env[METRICS_FILE_ENV];
  return file ? createMetricsRecorder(path.resolve(file), repoRoot) : undefined;
}

export function createMetricsRecorder(file: string, repoRoot: string): MetricsRecorder {
  const hostCalls: HostCallMetric[] = [];
  return {
    hostCall(call) {
      const endedAtMs = performance.timeOrigin + performance.now();
      hostCalls.push({
        command: call.command,
        wp: wpOf(call.args),
        startedAtMs: Math.round(endedAtMs - call.durationMs),
        durationMs: round1(call.durationMs),
        waitMs: round1(call.waitMs),
        attempt: call.attempt,
        ok: call.ok,
        errorCode: call.errorCode ?? null,
      });
    },
    async write(result) {
      const usage = process.resourceUsage();
      const finalStateBytes = await stat(runStatePath(repoRoot)).then(
        (info) => info.size,
        () => 0,
      );
      const writer = result.writerStats ?? null;
      const metrics: RunMetrics = {
        format: METRICS_FORMAT,
        formatVersion: 1,
        pid: process.pid,
        status: result.status,
        exitCode: result.exitCode,
        wallMs: Math.round(performance.now()),
        cpuUserMs: Math.round(usage.userCPUTime / 1000),
        cpuSystemMs: Math.round(usage.systemCPUTime / 1000),
        maxRssKb: usage.maxRSS,
        hostCalls,
        stateWrites: (writer?.writes ?? 0) + (finalStateBytes > 0 ? 1 : 0),
        stateBytes: (writer?.bytes ?? 0) + finalStateBytes,
        finalStateBytes,
        maxStateWriteBytes: Math.max(writer?.maxWriteBytes ?? 0, finalStateBytes),
        writer,
      };
      try {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, `${JSON.stringify(metrics)}\n`);
      } catch (error) {
        logger.warn(`could not write the metrics file ${file}: ${String(error)}`);
      }
    },
  };
}

function wpOf(args: readonly string[]): string | null {
  const index = args.indexOf('--wp');
  return index >= 0 ? (args[index + 1] ?? null) : null;
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
