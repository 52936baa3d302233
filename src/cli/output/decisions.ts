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
