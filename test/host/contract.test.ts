import { describe, expect, it } from 'vitest';
import type { ContractInfo, HostApi } from '../../src/host/api.js';
import {
  assertContractSupported,
  checkContract,
  compareSemver,
  MIN_CONTRACT_VERSION,
  parseSemver,
} from '../../src/host/contract.js';
import { ContractTooNewError, ContractTooOldError, HostEnvelopeInvalidError } from '../../src/host/errors.js';

describe('compareSemver', () => {
  it.each([
    ['1.3.0', '1.3.0', 0],
    ['1.5.0', '1.3.0', 1],
    ['1.2.9', '1.3.0', -1],
    ['1.10.0', '1.9.0', 1],
    ['2.0.0', '1.99.99', 1],
    ['1.3.0-rc.1', '1.3.0', -1],
    ['1.3.0-rc.2', '1.3.0-rc.10', -1],
    ['1.3.0-alpha', '1.3.0-alpha.1', -1],
    ['1.3.0-beta', '1.3.0-alpha', 1],
    ['1.3.0-1', '1.3.0-alpha', -1],
    ['1.3.0+build.5', '1.3.0', 0],
    ['v1.4.0', '1.3.0', 1],
  ])('%s vs %s -> %i', (a, b, expected) => {
    expect(compareSemver(a, b)).toBe(expected);
    expect(compareSemver(b, a)).toBe(-expected || 0);
  });

  it('refuses text that is not a version', () => {
    expect(parseSemver('1.3')).toBeUndefined();
    expect(() => compareSemver('latest', '1.3.0')).toThrow(/not a semantic version: latest/);
  });
});

const info = (apiVersion: string): ContractInfo => ({ apiVersion, minSupportedProviderVersion: '0.1.0' });

describe('assertContractSupported', () => {
  it.each(['1.3.0', '1.5.0', '1.99.0'])('accepts %s', (version) => {
    expect(() => assertContractSupported(info(version))).not.toThrow();
  });

  it('refuses a contract older than 1.3.0, naming both versions', () => {
    expect(MIN_CONTRACT_VERSION).toBe('1.3.0');
    const error = (() => {
      try {
        assertContractSupported(info('1.2.0'));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ContractTooOldError);
    expect((error as ContractTooOldError).hostVersion).toBe('1.2.0');
    expect((error as ContractTooOldError).requiredVersion).toBe('1.3.0');
  });

  it('refuses a prerelease of the minimum', () => {
    expect(() => assertContractSupported(info('1.3.0-rc.1'))).toThrow(ContractTooOldError);
  });

  it('refuses a new major version', () => {
    expect(() => assertContractSupported(info('2.0.0'))).toThrow(ContractTooNewError);
  });

  it('refuses an unreadable version as an invalid envelope', () => {
    expect(() => assertContractSupported(info('one.three'))).toThrow(HostEnvelopeInvalidError);
  });
});

describe('checkContract', () => {
  function hostSaying(apiVersion: string): HostApi {
    const fail = () => Promise.reject(new Error('not used'));
    return {
      contractVersion: async () => info(apiVersion),
      missionState: fail,
      listReady: fail,
      resolveWorkspace: fail,
      startImplementation: fail,
      startReview: fail,
      transition: fail,
      appendHistory: fail,
      acceptMission: fail,
      mergeMission: fail,
    };
  }

  it('returns the host info when supported', async () => {
    await expect(checkContract(hostSaying('1.5.0'))).resolves.toEqual(info('1.5.0'));
  });

  it('rejects with ContractTooOldError otherwise', async () => {
    await expect(checkContract(hostSaying('1.1.0'))).rejects.toBeInstanceOf(ContractTooOldError);
  });
});
