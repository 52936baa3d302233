/**
 * The host gateway's typed error family, in one import. Every error is a HostError with a stable
 * `code`: the host's own `error_code` (reported-errors.ts) or one of LOCAL_ERROR_CODES for
 * failures on our side of the boundary (transport-errors.ts).
 */
export * from './error-base.js';
export * from './reported-errors.js';
export * from './transport-errors.js';
