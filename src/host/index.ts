/**
 * The host gateway's public surface. Import from here, not from the files behind it.
 * (The simulated host lives in ./simulated/ and has its own entry point.)
 */
export type * from './api.js';
export * from './argv.js';
export * from './client.js';
export * from './contract.js';
export * from './envelope.js';
export * from './errors.js';
export * from './exec-transport.js';
export * from './lanes.js';
export * from './policy.js';
export * from './schemas.js';
