/**
 * The composition root: the pure machines meet the world here. Host actors go through one
 * HostApi (the real client or the simulated host); the world actors run agents and git.
 * Everything else (CLI commands, end-to-end tests, the benchmark) builds its logic through this.
 */

import {
  createMissionHostActors,
  createWpHostActors,
  type WpHostActorOptions,
} from '../../actors/host-actors.js';
import { createWpWorldActors, type WpWorldOptions } from '../../actors/wp-world-actors.js';
import type { HostApi } from '../../host/api.js';
import { missionMachine, wpMachine } from '../../machines/index.js';

export interface MissionLogicOptions extends WpWorldOptions, WpHostActorOptions {
  host: HostApi;
}

export function createMissionLogic(options: MissionLogicOptions) {
  const now = options.now ?? Date.now;
  // Bound to the host, so a confined agent's relayed marks go to the host this run talks to.
  const markSubtasksDone = options.host.markSubtasksDone?.bind(options.host);
  const world = createWpWorldActors({
    ...options,
    ...(markSubtasksDone
      ? { markSubtasks: (args, signal) => markSubtasksDone(args, signal ? { signal } : {}) }
      : {}),
  });
  const wp = wpMachine.provide({
    actors: { ...createWpHostActors(options.host, now, options), ...world },
  });
  return missionMachine.provide({
    actors: { ...createMissionHostActors(options.host, now, options), wp },
  });
}

export type MissionLogic = ReturnType<typeof createMissionLogic>;
