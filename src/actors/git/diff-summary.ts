/**
 * A bounded picture of a lane's work for the review prompt: the diffstat, then as much of the
 * patch as fits. Git is asked for at most the budget, so a lane that commits a huge generated
 * file costs `maxChars`, not its size.
 */
import { InvalidRefError } from './errors.js';
import { runGit } from './git.js';
import { isPlainRef, resolveCommit } from './refs.js';

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
  if (!isPlainRef(baseRef)) throw new InvalidRefError(baseRef, 'Base ref');
  const range = `${baseRef}...HEAD`;
  const { stat, statTruncated, patch, patchTruncated } = await statAndPatch(workspacePath, baseRef, maxChars);

  if (stat.trim() === '') return cut(`No changes between ${baseRef} and HEAD.\n`, maxChars);
  const statText = `Changes since ${baseRef} (git diff --stat ${range}):\n${stat}${statTruncated ? '\n[diffstat truncated]\n' : ''}\n`;

  const notice = `\n[patch truncated: run \`git diff ${range}\` in ${workspacePath} for the rest]\n`;
  const patchBudget = maxChars - statText.length - notice.length;
  if (patchBudget < MIN_PATCH_BUDGET) return cut(statText, maxChars);

  if (!patchTruncated && patch.length <= patchBudget) return statText + patch;
  // Cut at a line boundary so the reviewer never sees half a line presented as real.
  const head = patch.slice(0, patchBudget);
  const lastNewline = head.lastIndexOf('\n');
  return statText + (lastNewline > 0 ? head.slice(0, lastNewline + 1) : head) + notice;
}

/**
 * The diffstat (at most maxChars + 1 characters, more means truncated) and as much of the patch
 * as can be shown after it, from one git process: `--stat --patch` prints the diffstat, an empty
 * line, then the patch. Asking for maxChars + 2 characters in all leaves the patch more room than
 * its budget (which is less than maxChars - stat), so a cut patch is always seen as too long.
 * An unknown base fails the diff; resolveCommit then raises the typed error.
 */
async function statAndPatch(
  workspacePath: string,
  baseRef: string,
  maxChars: number,
): Promise<{ stat: string; statTruncated: boolean; patch: string; patchTruncated: boolean }> {
  const args = ['diff', '--no-color', '--no-ext-diff', '--stat=120', '--patch', `${baseRef}...HEAD`, '--'];
  let both: { stdout: string; truncated: boolean };
  try {
    both = await runGit(args, { cwd: workspacePath, maxOutput: maxChars + 2 });
  } catch (error) {
    await resolveCommit(workspacePath, baseRef, 'Base ref');
    throw error;
  }
  // Diffstat lines never are empty, so the first empty line ends the diffstat.
  const end = both.stdout.indexOf('\n\n');
  if (end < 0) {
    const statTruncated = both.truncated;
    return { stat: both.stdout.slice(0, maxChars + 1), statTruncated, patch: '', patchTruncated: false };
  }
  return {
    stat: both.stdout.slice(0, end + 1),
    statTruncated: false,
    patch: both.stdout.slice(end + 2),
    patchTruncated: both.truncated,
  };
}

function cut(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : text.slice(0, maxChars);
}
