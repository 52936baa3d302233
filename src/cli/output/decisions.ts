/**
 * Open design decisions, as `status`, `decisions` and a stalled run's summary print them: the
 * host gives each decision's id and origin only, so the line says how to answer it.
 */
import type { OpenDecision } from '../../host/schemas.js';

const ORCHESTRATOR = 'spec-kitty-orchestrator';

export function decideCommand(mission: string, decisionId: string): string {
  return `${ORCHESTRATOR} decide --mission ${mission} --decision ${decisionId} --answer '<your answer>'`;
}

/** Nothing for no decisions; else a heading and one line per decision. */
export function renderOpenDecisions(mission: string, decisions: readonly OpenDecision[]): string[] {
  if (decisions.length === 0) return [];
  const heading =
    decisions.length === 1
      ? `1 design decision is waiting for a person (mission ${mission}):`
      : `${decisions.length} design decisions are waiting for a person (mission ${mission}):`;
  return [
    heading,
    ...decisions.map(
      (decision) =>
        `  ${decision.decision_id}${decision.origin ? ` (from ${decision.origin})` : ''}: answer with \`${decideCommand(mission, decision.decision_id)}\``,
    ),
  ];
}

/** The command that lists a mission's open decisions with how to answer each. */
export function decisionsCommand(mission: string): string {
  return `${ORCHESTRATOR} decisions --mission ${mission}`;
}

/**
 * One line for the live view's frame, which has no room for a line per decision: how many wait,
 * their ids, and where to see how to answer them. Null when none waits.
 */
export function openDecisionsReminder(mission: string, decisions: readonly OpenDecision[]): string | null {
  if (decisions.length === 0) return null;
  const count = decisions.length === 1 ? '1 design decision' : `${decisions.length} design decisions`;
  const ids = decisions.map((decision) => decision.decision_id).join(', ');
  return `waiting for a person: ${count} (\`${decisionsCommand(mission)}\`): ${ids}`;
}
