/**
 * The contract-version gate. 1.3.0 is the first contract that lets a WP leave in_review with a
 * structured review result instead of --force, which our review loop depends on.
 */
import type { CallOptions, ContractInfo, HostApi } from './api.js';
import { ContractTooNewError, ContractTooOldError, HostEnvelopeInvalidError } from './transport-errors.js';

export const MIN_CONTRACT_VERSION = '1.3.0';
/** Minor versions are additive; a new major may change shapes we rely on. */
export const SUPPORTED_CONTRACT_MAJOR = 1;

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: readonly string[];
}

const SEMVER_PATTERN = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parses `MAJOR.MINOR.PATCH[-pre][+build]`; undefined when it is not a version. */
export function parseSemver(text: string): SemVer | undefined {
  const match = SEMVER_PATTERN.exec(text.trim());
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] ? match[4].split('.') : [],
  };
}

function compareIdentifiers(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return Math.sign(Number(a) - Number(b));
  if (aNumeric) return -1;
  if (bNumeric) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Semver precedence: -1, 0 or 1. Throws on text that is not a version. */
export function compareSemver(a: string, b: string): number {
  const left = parseSemver(a);
  const right = parseSemver(b);
  if (!left || !right) throw new TypeError(`not a semantic version: ${!left ? a : b}`);
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (left[key] !== right[key]) return Math.sign(left[key] - right[key]);
  }
  // A release outranks its prereleases; prereleases compare identifier by identifier.
  if (left.prerelease.length === 0 || right.prerelease.length === 0) {
    return Math.sign(right.prerelease.length - left.prerelease.length);
  }
  const length = Math.max(left.prerelease.length, right.prerelease.length);
  for (let i = 0; i < length; i += 1) {
    const l = left.prerelease[i];
    const r = right.prerelease[i];
    if (l === undefined) return -1;
    if (r === undefined) return 1;
    const order = compareIdentifiers(l, r);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * THE contract gate: why the host's contract version is not one we speak (not a version, older
 * than `minimum` with pre-releases below their release, or a newer major), or null when it is.
 * Pure, so the CLI's start-up check and the mission machine's guard are one rule.
 */
export function contractVersionProblem(
  apiVersion: string,
  minimum = MIN_CONTRACT_VERSION,
): HostEnvelopeInvalidError | ContractTooOldError | ContractTooNewError | null {
  const version = parseSemver(apiVersion);
  if (!version) {
    return new HostEnvelopeInvalidError('contract-version', [
      { path: 'data.api_version', message: `not a semantic version: ${JSON.stringify(apiVersion)}` },
    ]);
  }
  if (compareSemver(apiVersion, minimum) < 0) return new ContractTooOldError(apiVersion, minimum);
  if (version.major > SUPPORTED_CONTRACT_MAJOR)
    return new ContractTooNewError(apiVersion, SUPPORTED_CONTRACT_MAJOR);
  return null;
}

/** Throws unless the host speaks a contract we support (>= MIN_CONTRACT_VERSION, same major). */
export function assertContractSupported(info: ContractInfo, minimum = MIN_CONTRACT_VERSION): void {
  const problem = contractVersionProblem(info.apiVersion, minimum);
  if (problem) throw problem;
}

/** Asks the host for its contract version and checks it; returns what the host said. */
export async function checkContract(host: HostApi, options?: CallOptions): Promise<ContractInfo> {
  const info = await host.contractVersion(options);
  assertContractSupported(info);
  return info;
}
