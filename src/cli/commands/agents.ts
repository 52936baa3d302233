/** `agents`: which coding agents this orchestrator knows, and which are installed here. */
import { defineCommand } from 'citty';
import { type AgentDetection, detectAgents } from '../../agents/detect.js';
import { type AgentFlagReport, probeAgentFlags } from '../../agents/probe-flags.js';
import { AGENTS } from '../../agents/registry.js';
import { TESTED_VERSIONS } from '../../agents/tested-versions.js';
import type { AgentId, AgentSettings } from '../../agents/types.js';
import { EXIT } from '../exit-codes.js';
import { colorEnabled, palette, table } from '../output/format.js';
import { loadEffectiveConfig } from '../runtime/preflight.js';
import { jsonArg } from './shared-args.js';

export interface AgentListing {
  id: string;
  name: string;
  binary: string;
  installed: boolean;
  version: string | null;
  path: string | null;
  /** How the prompt reaches the agent: on stdin, or as a command-line argument (size-limited). */
  promptVia: 'stdin' | 'argument';
  outputFormat: string;
  /** Whether the review role's flags stop the agent from writing (else only the prompt asks it not to). */
  reviewReadOnly: boolean;
  /** The command that starts it (e.g. `gh copilot` for Copilot through the GitHub CLI). */
  launcher: string[] | null;
  /** The version this release was proven against, and how (end-to-end, argv-checked, docs). */
  testedVersion: string | null;
  testedHow: string;
}

export function toListing(detection: AgentDetection): AgentListing {
  const adapter = AGENTS[detection.id];
  return {
    id: detection.id,
    name: adapter.displayName,
    binary: detection.binary,
    installed: detection.installed,
    version: detection.version,
    path: detection.path,
    promptVia: adapter.promptVia,
    outputFormat: adapter.outputFormat ?? 'text',
    reviewReadOnly: adapter.reviewIsReadOnly ?? false,
    launcher: detection.launcher,
    testedVersion: TESTED_VERSIONS[detection.id].version,
    testedHow: TESTED_VERSIONS[detection.id].proof,
  };
}

/** One line per checked agent: its version and whether our flags are accepted, with the fix. */
export function renderFlagReports(reports: readonly AgentFlagReport[], color = false): string {
  const colours = palette(color);
  if (reports.length === 0) return 'No installed agent to check.\n';
  const lines = reports.map((report) => {
    const version = report.version ?? 'version unknown';
    const tested = report.testedVersion ? `tested ${report.testedVersion}` : 'not tested here';
    if (report.ok) {
      const count = new Set(report.checks.flatMap((check) => check.accepted)).size;
      return `${colours.green('ok')}   ${report.id} (${version}; ${tested}): all ${count} flags we pass are listed by its help`;
    }
    return `${colours.red('FAIL')} ${report.id} (${version}; ${tested}): ${report.fix ?? ''}`;
  });
  return `${lines.join('\n')}\n`;
}

async function settingsHere(): Promise<Partial<Record<AgentId, AgentSettings>>> {
  // Inside a project its agent_settings (extra args, model) are part of what we would pass.
  try {
    const { resolveRepoRoot } = await import('../runtime/repo-root.js');
    const { config } = await loadEffectiveConfig(resolveRepoRoot(undefined), {});
    return config.agentSettings;
  } catch {
    return {};
  }
}

export function renderAgents(listings: readonly AgentListing[], color = false): string {
  const colours = palette(color);
  const rows = listings.map((agent) => [
    agent.id,
    agent.binary,
    agent.installed ? 'yes' : 'no',
    agent.version ?? '-',
    agent.promptVia,
    agent.outputFormat,
    agent.reviewReadOnly ? 'yes' : 'prompt only',
    agent.testedVersion ? `${agent.testedVersion} (${agent.testedHow})` : agent.testedHow,
    agent.path ?? '-',
  ]);
  const [header, ...body] = table(
    ['agent', 'binary', 'installed', 'version', 'prompt via', 'output', 'read-only review', 'tested', 'path'],
    rows,
  );
  const lines = [
    colours.bold(header ?? ''),
    ...body.map((line, index) => (listings[index]?.installed ? line : colours.dim(line))),
  ];
  const installed = listings.filter((agent) => agent.installed).length;
  lines.push(
    '',
    `${installed} of ${listings.length} agents installed. Choose them in .kittify/orchestrator.yaml ` +
      '(agents.implementation / agents.review) or with --impl-agent / --review-agent.',
  );
  return `${lines.join('\n')}\n`;
}

export default defineCommand({
  meta: {
    name: 'agents',
    description: 'List the coding agents this orchestrator can drive and whether each is installed',
  },
  args: {
    ...jsonArg,
    check: {
      type: 'boolean',
      description:
        'Also check that each installed agent accepts the flags we would pass (from its --help); exit 4 if not',
      default: false,
    },
  },
  async run({ args }) {
    const detections = await detectAgents();
    const listings = detections.map(toListing);
    if (args.check) {
      const reports = await probeAgentFlags(detections, await settingsHere());
      if (args.json) process.stdout.write(`${JSON.stringify({ agents: listings, checks: reports })}\n`);
      else {
        process.stdout.write(renderAgents(listings, colorEnabled(process.stdout)));
        process.stdout.write(`\n${renderFlagReports(reports, colorEnabled(process.stdout))}`);
      }
      return reports.every((report) => report.ok) ? EXIT.ok : EXIT.environment;
    }
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ agents: listings })}\n`);
    } else {
      process.stdout.write(renderAgents(listings, colorEnabled(process.stdout)));
    }
    return EXIT.ok;
  },
});
