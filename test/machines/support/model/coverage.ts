/**
 * Model coverage measured from the machine definition: every state node and every transition
 * (on, invoke onDone/onError, always, after), keyed by `<source id>|<event type>|<index>` so that
 * provided copies of a machine (new StateNode objects) count against the same definition.
 */
import type { AnyActorRef, AnyStateMachine, AnyStateNode, InspectionEvent } from 'xstate';

interface TransitionLike {
  source: AnyStateNode;
  eventType: string;
}

function allNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states as Record<string, AnyStateNode>).flatMap(allNodes)];
}

export function transitionKey(transition: TransitionLike): string {
  const source = transition.source;
  const always = (source.always ?? []) as unknown[];
  const alwaysIndex = always.indexOf(transition);
  if (alwaysIndex >= 0) return `${source.id}|always|${alwaysIndex}`;
  const list = (source.transitions.get(transition.eventType) ?? []) as unknown[];
  return `${source.id}|${transition.eventType}|${list.indexOf(transition)}`;
}

export function definitionOf(machine: AnyStateMachine) {
  const nodes = allNodes(machine.root).filter((node) => node !== machine.root);
  const transitions: string[] = [];
  for (const node of allNodes(machine.root)) {
    for (const [eventType, list] of node.transitions) {
      for (let index = 0; index < list.length; index += 1)
        transitions.push(`${node.id}|${eventType}|${index}`);
    }
    const always = (node.always ?? []) as unknown[];
    for (let index = 0; index < always.length; index += 1) transitions.push(`${node.id}|always|${index}`);
  }
  return { states: nodes.map((node) => node.id), transitions };
}

export class CoverageRecorder {
  readonly states = new Set<string>();
  readonly transitions = new Set<string>();

  /**
   * The initial macrostep is not reported as microsteps: record the states it passed through
   * (the initial chain) and, for a transient initial state, the eventless branch it took (the one
   * whose target is active in the initial snapshot; branch targets are distinct in our machines).
   */
  recordInitial(machine: AnyStateMachine, snapshot: unknown): void {
    const active = new Set((snapshot as { _nodes: AnyStateNode[] })._nodes.map((node) => node.id));
    for (const id of active) this.states.add(id);
    const chain = (node: AnyStateNode): AnyStateNode[] => {
      if (node.type === 'parallel')
        return Object.values(node.states as Record<string, AnyStateNode>).flatMap(chain);
      const first = node.initial?.target?.[0] as AnyStateNode | undefined;
      return first ? [first, ...chain(first)] : [];
    };
    for (const node of chain(machine.root)) {
      this.states.add(node.id);
      const taken = ((node.always ?? []) as (TransitionLike & { target?: AnyStateNode[] })[]).find((t) =>
        (t.target ?? []).every((target) => active.has(target.id)),
      );
      if (taken) this.transitions.add(transitionKey(taken));
    }
  }

  /** A restored actor starts where its snapshot is: only its active states were reached. */
  recordRestored(snapshot: unknown): void {
    for (const node of (snapshot as { _nodes: AnyStateNode[] })._nodes) this.states.add(node.id);
  }

  /** An `inspect` observer for the root actor (children's microsteps are not this machine's). */
  observer(root: () => AnyActorRef | undefined) {
    return (event: InspectionEvent) => {
      if (event.type !== '@xstate.microstep' || event.actorRef !== root()) return;
      for (const transition of event._transitions as unknown as TransitionLike[]) {
        this.transitions.add(transitionKey(transition));
      }
      const nodes = (event.snapshot as unknown as { _nodes: AnyStateNode[] })._nodes;
      for (const node of nodes) this.states.add(node.id);
    };
  }

  report(machine: AnyStateMachine) {
    const definition = definitionOf(machine);
    const missingStates = definition.states.filter((id) => !this.states.has(id));
    const missingTransitions = definition.transitions.filter((key) => !this.transitions.has(key));
    return {
      states: { covered: definition.states.length - missingStates.length, total: definition.states.length },
      transitions: {
        covered: definition.transitions.length - missingTransitions.length,
        total: definition.transitions.length,
      },
      missingStates,
      missingTransitions,
    };
  }
}
