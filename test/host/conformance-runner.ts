/** Runs the shared conformance steps against one host binary and records comparable outcomes. */
import { expect } from 'vitest';
import { COMMAND_DATA, envelopeSchema, errorData, type HostCommand } from '../../src/host/schemas.js';
import { callHost } from '../support/host-call.js';
import type { NormalizedLaneEvent } from '../support/real-mission.js';
import { type ConformanceStep, STEPS, type StepWorld } from './conformance-steps.js';

export interface StepOutcome {
  step: string;
  exitCode: number | null;
  success: boolean | null;
  errorCode: string | null;
  facts: Record<string, unknown> | null;
  /** Lane of every WP after the step, from the host's own lane event log. */
  lanes: Record<string, string>;
}

export interface HostUnderTest {
  bin: string;
  env: Record<string, string>;
  readLaneEvents: () => NormalizedLaneEvent[];
}

export async function runConformance(host: HostUnderTest, world: StepWorld): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const step of STEPS) {
    const outcome = await runStep(step, host, world);
    outcomes.push({ ...outcome, lanes: lanesFrom(host.readLaneEvents()) });
  }
  return outcomes;
}

async function runStep(
  step: ConformanceStep,
  host: HostUnderTest,
  world: StepWorld,
): Promise<Omit<StepOutcome, 'lanes'>> {
  if (step.kind === 'agent') {
    step.act(world);
    return { step: step.name, exitCode: null, success: null, errorCode: null, facts: null };
  }
  const args = step.args(world);
  const cwd = step.cwdWorkspaceOf ? world.workspaces.get(step.cwdWorkspaceOf) : world.repoRoot;
  if (!cwd) throw new Error(`${step.name}: no worktree known for ${step.cwdWorkspaceOf}`);
  // Agents run in their worktree without SPECIFY_REPO_ROOT: the host must find the repo itself.
  const env = step.cwdWorkspaceOf ? host.env : { ...host.env, SPECIFY_REPO_ROOT: world.repoRoot };
  const result = await callHost(host.bin, cwd, args, env);
  const context = `${step.name}\nstdout: ${result.stdout}\nstderr: ${result.stderr.slice(-2000)}`;
  expect(result.exitCode, context).toBe(step.expect.exitCode);

  if (step.expect.noJson) {
    expect(result.stdout.trim(), context).toBe('');
    expect(result.stderr, context).toMatch(/Unknown lane/);
    return { step: step.name, exitCode: result.exitCode, success: null, errorCode: null, facts: null };
  }
  if (args[0] !== 'orchestrator-api') {
    // mark-status prints its own JSON shape.
    const printed = JSON.parse(result.stdout) as { summary: { updated: number; not_found: number } };
    expect(printed.summary.not_found, context).toBe(0);
    return {
      step: step.name,
      exitCode: result.exitCode,
      success: null,
      errorCode: null,
      facts: { summary: printed.summary },
    };
  }

  const envelope = envelopeSchema.parse(JSON.parse(result.stdout));
  expect(envelope.contract_version, context).toBe('1.5.0');
  expect(envelope.success, context).toBe(step.expect.success);
  expect(envelope.error_code, context).toBe(step.expect.errorCode);
  const command = args[1] as HostCommand;
  if (envelope.success) {
    expect(envelope.command).toBe(`orchestrator-api.${command}`);
    const parsed = COMMAND_DATA[command].safeParse(envelope.data);
    expect(parsed.success, `${context}\n${JSON.stringify(parsed.error?.issues)}`).toBe(true);
  } else {
    expect(errorData.safeParse(envelope.data).success, context).toBe(true);
  }
  const data = envelope.data as Record<string, unknown>;
  if (envelope.success && command === 'start-implementation' && typeof data.workspace_path === 'string') {
    world.workspaces.set(String(data.wp_id), data.workspace_path);
  }
  return {
    step: step.name,
    exitCode: result.exitCode,
    success: envelope.success,
    errorCode: envelope.error_code,
    facts: step.facts ? step.facts(data, world) : null,
  };
}

function lanesFrom(events: readonly NormalizedLaneEvent[]): Record<string, string> {
  const lanes: Record<string, string> = {};
  for (const event of events) lanes[event.wp_id] = event.to_lane;
  return lanes;
}
