/** Explains why an agent could not be started, in terms a user can act on. */
import type { SpawnFailure } from '../../agents/types.js';

export function describeSpawnFailure(file: string, cwd: string, error: unknown): SpawnFailure {
  const code =
    error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : null;
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT') {
    return {
      reason: 'binary_not_found',
      code,
      message:
        `Could not start "${file}": no such executable (ENOENT). Install the agent CLI, or add the folder ` +
        `that contains it to PATH for the orchestrator (PATH=${process.env.PATH ?? ''}).`,
    };
  }
  if (code === 'EACCES') {
    return {
      reason: 'not_executable',
      code,
      message: `Could not start "${file}": permission denied (EACCES). Make it executable (chmod +x) or fix its path.`,
    };
  }
  return { reason: 'other', code, message: `Could not start "${file}" in ${cwd}: ${detail}` };
}

export function missingCwdFailure(file: string, cwd: string): SpawnFailure {
  return {
    reason: 'cwd_missing',
    code: 'ENOENT',
    message: `Could not start "${file}": its working directory ${cwd} does not exist or is not a directory.`,
  };
}
