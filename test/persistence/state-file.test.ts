import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AtomicFs, nodeAtomicFs } from '../../src/actors/persistence/atomic-fs.js';
import { StateWriteError } from '../../src/actors/persistence/errors.js';
import { runStatePath } from '../../src/actors/persistence/paths.js';
import type { RunState } from '../../src/actors/persistence/run-state-schema.js';
import {
  readRunState,
  removeRunState,
  writeRunStateAtomic,
} from '../../src/actors/persistence/state-file.js';
import { sampleRunState } from './support/run-state-fixture.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function tempRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sko-state-'));
  roots.push(root);
  mkdirSync(path.join(root, '.kittify'));
  return root;
}

function kittifyEntries(root: string): string[] {
  return readdirSync(path.join(root, '.kittify')).sort();
}

function failingFs(step: 'write' | 'fsync' | 'rename', code: string): AtomicFs {
  const failure = () => Object.assign(new Error(`${code}: simulated failure`), { code });
  return {
    ...nodeAtomicFs,
    async openExclusive(file, mode) {
      const handle = await nodeAtomicFs.openExclusive(file, mode);
      return {
        async writeFile(data) {
          if (step === 'write') {
            // A partial write before the disk fills up: the temp file holds garbage.
            await handle.writeFile(data.slice(0, 10));
            throw failure();
          }
          await handle.writeFile(data);
        },
        async sync() {
          if (step === 'fsync') throw failure();
          await handle.sync();
        },
        close: () => handle.close(),
      };
    },
    async rename(from, to) {
      if (step === 'rename') throw failure();
      await nodeAtomicFs.rename(from, to);
    },
  };
}

describe('readRunState / writeRunStateAtomic', () => {
  it('reports a missing file as missing', async () => {
    expect(await readRunState(tempRoot())).toEqual({ kind: 'missing' });
  });

  it('round-trips a state, and creates .kittify when needed', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'sko-state-'));
    roots.push(root);
    const state = sampleRunState(root, 7);
    const receipt = await writeRunStateAtomic(root, state);
    expect(receipt.path).toBe(runStatePath(root));
    expect(receipt.bytes).toBe(Buffer.byteLength(readFileSync(runStatePath(root), 'utf8')));
    expect(await readRunState(root)).toEqual({ kind: 'ok', state });
    expect(kittifyEntries(root)).toEqual(['orchestrator-run-state.json']);
  });

  it('writes the envelope one field per line and the snapshot on one line', async () => {
    const root = tempRoot();
    const state = sampleRunState(root, 3);
    await writeRunStateAtomic(root, state);
    const lines = readFileSync(runStatePath(root), 'utf8').split('\n');
    expect(lines).toContain('  "status": "running",');
    expect(lines).toContain(`  "pid": ${process.pid},`);
    expect(lines).toContain(`  "snapshot": ${JSON.stringify(state.snapshot)}`);
    expect(lines.at(-2)).toBe('}');
    expect(lines.at(-1)).toBe('');
    // A snapshot that is not JSON-clean (as getPersistedSnapshot may give) is written as JSON would.
    const loose = { ...state.snapshot, output: undefined, context: { at: new Date(0), tick: 3 } };
    await writeRunStateAtomic(root, { ...state, snapshot: loose });
    const read = await readRunState(root);
    expect(read.kind === 'ok' && read.state.snapshot).toEqual(JSON.parse(JSON.stringify(loose)));
  });

  it('removes the file, and says so only when there was one', async () => {
    const root = tempRoot();
    await writeRunStateAtomic(root, sampleRunState(root));
    expect(await removeRunState(root)).toEqual({ removed: true });
    expect(await readRunState(root)).toEqual({ kind: 'missing' });
    expect(await removeRunState(root)).toEqual({ removed: false });
  });

  it.each(['write', 'fsync', 'rename'] as const)(
    'keeps the previous file and removes the temp file when %s fails (injected ENOSPC)',
    async (step) => {
      const root = tempRoot();
      const previous = sampleRunState(root, 1);
      await writeRunStateAtomic(root, previous);
      const before = readFileSync(runStatePath(root), 'utf8');

      const error = await writeRunStateAtomic(root, sampleRunState(root, 2), failingFs(step, 'ENOSPC')).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(StateWriteError);
      const writeError = error as StateWriteError;
      expect(writeError.code).toBe('STATE_WRITE_FAILED');
      expect(writeError.step).toBe(step);
      expect(writeError.path).toBe(runStatePath(root));
      expect(writeError.message).toContain('orchestrator-run-state.json');
      expect(writeError.message).toContain('ENOSPC');
      expect(writeError.message).toContain('the previous copy is unchanged');
      expect((writeError.cause as NodeJS.ErrnoException).code).toBe('ENOSPC');

      expect(readFileSync(runStatePath(root), 'utf8')).toBe(before);
      expect(await readRunState(root)).toEqual({ kind: 'ok', state: previous });
      expect(kittifyEntries(root)).toEqual(['orchestrator-run-state.json']);
    },
  );

  it('fails for real (as root too) when .kittify is a file, naming the path and the cause', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'sko-state-'));
    roots.push(root);
    writeFileSync(path.join(root, '.kittify'), 'not a folder');
    const error = await writeRunStateAtomic(root, sampleRunState(root)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateWriteError);
    expect((error as StateWriteError).step).toBe('mkdir');
    expect((error as StateWriteError).message).toMatch(/EEXIST|ENOTDIR/);
    expect(readFileSync(path.join(root, '.kittify'), 'utf8')).toBe('not a folder');
  });

  it('fails for real when the target is a folder: the folder stays and no temp file is left', async () => {
    const root = tempRoot();
    mkdirSync(runStatePath(root));
    writeFileSync(path.join(runStatePath(root), 'keep'), 'x');
    const error = await writeRunStateAtomic(root, sampleRunState(root)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateWriteError);
    expect((error as StateWriteError).step).toBe('rename');
    expect((error as StateWriteError).message).toMatch(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readFileSync(path.join(runStatePath(root), 'keep'), 'utf8')).toBe('x');
    expect(kittifyEntries(root)).toEqual(['orchestrator-run-state.json']);
  });

  it('refuses a state that cannot be serialised (BigInt) before touching the previous file', async () => {
    const root = tempRoot();
    const previous = sampleRunState(root, 1);
    await writeRunStateAtomic(root, previous);
    const bad = sampleRunState(root, 2);
    bad.snapshot = { ...bad.snapshot, context: { big: 10n } };
    const error = await writeRunStateAtomic(root, bad).catch((caught: unknown) => caught);
    expect((error as StateWriteError).step).toBe('serialize');
    expect(await readRunState(root)).toEqual({ kind: 'ok', state: previous });
  });

  it('refuses a state that breaks the schema, so the file on disk stays resumable', async () => {
    const root = tempRoot();
    const bad = { ...sampleRunState(root), status: 'sleeping' } as unknown as RunState;
    const error = await writeRunStateAtomic(root, bad).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateWriteError);
    expect((error as StateWriteError).step).toBe('serialize');
    expect(existsSync(runStatePath(root))).toBe(false);
  });

  it('always leaves a parseable file after many concurrent writes, read while they happen', async () => {
    const root = tempRoot();
    const states = Array.from({ length: 60 }, (_, tick) => sampleRunState(root, tick));
    let writing = true;
    const reads: string[] = [];
    const reader = (async () => {
      while (writing) {
        const result = await readRunState(root);
        reads.push(result.kind);
        if (result.kind === 'invalid') throw result.error;
      }
    })();
    await Promise.all(states.map((state) => writeRunStateAtomic(root, state)));
    writing = false;
    await reader;

    expect(reads.filter((kind) => kind === 'ok').length).toBeGreaterThan(0);
    expect(reads).not.toContain('invalid');
    const final = await readRunState(root);
    expect(final.kind).toBe('ok');
    expect(states).toContainEqual(final.kind === 'ok' ? final.state : null);
    expect(kittifyEntries(root)).toEqual(['orchestrator-run-state.json']);
  });
});

