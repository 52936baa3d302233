/** `agents`: which coding agents this orchestrator knows, and which are installed here. */
import { defineCommand } from 'citty';
import { type AgentDetection, detectAgents } from '../../agents/detect.js';
import { AGENTS } from '../../agents/registry.js';
import { EXIT } from '../exit-codes.js';
import { colorEnabled, palette, table } from '../output/format.js';
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
  };
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
    agent.path ?? '-',
  ]);
  const [header, ...body] = table(
    ['agent', 'binary', 'installed', 'version', 'prompt via', 'output', 'read-only review', 'path'],
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
  },
  async run({ args }) {
    const listings = (await detectAgents()).map(toListing);
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ agents: listings })}\n`);
    } else {
      process.stdout.write(renderAgents(listings, colorEnabled(process.stdout)));
    }
    return EXIT.ok;
  },
});
