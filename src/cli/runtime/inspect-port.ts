/** `--inspect` takes an optional port: `--inspect` alone means 8080. */
import { CliError } from '../cli-error.js';
import { EXIT } from '../exit-codes.js';

export const DEFAULT_INSPECT_PORT = 8080;

export function parseInspectPort(rawArgs: readonly string[], value: string | undefined): number | undefined {
  const present = rawArgs.some((arg) => arg === '--inspect' || arg.startsWith('--inspect='));
  if (!present) return undefined;
  if (value === undefined || value === '' || (value as unknown) === true) return DEFAULT_INSPECT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CliError(`--inspect ${value}: not a port number (1-65535)`, EXIT.usage);
  }
  return port;
}
