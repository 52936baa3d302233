/**
 * Path generation with xstate/graph: the adjacency map of a machine (bounded by a projecting
 * serializeState), shortest paths by BFS, and a selection of paths that takes every distinct
 * (state value, event kind, next state value) edge at least once, with prefixes dropped.
 */
import { __unsafe_getAllOwnEventDescriptors, type AnyStateMachine, type EventObject } from 'xstate';
import { getAdjacencyMap } from 'xstate/graph';

export interface ModelStep {
  event: EventObject;
  /** serializeState of the snapshot after the event. */
  state: string;
  value: unknown;
}
export interface ModelPath {
  steps: ModelStep[];
}

type AnySnapshot = ReturnType<AnyStateMachine['getInitialSnapshot']>;

export interface ModelOptions {
  input: unknown;
  /** Payload variants per event type (a function of the state for context-dependent events). */
  payloads: (snapshot: AnySnapshot, eventType: string) => EventObject[] | undefined;
  project: (snapshot: AnySnapshot) => unknown;
  /** Event kind for edge selection (e.g. the type plus the outcome it carries). */
  kindOf: (event: EventObject) => string;
  limit?: number;
  /** Start the traversal here instead of at the machine's initial state (a restored actor). */
  fromState?: AnySnapshot;
}

export function serializeWith(project: ModelOptions['project']) {
  return (snapshot: AnySnapshot) =>
    JSON.stringify({ value: snapshot.value, status: snapshot.status, p: project(snapshot) });
}

export function modelPaths(
  machine: AnyStateMachine,
  options: ModelOptions,
): { paths: ModelPath[]; states: number; edges: number } {
  const serialize = serializeWith(options.project);
  type Adjacency = Record<
    string,
    { state: AnySnapshot; transitions: Record<string, { event: EventObject; state: AnySnapshot }> }
  >;
  const adjacency = getAdjacencyMap(machine, {
    input: options.input,
    limit: options.limit ?? 20_000,
    ...(options.fromState ? { fromState: options.fromState } : {}),
    serializeState: (snapshot) => serialize(snapshot as AnySnapshot),
    events: (snapshot) =>
      snapshot.status !== 'active'
        ? []
        : __unsafe_getAllOwnEventDescriptors(snapshot as AnySnapshot).flatMap(
            (type) => options.payloads(snapshot as AnySnapshot, type) ?? [{ type }],
          ),
  }) as unknown as Adjacency;
  const keys = Object.keys(adjacency);
  const initial = keys[0];
  if (initial === undefined) throw new Error('empty adjacency map');
  // BFS: shortest path (as steps) to every state.
  const shortest = new Map<string, ModelStep[]>([[initial, []]]);
  const queue = [initial];
  let edges = 0;
  while (queue.length > 0) {
    const key = queue.shift() as string;
    const node = adjacency[key];
    if (!node) continue;
    for (const { event, state } of Object.values(node.transitions)) {
      edges += 1;
      const next = serialize(state as AnySnapshot);
      if (shortest.has(next)) continue;
      shortest.set(next, [
        ...(shortest.get(key) ?? []),
        { event, state: next, value: (state as AnySnapshot).value },
      ]);
      queue.push(next);
    }
  }
  // One path per distinct edge signature: shortest path to the source, then the edge.
  const chosen = new Map<string, ModelStep[]>();
  for (const [key, node] of Object.entries(adjacency)) {
    const prefix = shortest.get(key);
    if (!prefix) continue;
    const from = JSON.stringify((node.state as AnySnapshot).value);
    for (const { event, state } of Object.values(node.transitions)) {
      const signature = `${from}|${options.kindOf(event)}|${JSON.stringify((state as AnySnapshot).value)}`;
      const steps = [
        ...prefix,
        { event, state: serialize(state as AnySnapshot), value: (state as AnySnapshot).value },
      ];
      const existing = chosen.get(signature);
      if (!existing || existing.length > steps.length) chosen.set(signature, steps);
    }
  }
  const candidates = [...chosen.values()].sort((a, b) => b.length - a.length);
  const kept: ModelStep[][] = [];
  const sameEvent = (a: ModelStep, b: ModelStep) =>
    a.state === b.state && JSON.stringify(a.event) === JSON.stringify(b.event);
  for (const steps of candidates) {
    const isPrefix = kept.some((longer) =>
      steps.every((step, i) => longer[i] !== undefined && sameEvent(step, longer[i])),
    );
    if (!isPrefix) kept.push(steps);
  }
  // A machine that settles at once (e.g. a WP found done) still gets its one, empty, path.
  if (kept.length === 0) kept.push([]);
  return { paths: kept.map((steps) => ({ steps })), states: keys.length, edges };
}
