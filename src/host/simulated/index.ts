/** Public surface of the simulated host. */
export {
  type CreatedSimulatedMission,
  createSimulatedMission,
  MissionExistsError,
} from './create-mission.js';
export { type ProcessOutput, runSimulatedHost, type SimulatedHostOptions } from './host.js';
export {
  type MissionSpec,
  type MissionSpecInput,
  missionSpecSchema,
  ownedFilesOf,
  parseMissionSpec,
  type WorkPackageSpec,
} from './mission-spec.js';
export { readEvents as readSimulatedEvents, readMission as readSimulatedMission } from './mission-store.js';
export { SIMULATED_CONTRACT_VERSION } from './model.js';
export { laneBranchName, laneWorktreePath, missionBranchName, missionPaths } from './paths.js';
export { createSimulatedTransport, type SimulatedTransportOptions } from './transport.js';
