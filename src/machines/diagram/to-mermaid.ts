/**
 * Machine definition -> Mermaid stateDiagram-v2. A pure walk over `machine.root`: composite states
 * for compound/parallel nodes (regions separated by `--`), `[*]` for initial and final states,
 * edge labels `EVENT [guard]`, `done(id)` / `error(id)` for invoke results, `always`, and a note
 * per atomic state with its description and what it invokes.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';

interface Transition {
  eventType: string;
  target?: readonly AnyStateNode[] | undefined;
  guard?: unknown;
}

function mermaidId(node: AnyStateNode): string {
  return node.path.length === 0 ? 'root' : node.path.join('_');
}

function eventLabel(eventType: string): string {
  for (const [prefix, name] of [
    ['xstate.done.actor.', 'done'],
    ['xstate.error.actor.', 'error'],
  ] as const) {
    if (eventType.startsWith(prefix)) return `${name}(${eventType.slice(prefix.length)})`;
  }
  if (eventType.startsWith('xstate.done.state.')) return 'onDone';
  if (eventType.startsWith('xstate.after.')) return `after ${eventType.split('.')[2] ?? ''}`;
  return eventType === '' ? 'always' : eventType;
}

export function guardLabel(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') return guard.type;
  return 'guard';
}

/** Mermaid labels and notes break on a few characters; keep the text readable and safe. */
function clean(text: string): string {
  return text
    .replace(/[:;#{}"]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function transitionsOf(node: AnyStateNode): Transition[] {
  const own: Transition[] = [];
  for (const list of node.transitions.values()) own.push(...(list as Transition[]));
  for (const always of (node.always ?? []) as Transition[]) own.push({ ...always, eventType: '' });
  return own;
}

function noteFor(node: AnyStateNode): string | null {
  const parts: string[] = [];
  if (node.description) parts.push(node.description);
  const invokes = node.invoke.map((def: { id: string; src: unknown }) =>
    typeof def.src === 'string' ? `${def.id} = ${def.src}` : def.id,
  );
  if (invokes.length > 0) parts.push(`invokes ${invokes.join(', ')}`);
  return parts.length > 0 ? clean(parts.join(' / ')) : null;
}

function childrenOf(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states) as AnyStateNode[];
}

function emitStructure(node: AnyStateNode, indent: string, lines: string[]): void {
  const children = childrenOf(node);
  children.forEach((child, index) => {
    const id = mermaidId(child);
    const grandChildren = childrenOf(child);
    if (grandChildren.length === 0) {
      lines.push(`${indent}state "${child.key}" as ${id}`);
      const note = noteFor(child);
      if (note) lines.push(`${indent}note right of ${id} : ${note}`);
    } else {
      lines.push(`${indent}state "${child.key}" as ${id} {`);
      emitStructure(child, `${indent}  `, lines);
      lines.push(`${indent}}`);
    }
    if (child.type === 'final') lines.push(`${indent}${id} --> [*]`);
    if (node.type === 'parallel' && index < children.length - 1) lines.push(`${indent}--`);
  });
  if (node.type === 'compound' && node.initial?.target?.[0]) {
    lines.push(`${indent}[*] --> ${mermaidId(node.initial.target[0] as AnyStateNode)}`);
  }
}

function emitEdges(node: AnyStateNode, lines: string[]): void {
  for (const transition of transitionsOf(node)) {
    const guard = guardLabel(transition.guard);
    const label = clean(`${eventLabel(transition.eventType)}${guard ? ` [${guard}]` : ''}`);
    for (const target of transition.target ?? []) {
      lines.push(`  ${mermaidId(node)} --> ${mermaidId(target)} : ${label}`);
    }
  }
  for (const child of childrenOf(node)) emitEdges(child, lines);
}

export function toMermaid(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2'];
  const root = machine.root;
  if (root.type === 'parallel') {
    lines.push(`  state "${root.key}" as root {`);
    emitStructure(root, '    ', lines);
    lines.push('  }');
    lines.push('  [*] --> root');
  } else {
    emitStructure(root, '  ', lines);
  }
  emitEdges(root, lines);
  return `${lines.join('\n')}\n`;
}
