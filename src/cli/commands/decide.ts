/**
 * `decide`: a person answers one open design decision (the host's resolve-decision). The policy
 * sent says what really happened: a person answered, interactively, with no agent and no sandbox.
 * A host without decisions (contract < 1.4) refuses the verb as unknown, changing nothing; its
 * refusal's contract version turns that into one line saying so (exit 4).
 */
import { defineCommand } from 'citty';
import { HostClient } from '../../host/client.js';
import { createExecTransport } from '../../host/exec-transport.js';
import { buildPolicy, serializePolicy } from '../../host/policy.js';
import { EXIT } from '../exit-codes.js';
import { logger } from '../logger.js';
import { missionFromArgOrRun } from '../runtime/mission-arg.js';
import { decisionsMissingOn, noDecisionsError } from '../runtime/open-decisions.js';
import { hostFailure } from '../runtime/preflight.js';
import { resolveRepoRoot } from '../runtime/repo-root.js';
import { VERSION } from '../version.js';
import { actorArg, jsonArg, missionOptionArg, repoRootArg } from './shared-args.js';

const PERSON_POLICY = serializePolicy(
  buildPolicy({
    orchestrator_version: VERSION,
    agent_family: 'human',
    approval_mode: 'interactive',
    sandbox_mode: 'none',
    network_mode: 'none',
  }),
);

export default defineCommand({
  meta: { name: 'decide', description: 'Answer an open design decision (see `decisions`)' },
  args: {
    ...missionOptionArg,
    decision: {
      type: 'string',
      description: 'Decision id (from `decisions`)',
      valueHint: 'id',
      required: true,
    },
    answer: { type: 'string', description: 'The chosen answer', valueHint: 'text', required: true },
    rationale: { type: 'string', description: 'Why (recorded with the answer)', valueHint: 'text' },
    ...actorArg,
    ...repoRootArg,
    ...jsonArg,
  },
  async run({ args }) {
    const repoRoot = resolveRepoRoot(args['repo-root']);
    const mission = await missionFromArgOrRun(repoRoot, args.mission);
    const host = new HostClient(createExecTransport({ repoRoot }));
    const resolved = await host
      .resolveDecision({
        mission,
        decisionId: args.decision,
        finalAnswer: args.answer,
        ...(args.rationale ? { rationale: args.rationale } : {}),
        actor: args.actor,
        policy: PERSON_POLICY,
      })
      .catch((error: unknown) => {
        const contract = decisionsMissingOn(error);
        if (contract !== null) throw noDecisionsError(contract, error);
        return hostFailure(error, `answering decision ${args.decision} of mission ${mission}`);
      });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(resolved)}\n`);
      return EXIT.ok;
    }
    logger.success(
      `decision ${resolved.decision_id} of mission ${mission}: ${resolved.status}${resolved.idempotent ? ' (it already was)' : ''}`,
    );
    return EXIT.ok;
  },
});
