#!/usr/bin/env node
/**
 * The simulated host as an executable: `fixtures/bin/spec-kitty` runs this, so tests and demos can
 * put fixtures/bin first on PATH and drive the orchestrator against it as a real process.
 * SIMULATED_HOST_LATENCY_MS adds a start-up delay like the real host's.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { runSimulatedHost } from './host.js';

async function main(): Promise<void> {
  const latency = Number.parseInt(process.env.SIMULATED_HOST_LATENCY_MS ?? '0', 10);
  if (Number.isFinite(latency) && latency > 0) await sleep(latency);
  const output = await runSimulatedHost(process.argv.slice(2), { cwd: process.cwd(), env: process.env });
  process.stdout.write(output.stdout);
  process.stderr.write(output.stderr);
  process.exitCode = output.exitCode;
}

await main();
