/** The simulated host behind the gateway's HostTransport, without starting a process. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { HostTransport, RawHostResult } from '../api.js';
import { runSimulatedHost } from './host.js';

export interface SimulatedTransportOptions {
  repoRoot: string;
  /** Added to every call to mimic the real host's start-up cost in demos (the host: 1.1-1.8 s). */
  latencyMs?: number;
}

export function createSimulatedTransport(options: SimulatedTransportOptions): HostTransport {
  return {
    async run(args, callOptions = {}): Promise<RawHostResult> {
      const startedAt = performance.now();
      if (options.latencyMs && options.latencyMs > 0) {
        try {
          await sleep(options.latencyMs, undefined, { signal: callOptions.signal });
        } catch {
          // Aborted before the "process" did anything: like a killed process, no exit code.
          return { stdout: '', stderr: 'aborted', exitCode: null, durationMs: performance.now() - startedAt };
        }
      }
      const output = await runSimulatedHost(['orchestrator-api', ...args], {
        cwd: options.repoRoot,
        repoRoot: options.repoRoot,
      });
      return { ...output, durationMs: performance.now() - startedAt };
    },
    async runAgentCommand(args, callOptions): Promise<RawHostResult> {
      const startedAt = performance.now();
      const output = await runSimulatedHost([...args], { cwd: callOptions.cwd, repoRoot: options.repoRoot });
      return { ...output, durationMs: performance.now() - startedAt };
    },
  };
}
