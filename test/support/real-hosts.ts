/**
 * Every pinned real host the test setup installed (scripts/ensure-host.mjs), default first.
 * Tests that must hold on each host version loop over these; the rest use realHostBin().
 */
import { z } from 'zod';

export interface RealHost {
  /** spec-kitty-cli version, e.g. "3.2.7" or "4.0.0rc7". */
  version: string;
  /** The warm real host (warm-host.ts): what most tests call. */
  bin: string;
  /** The installed console script itself, for tests of the host as a user starts it. */
  coldBin: string;
}

const hostsSchema = z
  .array(
    z.object({ version: z.string().min(1), bin: z.string().min(1), coldBin: z.string().min(1).optional() }),
  )
  .min(1);

export function realHosts(): RealHost[] {
  const text = process.env.SPEC_KITTY_HOSTS;
  if (!text) {
    const bin = process.env.SPEC_KITTY_BIN;
    if (bin) return [{ version: 'default', bin, coldBin: bin }];
    throw new Error(
      'SPEC_KITTY_HOSTS is not set: run the suite through vitest (global setup installs the hosts)',
    );
  }
  return hostsSchema.parse(JSON.parse(text)).map((host) => ({ ...host, coldBin: host.coldBin ?? host.bin }));
}

/** The host whose version starts with `prefix` ("3." or "4."); throws when it is not installed. */
export function realHost(prefix: string): RealHost {
  const host = realHosts().find((h) => h.version.startsWith(prefix));
  if (!host) throw new Error(`no real host ${prefix}x installed: run node scripts/ensure-host.mjs`);
  return host;
}
