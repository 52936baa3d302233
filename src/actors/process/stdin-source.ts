/**
 * Turns a prompt into a file descriptor the child inherits as stdin. The reference piped the
 * prompt after spawn, and under concurrent launches some agents read an empty stdin; a file
 * opened before spawn is complete the instant the child starts, whatever the timing.
 */

import type { FileHandle } from 'node:fs/promises';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface StdinSource {
  /** What to give `spawn` as stdio[0]. */
  stdio: number | 'ignore';
  bytes: number;
  /** Closes our copy of the descriptor; call it once spawn has returned (the child has its own). */
  release(): Promise<void>;
}

export async function openStdinSource(prompt: string | undefined): Promise<StdinSource> {
  if (prompt === undefined) return { stdio: 'ignore', bytes: 0, release: async () => {} };
  const folder = await mkdtemp(path.join(tmpdir(), 'sko-stdin-'));
  let handle: FileHandle | undefined;
  try {
    const file = path.join(folder, 'prompt.txt');
    // Prompts may quote private code: readable by the owner only.
    await writeFile(file, prompt, { mode: 0o600 });
    handle = await open(file, 'r');
  } finally {
    // POSIX keeps an open file alive after unlink, so nothing is left in /tmp even if we crash
    // between here and spawn.
    await rm(folder, { recursive: true, force: true });
  }
  const opened = handle;
  return {
    stdio: opened.fd,
    bytes: Buffer.byteLength(prompt),
    release: () => opened.close(),
  };
}
