import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runStatePath } from '../../../src/actors/persistence/index.js';
import {
  createMetricsRecorder,
  metricsRecorderFromEnv,
  type RunMetrics,
} from '../../../src/cli/runtime/metrics.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sko-metrics-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const writerStats = {
  scheduled: 10,
  writes: 4,
  failedWrites: 0,
  bytes: 4000,
  maxWriteBytes: 1200,
  coalesced: 6,
  ignoredAfterStop: 0,
};

describe('run metrics (SKO_METRICS_FILE)', () => {
  it('is off unless the variable names a file', () => {
    expect(metricsRecorderFromEnv('/repo', {})).toBeUndefined();
    expect(metricsRecorderFromEnv('/repo', { SKO_METRICS_FILE: '' })).toBeUndefined();
    expect(metricsRecorderFromEnv('/repo', { SKO_METRICS_FILE: 'm.json' })).toBeDefined();
  });

  it('writes host calls, own CPU/RSS and state writes including the final save', async () => {
    const repo = tempDir();
    mkdirSync(path.join(repo, '.kittify'));
    writeFileSync(runStatePath(repo), 'x'.repeat(1500));
    const file = path.join(tempDir(), 'nested', 'metrics.json');
    const recorder = createMetricsRecorder(file, repo);
    recorder.hostCall({
      command: 'transition',
      args: ['transition', '--mission', 'm', '--wp', 'WP03', '--to', 'done'],
      durationMs: 1234.56,
      waitMs: 7.04,
      attempt: 1,
      ok: true,
    });
    recorder.hostCall({
      command: 'mission-state',
      args: ['mission-state', '--mission', 'm'],
      durationMs: 900,
      waitMs: 0,
      attempt: 2,
      ok: false,
      errorCode: 'HOST_TIMEOUT',
    });
    await recorder.write({ status: 'completed', exitCode: 0, writerStats });

    const metrics = JSON.parse(readFileSync(file, 'utf8')) as RunMetrics;
    expect(metrics).toMatchObject({
      format: 'spec-kitty-orchestrator/metrics',
      status: 'completed',
      exitCode: 0,
      stateWrites: 5,
      stateBytes: 5500,
      finalStateBytes: 1500,
      // The final save (1500 B) is larger than any of the writer's (1200 B).
      maxStateWriteBytes: 1500,
      writer: writerStats,
    });
    expect(metrics.hostCalls).toEqual([
      expect.objectContaining({ command: 'transition', wp: 'WP03', durationMs: 1234.6, waitMs: 7, ok: true }),
      expect.objectContaining({
        command: 'mission-state',
        wp: null,
        attempt: 2,
        ok: false,
        errorCode: 'HOST_TIMEOUT',
      }),
    ]);
    const [first] = metrics.hostCalls;
    expect(first?.startedAtMs).toBeLessThanOrEqual(Date.now() - 1234);
    expect(metrics.cpuUserMs).toBeGreaterThan(0);
    expect(metrics.maxRssKb).toBeGreaterThan(1000);
  });

  it('counts no final save when the run left no state file, and never throws on a bad path', async () => {
    const repo = tempDir();
    const blocker = path.join(tempDir(), 'a-file');
    writeFileSync(blocker, '');
    const recorder = createMetricsRecorder(path.join(blocker, 'metrics.json'), repo);
    await expect(recorder.write({ status: 'failed', exitCode: 1 })).resolves.toBeUndefined();
    const ok = path.join(tempDir(), 'metrics.json');
    const second = createMetricsRecorder(ok, repo);
    await second.write({ status: 'failed', exitCode: 1 });
    expect(JSON.parse(readFileSync(ok, 'utf8'))).toMatchObject({
      stateWrites: 0,
      finalStateBytes: 0,
      maxStateWriteBytes: 0,
      writer: null,
    });
  });

  it("takes the writer's largest write when it is larger than the final file", async () => {
    const repo = tempDir();
    mkdirSync(path.join(repo, '.kittify'));
    writeFileSync(runStatePath(repo), 'x'.repeat(700));
    const file = path.join(tempDir(), 'metrics.json');
    await createMetricsRecorder(file, repo).write({ status: 'completed', exitCode: 0, writerStats });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      stateBytes: 4700,
      finalStateBytes: 700,
      maxStateWriteBytes: 1200,
    });
  });
});
