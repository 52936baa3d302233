/** Runs the shared conformance steps against one host binary and records comparable outcomes. */
import { expect } from 'vitest';
import type { ContractInfo } from '../../src/host/api.js';
import { hostCapabilities } from '../../src/host/capabilities.js';
import { COMMAND_DATA, envelopeSchema, errorData, type HostCommand } from '../../src/host/schemas.js';
import { callHost } from '../support/host-call.js';
import type { NormalizedLaneEvent } from '../support/real-mission.js';
import {
  type ConformanceStep,
  HOST_PROFILES,
  type HostStep,
  type HostVersion,
  STEPS,
  type StepWorld,
} from './conformance-steps.js';

export interface StepOutcome {
  step: string;
  exitCode: number | null;
  success: boolean | null;
  errorCode: string | null;
  facts: Record<string, unknown> | null;
  /** Lane of every WP after the step, from the host's own lane event log. */
  lanes: Record<string, string>;
  /** The lane events this step added to the host's log. */
  addedEvents: NormalizedLaneEvent[];
  /** True when this host's outcome is its own (a `differs` entry or an `only` step). */
  ownOutcome: boolean;
}

export interface HostUnderTest {
  bin: string;
  env: Record<string, string>;
  readLaneEvents: () => NormalizedLaneEvent[];
  /** The behaviour the steps expect: a real host's version, or the one the simulated host plays. */
  version: HostVersion;
}

export function runsOn(step: ConformanceStep, version: HostVersion): boolean {
  return step.only === undefined || step.only.includes(version);
}

export async function runConformance(host: HostUnderTest, world: StepWorld): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  let eventsBefore = host.readLaneEvents().length;
  for (const step of STEPS) {
    if (!runsOn(step, host.version)) continue;
    const outcome = await runStep(step, host, world);
    const events = host.readLaneEvents();
    const ownOutcome = step.only !== undefined || (step.kind === 'host' && !!step.differs?.[host.version]);
    outcomes.push({
      ...outcome,
      lanes: lanesFrom(events),
      addedEvents: events.slice(eventsBefore),
      ownOutcome,
    });
    eventsBefore = events.length;
  }
  return outcomes;
}

/** The step as this host should answer it: its `differs` entry replaces expect and facts. */
function asRunOn(step: HostStep, version: HostVersion): HostStep {
  const difference = step.differs?.[version];
  if (!difference) return step;
  return { ...step, expect: difference.expect, facts: difference.facts ?? step.facts };
}

type Outcome = Omit<StepOutcome, 'lanes' | 'addedEvents' | 'ownOutcome'>;

async function runStep(
  conformanceStep: ConformanceStep,
  host: HostUnderTest,
  world: StepWorld,
): Promise<Outcome> {
  if (conformanceStep.kind === 'agent') {
    conformanceStep.act(world);
    return { step: conformanceStep.name, exitCode: null, success: null, errorCode: null, facts: null };
  }
  const step = asRunOn(conformanceStep, host.version);
  const args = step.args(world);
  const cwd = step.cwdWorkspaceOf ? world.workspaces.get(step.cwdWorkspaceOf) : world.repoRoot;
  if (!cwd) throw new Error(`${step.name}: no worktree known for ${step.cwdWorkspaceOf}`);
  // Agents run in their worktree without SPECIFY_REPO_ROOT: the host must find the repo itself.
  const env = step.cwdWorkspaceOf ? host.env : { ...host.env, SPECIFY_REPO_ROOT: world.repoRoot };
  const result = await callHost(host.bin, cwd, args, env);
  const context = `${step.name} (${host.version})\nstdout: ${result.stdout}\nstderr: ${result.stderr.slice(-2000)}`;
  expect(result.exitCode, context).toBe(step.expect.exitCode);

  if (step.expect.noJson) {
    expect(result.stdout.trim(), context).toBe('');
    expect(result.stderr, context).toMatch(/Unknown lane/);
    return { step: step.name, exitCode: result.exitCode, success: null, errorCode: null, facts: null };
  }
  if (args[0] !== 'orchestrator-api') {
    // The agent-facing commands (mark-status, move-task...) print their own JSON shapes.
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    return {
      step: step.name,
      exitCode: result.exitCode,
      success: null,
      errorCode: null,
      facts: step.facts ? withMissionNamed(step.facts(printed, world), world.mission) : null,
    };
  }

  // 3.2.7 prints git's "Deleted branch ..." lines before merge-mission's envelope: the last line.
  const envelopeLine = result.stdout.trim().split('\n').at(-1) ?? '';
  const envelope = envelopeSchema.parse(JSON.parse(envelopeLine));
  expect(envelope.contract_version, context).toBe(HOST_PROFILES[host.version].contract);
  expect(envelope.success, context).toBe(step.expect.success);
  expect(envelope.error_code, context).toBe(step.expect.errorCode);
  const command = args[1] as HostCommand;
  if (envelope.success) {
    expect(envelope.command).toBe(`orchestrator-api.${command}`);
    const parsed = COMMAND_DATA[command].safeParse(envelope.data);
    expect(parsed.success, `${context}\n${JSON.stringify(parsed.error?.issues)}`).toBe(true);
  } else {
    const parsed = errorData.safeParse(envelope.data);
    expect(parsed.success, `${context}\n${JSON.stringify(parsed.error?.issues)}`).toBe(true);
  }
  const data = envelope.data as Record<string, unknown>;
  if (envelope.success && command === 'start-implementation' && typeof data.workspace_path === 'string') {
    world.workspaces.set(String(data.wp_id), data.workspace_path);
  }
  if (envelope.success && command === 'contract-version') {
    // What the orchestrator itself derives from this answer decides the later merge step.
    world.capabilities = hostCapabilities(contractInfoOf(data), world.mission);
  }
  return {
    step: step.name,
    exitCode: result.exitCode,
    success: envelope.success,
    errorCode: envelope.error_code,
    facts: step.facts ? withMissionNamed(step.facts(data, world), world.mission) : null,
  };
}

/**
 * Facts with the mission's slug written `<mission>`: each host names its mission itself (the
 * real host appends the mission id it drew), and lane branches and worktrees carry that name.
 */
function withMissionNamed(facts: Record<string, unknown>, slug: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(facts).replaceAll(slug, '<mission>')) as Record<string, unknown>;
}

function contractInfoOf(data: Record<string, unknown>): ContractInfo {
  const parsed = COMMAND_DATA['contract-version'].parse(data);
  return {
    apiVersion: parsed.api_version,
    minSupportedProviderVersion: parsed.min_supported_provider_version,
    supportedCommands: parsed.delivery_profile?.supported,
  };
}

function lanesFrom(events: readonly NormalizedLaneEvent[]): Record<string, string> {
  const lanes: Record<string, string> = {};
  for (const event of events) lanes[event.wp_id] = event.to_lane;
  return lanes;
}
