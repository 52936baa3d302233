/**
 * `decisions`: the mission's open design decisions, as the host's design-status reports them
 * (hosts with contract >= 1.4; an older host gets one line saying it has none, exit 4). A run
 * that stalls on a person's answer is explained here.
 */
import { defineCommand } from 'citty';
import { HostClient } from '../../host/client.js';
import { createExecTransport } from '../../host/exec-transport.js';
import { EXIT } from '../exit-codes.js';
import { renderOpenDecisions } from '../output/decisions.js';
import { missionFromArgOrRun } from '../runtime/mission-arg.js';
import { decisionsMissingOn, noDecisionsError } from '../runtime/open-decisions.js';
import { hostFailure } from '../runtime/preflight.js';
import { resolveRepoRoot } from '../runtime/repo-root.js';
import { jsonArg, missionOptionArg, repoRootArg } from './shared-args.js';

export default defineCommand({
  meta: {
    name: 'decisions',
    description: "List the mission's open design decisions (they wait for a person)",
  },
  args: { ...missionOptionArg, ...repoRootArg, ...jsonArg },
  async run({ args }) {
    const repoRoot = resolveRepoRoot(args['repo-root']);
    const mission = await missionFromArgOrRun(repoRoot, args.mission);
    const host = new HostClient(createExecTransport({ repoRoot }));
    const status = await host.designStatus({ mission }).catch((error: unknown) => {
      const contract = decisionsMissingOn(error);
      if (contract !== null) throw noDecisionsError(contract, error);
      return hostFailure(error, `reading the design status of mission ${mission}`);
    });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(status)}\n`);
      return EXIT.ok;
    }
    const lines = renderOpenDecisions(mission, status.open_decisions);
    process.stdout.write(
      `${lines.length > 0 ? lines.join('\n') : `no open design decisions for mission ${mission}`}\n`,
    );
    return EXIT.ok;
  },
});
