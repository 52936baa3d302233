/**
 * Crash-safe replacement of a file: write a temp file in the same folder, fsync it, rename it over
 * the target, fsync the folder. A reader sees the old bytes or the new bytes, never a mix, and a
 * power cut after the rename keeps the new bytes. The file-system calls go through a small seam so
 * tests can make any step fail (root ignores permission bits, so a real ENOSPC/EACCES is hard to
 * provoke in CI).
 */
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { StateWriteError, type WriteStep } from './errors.js';

export interface WritableHandle {
  writeFile(data: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface AtomicFs {
  mkdir(dir: string): Promise<void>;
  /** Open for writing, failing if the file exists. */
  openExclusive(file: string, mode: number): Promise<WritableHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  /** fsync a directory so the rename itself is durable. */
  syncDir(dir: string): Promise<void>;
}

export const nodeAtomicFs: AtomicFs = {
  async mkdir(dir) {
    await fsp.mkdir(dir, { recursive: true });
  },
  openExclusive: (file, mode) => fsp.open(file, 'wx', mode),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (file) => fsp.unlink(file),
  async syncDir(dir) {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } catch (error) {
      // Some file systems (and Windows) cannot fsync a directory; the rename is still atomic there.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw error;
    } finally {
      await handle.close();
    }
  },
};

/** A temp name that no other writer (in this or another process) can pick, next to the target. */
export function tempPathFor(target: string): string {
  const suffix = `${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  return path.join(path.dirname(target), `.${path.basename(target)}.${suffix}`);
}

/**
 * Replace `target` with `data` atomically. On failure the previous file is untouched, the temp
 * file is removed, and a StateWriteError names the target, the step and the cause.
 */
export async function writeFileAtomic(
  target: string,
  data: string,
  fs: AtomicFs = nodeAtomicFs,
  mode = 0o644,
): Promise<{ bytes: number }> {
  const dir = path.dirname(target);
  const temp = tempPathFor(target);
  // Encoded once: the write and the byte count share it (a 500-WP state is ~530 KB, rewritten
  // ~2,800 times a run; counting the string's UTF-8 bytes separately was a second full pass).
  const bytes = Buffer.from(data, 'utf8');
  let step: WriteStep = 'mkdir';
  let created = false;
  try {
    await fs.mkdir(dir);
    step = 'open';
    const handle = await fs.openExclusive(temp, mode);
    created = true;
    try {
      step = 'write';
      await handle.writeFile(bytes);
      step = 'fsync';
      await handle.sync();
    } finally {
      await handle.close();
    }
    step = 'rename';
    await fs.rename(temp, target);
    created = false;
    step = 'fsync-dir';
    await fs.syncDir(dir);
    return { bytes: bytes.length };
  } catch (error) {
    if (created) await fs.unlink(temp).catch(() => undefined);
    throw new StateWriteError(target, step, error);
  }
}
