/**
 * Model entries that start from a saved WP actor rather than from a host lane: the snapshot an
 * earlier run persisted while one of its calls was in flight, made safe as `resume` makes it,
 * for a host whose lane may have moved meanwhile (the call took effect before the kill).
 */
import type { AnyStateMachine } from 'xstate';
import type { Lane } from '../../../../src/host/lanes.js';
import { makeWpRestoreSafe } from '../../../../src/machines/restore/make-restore-safe.js';
import type { PersistedWp } from '../../../../src/machines/restore/persisted-run.js';
import { initialContext } from '../../../../src/machines/wp/context.js';
import { wpMachine } from '../../../../src/machines/wp/machine.js';
import { RECONCILE_STEPS } from '../../../../src/machines/wp/restore-steps.js';
import type { WorkspaceInfo, WpContext, WpInput } from '../../../../src/machines/wp/types.js';

type Snapshot = ReturnType<AnyStateMachine['getInitialSnapshot']>;

export interface RestoredEntry {
  /** The dotted step the saved actor was in (one that sends a lane change or runs an agent). */
  step: string;
  /** The lane the saved actor knew. */
  savedLane: Lane;
  /** The lane the host reports at restore (differs when the call took effect). */
  hostLane: Lane;
  /** The saved actor's own facts beyond a fresh context. */
  context: Partial<WpContext>;
}

function stateValue(step: string): unknown {
  const [first, second] = step.split('.');
  return { flow: second ? { [first as string]: second } : first, notes: 'idle' };
}

/** The persisted WP snapshot of `entry`, made safe, for the world's workspace. */
export function restoredSnapshot(
  entry: RestoredEntry,
  input: WpInput,
  workspace: WorkspaceInfo,
): PersistedWp {
  const context: WpContext = {
    ...initialContext(input),
    entryLane: entry.savedLane,
    lane: entry.savedLane,
    workspace,
    promptText: 'prompt',
    ...entry.context,
  };
  const invokeId = RECONCILE_STEPS[entry.step];
  if (!invokeId) throw new Error(`${entry.step} is not a step restore reconciles`);
  const saved: PersistedWp = {
    status: 'active',
    value: stateValue(entry.step) as PersistedWp['value'],
    context,
    children: {
      [invokeId]: { snapshot: { status: 'active', input: {} }, src: 'inFlight', syncSnapshot: false },
    },
  };
  const safe = makeWpRestoreSafe('WP01', saved);
  if (!safe.ok) throw new Error(safe.problem);
  return safe.wp;
}

/** The same snapshot as the graph traversal's starting state. */
export function restoredModelState(snapshot: PersistedWp): Snapshot {
  return wpMachine.resolveState({
    value: snapshot.value,
    context: snapshot.context,
  }) as unknown as Snapshot;
}
