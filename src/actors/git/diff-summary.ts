/**
 * A bounded picture of a lane's work for the review prompt: the diffstat, then as much of the
 * patch as fits. Git is asked for at most the budget, so a lane that commits a huge generated
 * file costs `maxChars`, not its size.
 */
import { runGit } from './git.js';
import { resolveCommit } from './refs.js';

/** Below this budget only the (cut) diffstat is returned. */
const MIN_PATCH_BUDGET = 200;

export interface LaneDiffSummaryOptions {
  workspacePath: string;
  /** The lane's base (e.g. the host's lane_base_ref); changes since its merge base with HEAD are shown. */
  baseRef: string;
  maxChars: number;
}

export async function laneDiffSummary(options: LaneDiffSummaryOptions): Promise<string> {
  const { workspacePath, baseRef, maxChars } = options;
  if (!Number.isInteger(maxChars) || maxChars < 1)
    throw new RangeError(`maxChars must be a positive integer, got ${maxChars}`);
  await resolveCommit(workspacePath, baseRef, 'Base ref');
  const range = `${baseRef}...HEAD`;
  const diff = (extra: string[], maxOutput: number) =>
    runGit(['diff', '--no-color', '--no-ext-diff', ...extra, range, '--'], { cwd: workspacePath, maxOutput });

  const stat = await diff(['--stat=120'], maxChars + 1);
  if (stat.stdout.trim() === '') return cut(`No changes between ${baseRef} and HEAD.\n`, maxChars);
  const statText = `Changes since ${baseRef} (git diff --stat ${range}):\n${stat.stdout}${stat.truncated ? '\n[diffstat truncated]\n' : ''}\n`;

  const notice = `\n[patch truncated: run \`git diff ${range}\` in ${workspacePath} for the rest]\n`;
  const patchBudget = maxChars - statText.length - notice.length;
  if (patchBudget < MIN_PATCH_BUDGET) return cut(statText, maxChars);

  const patch = await diff(['--patch'], patchBudget + 1);
  if (!patch.truncated && patch.stdout.length <= patchBudget) return statText + patch.stdout;
  // Cut at a line boundary so the reviewer never sees half a line presented as real.
  const head = patch.stdout.slice(0, patchBudget);
  const lastNewline = head.lastIndexOf('\n');
  return statText + (lastNewline > 0 ? head.slice(0, lastNewline + 1) : head) + notice;
}

function cut(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : text.slice(0, maxChars);
}
