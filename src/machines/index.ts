/** Public surface of the statecharts: the two machines, their type families and the host glue. */
export { toMermaid } from './diagram/to-mermaid.js';
export * from './mission/index.js';
export type { ErrorInfo } from './shared/error-info.js';
export type { EpochMs, Timed } from './shared/time.js';
export { type WaitUntilInput, type WaitUntilOutput, waitUntilLogic } from './shared/wait-until.js';
export * from './wp/index.js';
