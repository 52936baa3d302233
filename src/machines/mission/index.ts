export { MIN_CONTRACT_VERSION } from '../../host/contract.js';
export { type MissionActorName, missionActors } from './actors.js';
export { type MissionMachine, missionMachine } from './machine.js';
export { schedulableWps, stalledWps } from './scheduling.js';
export type * from './types.js';
