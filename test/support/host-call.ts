import { execFile } from 'node:child_process';

export interface HostCallResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/**
 * Runs `<bin> <args...>` in `cwd` (normally the repo root) and returns what it printed. Never
 * throws for a non-zero exit: tests assert on exit codes and envelopes.
 */
export function callHost(
  bin: string,
  cwd: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<HostCallResult> {
  return new Promise((resolve) => {
    execFile(
      bin,
      [...args],
      { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ stdout, stderr, exitCode });
      },
    );
  });
}
