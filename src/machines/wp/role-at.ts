/**
 * Which agent role is at work in a wpMachine state. The states say it themselves (`meta.role` on
 * inProgress, forReview.preparingReview and inReview), so readers of live or saved snapshots
 * need not guess from state names.
 */
import type { AgentRole } from '../../agents/types.js';
import { wpMachine } from './machine.js';

interface NodeLike {
  meta?: unknown;
  states: Record<string, NodeLike>;
}

function roleIn(meta: unknown): AgentRole | null {
  const role = (meta as { role?: unknown } | undefined)?.role;
  return role === 'implementation' || role === 'review' ? role : null;
}

/** The innermost role named along the `flow` region of a state value; null in host-call steps. */
export function roleAt(value: unknown): AgentRole | null {
  let node: NodeLike | undefined = (wpMachine.root as unknown as NodeLike).states.flow;
  let inner: unknown = (value as { flow?: unknown } | null)?.flow;
  let role: AgentRole | null = null;
  while (node && inner !== undefined && inner !== null) {
    const key: string | undefined = typeof inner === 'string' ? inner : Object.keys(inner as object)[0];
    if (key === undefined) break;
    node = node.states[key];
    role = roleIn(node?.meta) ?? role;
    inner = typeof inner === 'string' ? undefined : (inner as Record<string, unknown>)[key];
  }
  return role;
}
