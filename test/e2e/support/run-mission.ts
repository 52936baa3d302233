/**
 * One end-to-end mission run: a fresh git repository on a working branch, the mission created
 * on the chosen host, fake agents with their scenario, and the composition root's missionMachine
 * run in-process to its output. Everything the assertions need is handed back.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Actor, createActor, toPromise } from 'xstate';
import { createMissionLogic, type MissionLogic } from '../../../src/cli/runtime/mission-logic.js';
import {
  buildPolicy,
  type HostCallRecord,
  type HostClient,
  serializePolicy,
} from '../../../src/host/index.js';
import type { MissionSpecInput } from '../../../src/host/simulated/index.js';
import type { MissionConfig, MissionOutput } from '../../../src/machines/mission/types.js';
import { createTempRepo, git, type TempRepo } from '../../support/temp-repo.js';
import { createFakeAgentHarness, type FakeAgentHarness, type FakeAgentScenario } from './fake-agents.js';
import type { HostTarget } from './hosts.js';
import { E2E_ACTOR } from './scenarios.js';

export const E2E_POLICY = serializePolicy(buildPolicy({ orchestrator_version: '0.1.0' }));

/** SIGTERM-to-SIGKILL grace for agent groups: the fake agent dies on SIGTERM, keep tests quick. */
const AGENT_GRACE_MS = 500;

export interface AgentStart {
  wpId: string;
  role: string;
  agent: string;
  pid: number;
}

export interface MissionWorld {
  repo: TempRepo;
  slug: string;
  host: HostClient;
  agents: FakeAgentHarness;
  /** Every host call the orchestrator's client made, in completion order. */
  calls: HostCallRecord[];
  agentStarts: AgentStart[];
  /** Removes the repository and the agents' folder. */
  cleanup(): void;
}

export interface PrepareOptions {
  target: HostTarget;
  mission: MissionSpecInput;
  agents: FakeAgentScenario;
  /** Told when an agent process group starts (after it is recorded). */
  onAgentStart?: (start: AgentStart) => void;
}

export interface PreparedMission extends MissionWorld {
  actor(config: MissionConfig): Actor<MissionLogic>;
}

export async function prepareMission(options: PrepareOptions): Promise<PreparedMission> {
  const repo = createTempRepo(`sko-e2e-${options.target.kind}-`);
  // Outside the repository: nothing of the harness may show up in the host's or git's view.
  const agentDir = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-e2e-agents-')));
  const cleanup = () => {
    repo.cleanup();
    rmSync(agentDir, { recursive: true, force: true });
  };
  try {
    // A working branch as a user would have (lanes must never be cut from, or commit to, main).
    git(repo.root, 'checkout', '-q', '-b', 'e2e/orchestrator');
    const slug = await options.target.createMission(repo.root, options.mission);
    const agents = createFakeAgentHarness({
      dir: agentDir,
      scenario: options.agents,
      hostBin: options.target.agentHostBin,
      hostEnv: options.target.hostEnv,
    });
    const calls: HostCallRecord[] = [];
    const host = options.target.client(repo.root, (call) => calls.push(call));
    const agentStarts: AgentStart[] = [];
    const world: MissionWorld = { repo, slug, host, agents, calls, agentStarts, cleanup };

    return {
      ...world,
      actor(config) {
        const logic = createMissionLogic({
          host,
          repoRoot: repo.root,
          launchers: agents.launchers,
          graceMs: AGENT_GRACE_MS,
          onAgentStart: (event) => {
            const start = { wpId: event.wpId, role: event.role, agent: event.agent, pid: event.pid };
            agentStarts.push(start);
            options.onAgentStart?.(start);
          },
        });
        return createActor(logic, {
          input: { mission: slug, actor: E2E_ACTOR, policy: E2E_POLICY, config, repoRoot: repo.root },
        });
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}

export interface MissionRun {
  output: MissionOutput;
  durationMs: number;
}

/** Starts the actor and waits for its final output (toPromise rejects if the actor errors). */
export async function runToEnd(actor: Actor<MissionLogic>): Promise<MissionRun> {
  const startedAt = performance.now();
  actor.start();
  const output = await toPromise(actor);
  return { output, durationMs: Math.round(performance.now() - startedAt) };
}
