import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Runs once before the suite: makes sure the pinned real host exists and exposes it to every
 * test through SPEC_KITTY_BIN (a path given by the caller wins).
 */
export default function setup(): void {
  if (!process.env.SPEC_KITTY_BIN) {
    const script = path.resolve(import.meta.dirname, '../../scripts/ensure-host.mjs');
    const bin = execFileSync(process.execPath, [script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.env.SPEC_KITTY_BIN = bin.trim();
  }
}
