/**
 * Whether a run ended with every WP done but the mission not accepted, and the host's reason in
 * one line. The summary, the exit code and the JSON output all ask this one place, so a run that
 * failed at accept-mission never also prints the next step of a successful run.
 */
import type { MissionOutput } from '../../machines/mission/types.js';

const ACCEPT_COMMAND = 'accept-mission';

/** accept-mission failed or said no. (A run with --no-accept never calls it: not a failure.) */
export function isAcceptanceFailure(output: MissionOutput): boolean {
  if (output.accepted === false) return true;
  return output.status === 'failed' && output.error?.command === ACCEPT_COMMAND;
}

/**
 * The host's reasons when it gave any (the failed check of a crash, a refusal's outstanding
 * items), else our error's first line: never a traceback.
 */
export function acceptanceReason(output: MissionOutput): string {
  const error = output.error;
  if (!error) return 'accept-mission said no';
  if (error.reasons && error.reasons.length > 0) return error.reasons.join('; ');
  const firstLine = error.message.split('\n')[0] ?? '';
  return firstLine.replace(/^accept-mission:\s*/, '') || error.code;
}
