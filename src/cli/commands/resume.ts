/**
 * `resume`: continue the saved run. The host's lanes win: every unfinished WP is picked up from
 * the lane the host reports (a claimed or in_progress WP is implemented again in the same
 * worktree, keeping partial edits; a for_review WP goes straight to review), and reviews this
 * run had claimed (in_review) are returned to for_review and reviewed again.
 */
import { defineCommand } from 'citty';
import { type RunState, readRunState } from '../../actors/persistence/index.js';
import { createExecTransport } from '../../host/exec-transport.js';
import { parsePolicy } from '../../host/policy.js';
import { CliError } from '../cli-error.js';
import { EXIT } from '../exit-codes.js';
import { launchRun } from '../runtime/launch-run.js';
import { machineVersion } from '../runtime/machine-version.js';
import { loadEffectiveConfig } from '../runtime/preflight.js';
import { resolveRepoRoot } from '../runtime/repo-root.js';
import { ownedInReviewFrom, RESUMABLE_STATUSES } from '../runtime/saved-run.js';
import {
  agentOverrideArgs,
  agentOverrides,
  debugArg,
  eventLogArg,
  jsonArg,
  repoRootArg,
} from './shared-args.js';

async function loadSavedRun(repoRoot: string): Promise<RunState> {
  const saved = await readRunState(repoRoot);
  if (saved.kind === 'missing') {
    throw new CliError(
      `no saved run in ${repoRoot}`,
      EXIT.environment,
      'start one with `spec-kitty-orchestrator orchestrate --mission <slug>`',
    );
  }
  if (saved.kind === 'invalid') {
    throw new CliError(saved.error.message, EXIT.usage, undefined, { cause: saved.error });
  }
  if (!RESUMABLE_STATUSES.has(saved.state.status)) {
    throw new CliError(
      `the saved run of mission ${saved.state.mission} already ended (${saved.state.status}); nothing to resume`,
      EXIT.environment,
      `start a new run with \`orchestrate --mission ${saved.state.mission}\`; \`status\` shows how it ended`,
    );
  }
  if (saved.state.machineVersion !== machineVersion()) {
    throw new CliError(
      `the saved run was written by different orchestrator machines (${saved.state.machineVersion}, this version has ${machineVersion()})`,
      EXIT.usage,
      `finish it with the version that started it, or start over with \`orchestrate --mission ${saved.state.mission} --fresh\` (the host's lanes are kept)`,
    );
  }
  return saved.state;
}

export default defineCommand({
  meta: { name: 'resume', description: 'Continue the saved run (after Ctrl-C, abort, or a crash)' },
  args: {
    actor: {
      type: 'string',
      description: 'Actor name (default: the one the run started with)',
      valueHint: 'id',
    },
    ...repoRootArg,
    ...agentOverrideArgs,
    ...jsonArg,
    ...eventLogArg,
    ...debugArg,
  },
  async run({ args }) {
    const repoRoot = resolveRepoRoot(args['repo-root']);
    const saved = await loadSavedRun(repoRoot);
    const { config } = await loadEffectiveConfig(repoRoot, {
      ...agentOverrides(args),
    });
    return launchRun({
      repoRoot,
      mission: saved.mission,
      actor: args.actor ?? saved.actor,
      config,
      transport: createExecTransport({ repoRoot }),
      output: { json: args.json, ...(args['event-log'] ? { eventLog: args['event-log'] } : {}) },
      resume: {
        runId: saved.runId,
        startedAt: saved.startedAt,
        policy: parsePolicy(saved.policy),
        ownedInReview: ownedInReviewFrom(saved),
      },
    });
  },
});
