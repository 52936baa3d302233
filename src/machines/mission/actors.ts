/**
 * The actors missionMachine invokes or spawns, by name. Host actors are placeholders until the
 * composition root provides them; `wp` is the real wpMachine (its own actors are provided on it
 * with `wpMachine.provide(...)` and registered here again by the root); `waitUntil` is the timer.
 */
import { notProvided } from '../shared/not-provided.js';
import { waitUntilLogic } from '../shared/wait-until.js';
import { wpMachine } from '../wp/machine.js';
import type {
  HostAcceptMissionInput,
  HostAcceptMissionOutput,
  HostContractVersionInput,
  HostContractVersionOutput,
  HostMissionStateInput,
  HostMissionStateOutput,
} from './types.js';

export const missionActors = {
  hostContractVersion: notProvided<HostContractVersionOutput, HostContractVersionInput>(
    'hostContractVersion',
  ),
  hostMissionState: notProvided<HostMissionStateOutput, HostMissionStateInput>('hostMissionState'),
  hostAcceptMission: notProvided<HostAcceptMissionOutput, HostAcceptMissionInput>('hostAcceptMission'),
  waitUntil: waitUntilLogic,
  wp: wpMachine,
};

export type MissionActorName = keyof typeof missionActors;
