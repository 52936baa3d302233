export { type AtomicFs, nodeAtomicFs, writeFileAtomic } from './atomic-fs.js';
export {
  LockError,
  LockHeldError,
  type LockHolder,
  PersistenceError,
  RunStateInvalidError,
  StateWriteError,
  type WriteStep,
} from './errors.js';
export {
  type AcquireRunLockOptions,
  acquireRunLock,
  isHolderProcess,
  isProcessAlive,
  type ReadLockResult,
  type RunLock,
  readLock,
} from './lock.js';
export { displayPath, lockPath, runStatePath } from './paths.js';
export {
  type PersistedSnapshotJson,
  RUN_STATE_FORMAT,
  RUN_STATE_FORMAT_VERSION,
  RUN_STATUSES,
  type RunState,
  type RunStatus,
  runStateSchema,
} from './run-state-schema.js';
export {
  createSnapshotWriter,
  type SnapshotWriter,
  type SnapshotWriterOptions,
  type SnapshotWriterStats,
  type WritePriority,
  type WriteReceipt,
} from './snapshot-writer.js';
export {
  parseRunState,
  type ReadRunStateResult,
  readRunState,
  removeRunState,
  serializeRunState,
  writeRunStateAtomic,
} from './state-file.js';
