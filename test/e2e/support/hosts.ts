/**
 * The hosts an end-to-end mission runs against, behind one shape: how to create the mission in a
 * repository, the HostClient the orchestrator talks through, the binary the agents' mark-status
 * commands call, and where the host's lane events can be read back.
 *
 * - `simulated`: the simulated host in-process (createSimulatedTransport); agents still call the
 *   simulated executable for mark-status (they are separate processes).
 * - `simulated-exec`: the simulated host as a process (fixtures/bin/spec-kitty) through the same
 *   exec transport the real host uses.
 * - `real`: spec-kitty-cli 3.2.7, offline, with its own SPEC_KITTY_HOME.
 */
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type HostCallRecord, HostClient } from '../../../src/host/client.js';
import { createExecTransport } from '../../../src/host/exec-transport.js';
import {
  createSimulatedMission,
  createSimulatedTransport,
  type MissionSpecInput,
} from '../../../src/host/simulated/index.js';
import {
  createRealMission,
  type NormalizedLaneEvent,
  readRealLaneEvents,
  readSimulatedLaneEvents,
} from '../../support/real-mission.js';
import { GIT_TEST_ENV, hostTestEnv, realHostBin } from '../../support/temp-repo.js';

export type HostKind = 'simulated' | 'simulated-exec' | 'real';

export const SIMULATED_BIN = path.resolve(import.meta.dirname, '../../../fixtures/bin/spec-kitty');
const SIMULATED_CLI = path.resolve(import.meta.dirname, '../../../dist/host/simulated/cli.js');

export interface HostTarget {
  kind: HostKind;
  /** Binary the agents' `spec-kitty agent tasks mark-status` calls run. */
  agentHostBin: string;
  /** Environment for those calls (and for the host process itself). */
  hostEnv: Record<string, string>;
  /** Makes the mission; resolves to its slug (the real host names it `<name>-<mid8>`). */
  createMission(repoRoot: string, spec: MissionSpecInput): Promise<string>;
  /** A fresh client; every call it makes is reported to `onCall`. */
  client(repoRoot: string, onCall: (call: HostCallRecord) => void): HostClient;
  readLaneEvents(repoRoot: string, slug: string): NormalizedLaneEvent[];
  cleanup(): void;
}

/** The simulated executable imports dist/: fail with the fix rather than with a module error. */
export function assertSimulatedHostBuilt(): void {
  if (!existsSync(SIMULATED_CLI)) {
    throw new Error(
      `${SIMULATED_CLI} is missing: run \`npm run build\` first (fixtures/bin/spec-kitty runs it)`,
    );
  }
}

export function createHostTarget(kind: HostKind): HostTarget {
  const clientOptions = (onCall: (call: HostCallRecord) => void) => ({ providerVersion: '0.1.0', onCall });
  if (kind === 'real') {
    const home = realpathSync(mkdtempSync(path.join(tmpdir(), 'sko-e2e-home-')));
    const hostEnv = { ...hostTestEnv(home), ...GIT_TEST_ENV };
    const hostBin = realHostBin();
    return {
      kind,
      agentHostBin: hostBin,
      hostEnv,
      async createMission(repoRoot, spec) {
        return (await createRealMission(repoRoot, spec, { hostBin, env: hostEnv })).slug;
      },
      client: (repoRoot, onCall) =>
        new HostClient(createExecTransport({ repoRoot, hostBin, env: hostEnv }), clientOptions(onCall)),
      readLaneEvents: readRealLaneEvents,
      cleanup: () => rmSync(home, { recursive: true, force: true }),
    };
  }
  const hostEnv = { ...GIT_TEST_ENV };
  return {
    kind,
    agentHostBin: SIMULATED_BIN,
    hostEnv,
    async createMission(repoRoot, spec) {
      await createSimulatedMission(repoRoot, spec);
      return spec.slug;
    },
    client: (repoRoot, onCall) =>
      new HostClient(
        kind === 'simulated'
          ? createSimulatedTransport({ repoRoot })
          : createExecTransport({ repoRoot, hostBin: SIMULATED_BIN, env: hostEnv }),
        clientOptions(onCall),
      ),
    readLaneEvents: readSimulatedLaneEvents,
    cleanup: () => {},
  };
}