describe('readRunState on a bad file', () => {
  function writeRaw(root: string, text: string): void {
    writeFileSync(runStatePath(root), text);
  }

  it('names the file and the recovery for a file that is not JSON', async () => {
    const root = tempRoot();
    writeRaw(root, '{"format": "spec-kitty-orchestrator/run-state", "formatVer');
    const result = await readRunState(root);
    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    expect(result.error.code).toBe('RUN_STATE_INVALID');
    expect(result.error.path).toBe(runStatePath(root));
    expect(result.error.message).toContain('orchestrator-run-state.json');
    expect(result.error.message).toContain('not valid JSON');
    expect(result.error.message).toContain('abort --cleanup-worktrees');
    expect(result.error.message).toContain('delete');
    expect(result.error.fields).toEqual([]);
  });

  it('names every invalid field by its path', async () => {
    const root = tempRoot();
    const state = sampleRunState(root) as unknown as Record<string, unknown>;
    writeRaw(
      root,
      JSON.stringify({
        ...state,
        status: 'sleeping',
        startedAt: 'yesterday',
        snapshot: { value: 'running', context: {} },
        extra: 1,
      }),
    );
    const result = await readRunState(root);
    if (result.kind !== 'invalid') throw new Error(`expected invalid, got ${result.kind}`);
    expect(result.error.fields).toEqual(
      expect.arrayContaining(['status', 'startedAt', 'snapshot.status', '']),
    );
    expect(result.error.message).toContain('snapshot.status');
    expect(result.error.message).toContain('startedAt');
    expect(result.error.message).toContain('extra');
  });

  it('says a newer orchestrator wrote the file, and that upgrading is the fix', async () => {
    const root = tempRoot();
    writeRaw(root, JSON.stringify({ ...sampleRunState(root), formatVersion: 3 }));
    const result = await readRunState(root);
    if (result.kind !== 'invalid') throw new Error(`expected invalid, got ${result.kind}`);
    expect(result.error.fields).toEqual(['formatVersion']);
    expect(result.error.message).toContain('formatVersion 3');
    expect(result.error.message).toContain('upgrade spec-kitty-orchestrator');
  });

  it('says when the file is something else entirely, or empty', async () => {
    const root = tempRoot();
    writeRaw(root, JSON.stringify({ wps: {} }));
    const other = await readRunState(root);
    expect(other.kind === 'invalid' && other.error.message).toContain(
      'is not a spec-kitty-orchestrator/run-state file',
    );
    writeRaw(root, '');
    const empty = await readRunState(root);
    expect(empty.kind === 'invalid' && empty.error.message).toContain('it is empty');
  });
});

describe('error formatting', () => {
  it('adds code, path and cause in verbose form', async () => {
    const root = tempRoot();
    const error = (await writeRunStateAtomic(root, sampleRunState(root), failingFs('rename', 'EXDEV')).catch(
      (caught: unknown) => caught,
    )) as StateWriteError;
    expect(error.format()).toBe(error.message);
    expect(error.format(true)).toContain('code: STATE_WRITE_FAILED');
    expect(error.format(true)).toContain(`path: ${runStatePath(root)}`);
    expect(error.format(true)).toContain('cause: EXDEV');
    expect(error.toJSON()).toEqual({
      code: 'STATE_WRITE_FAILED',
      message: error.message,
      path: runStatePath(root),
    });
  });
});
