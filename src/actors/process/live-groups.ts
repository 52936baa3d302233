/**
 * The agent process groups this orchestrator process is supervising right now. If the
 * orchestrator exits while some are running (an uncaught error, process.exit), the 'exit' hook
 * SIGKILLs them synchronously so no agent outlives us. A kill -9 of the orchestrator skips
 * this; the caller reaps those groups on resume from the pids it recorded through `onStart`.
 */
import { signalGroup } from './process-group.js';

const liveGroups = new Set<number>();
let hookInstalled = false;

export function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (!hookInstalled) {
    hookInstalled = true;
    process.once('exit', killAllTrackedGroups);
  }
}

export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

function killAllTrackedGroups(): void {
  for (const pgid of liveGroups) {
    try {
      signalGroup(pgid, 'SIGKILL');
    } catch {
      // Exiting anyway: nothing useful to do with a failure here.
    }
  }
  liveGroups.clear();
}
