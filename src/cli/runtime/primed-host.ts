/**
 * The CLI reads contract-version and mission-state before a run starts (to fail early with a
 * clear message). Every host call costs a Python start-up (1.1-1.8 s), so the mission machine's
 * own first reads are answered from those fresh results instead of asking again.
 */
import type { CallOptions, ContractInfo, HostApi, MissionRef } from '../../host/api.js';
import type { MissionState } from '../../host/schemas.js';

export interface PrimedAnswers {
  contract?: ContractInfo;
  missionState?: MissionState;
}

export function primeHost(host: HostApi, primed: PrimedAnswers): HostApi {
  let contract = primed.contract;
  let missionState = primed.missionState;
  return new Proxy(host, {
    get(target, property, receiver) {
      if (property === 'contractVersion') {
        return (options?: CallOptions) => {
          if (contract) {
            const answer = contract;
            contract = undefined;
            return Promise.resolve(answer);
          }
          return target.contractVersion(options);
        };
      }
      if (property === 'missionState') {
        return (args: MissionRef, options?: CallOptions) => {
          if (missionState) {
            const answer = missionState;
            missionState = undefined;
            return Promise.resolve(answer);
          }
          return target.missionState(args, options);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
