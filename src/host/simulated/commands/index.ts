/** Every orchestrator-api verb the simulator implements, by name. */
import type { OrchestratorCommand } from './context.js';
import { acceptMission, appendHistory, mergeMission } from './mission-commands.js';
import { contractVersion, designStatus, listReady, missionState, resolveWorkspace } from './read-commands.js';
import { startImplementation, startReview } from './start-commands.js';
import { transition } from './transition.js';

export const ORCHESTRATOR_COMMANDS: ReadonlyMap<string, OrchestratorCommand> = new Map(
  [
    contractVersion,
    missionState,
    listReady,
    resolveWorkspace,
    startImplementation,
    startReview,
    transition,
    appendHistory,
    acceptMission,
    mergeMission,
    designStatus,
  ].map((command) => [command.name, command]),
);
