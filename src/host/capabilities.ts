/**
 * What the installed host can do, decided from what `contract-version` reported and nothing else
 * (never from the spec-kitty package version). Hosts since contract 1.12 list their verbs in
 * `delivery_profile.supported`; older hosts (spec-kitty-cli 3.2.7 speaks 1.5.0) list nothing, and
 * their verb set is the one their contract version defines.
 */
import type { ContractInfo } from './api.js';
import { compareSemver } from './contract.js';

export type MergeVerb = 'merge-mission' | 'consolidate-mission';

export interface HostCapabilities {
  /** Every orchestrator-api verb the host answers. */
  verbs: ReadonlySet<string>;
  /** The orchestrator-api verb that merges a mission's lanes into its target branch. */
  mergeVerb: MergeVerb;
  /** The command a person runs to merge the mission, e.g. `spec-kitty merge --mission 001-x`. */
  mergeCommand: string[];
  /**
   * The host has a mission's open design decisions: it answers design-status (`decisions`,
   * `status`, the live view) and resolve-decision (`decide`), the two verbs we call.
   */
  decisions: boolean;
}

/** The first contract with design decisions (design-status, resolve-decision, ...). */
export const MIN_DECISIONS_CONTRACT = '1.4.0';

/** The verbs of contract 1.3.0, the oldest we support. */
const VERBS_1_3 = [
  'contract-version',
  'mission-state',
  'list-ready',
  'resolve-workspace',
  'start-implementation',
  'start-review',
  'transition',
  'append-history',
  'accept-mission',
  'merge-mission',
] as const;

/** 1.4.0 added the design-phase and decision verbs; 1.5.0 only extended `tasks` output. */
const VERBS_ADDED_1_4 = [
  'specify',
  'plan',
  'tasks',
  'check-prerequisites',
  'record-analysis',
  'design-status',
  'open-decision',
  'resolve-decision',
  'defer-decision',
  'cancel-decision',
  'answer-decision',
] as const;

/** The verb set a host that does not list its verbs has, from its contract version. */
function impliedVerbs(apiVersion: string): string[] {
  const verbs: string[] = [...VERBS_1_3];
  if (isAtLeast(apiVersion, MIN_DECISIONS_CONTRACT)) verbs.push(...VERBS_ADDED_1_4);
  return verbs;
}

/**
 * Whether a host of this contract version has the decision verbs, for when the version is all
 * we know (every envelope carries `contract_version`, also a refusal's). A host that lists its
 * verbs is judged by its list instead (hostCapabilities).
 */
export function contractHasDecisions(apiVersion: string): boolean {
  return isAtLeast(apiVersion, MIN_DECISIONS_CONTRACT);
}

function isAtLeast(version: string, minimum: string): boolean {
  try {
    return compareSemver(version, minimum) >= 0;
  } catch {
    // Not a version: the contract gate refuses such a host before anything asks for capabilities.
    return false;
  }
}

/** The user-facing CLI word for each merge verb (`spec-kitty merge` became `spec-kitty consolidate`). */
const CLI_WORD: Readonly<Record<MergeVerb, string>> = {
  'merge-mission': 'merge',
  'consolidate-mission': 'consolidate',
};

export function hostCapabilities(info: ContractInfo, mission: string): HostCapabilities {
  const verbs = new Set(info.supportedCommands ?? impliedVerbs(info.apiVersion));
  // A host that lists consolidate-mission has dropped merge-mission (4.0.0rc7: no alias);
  // one that lists neither gets merge-mission, and its own USAGE_ERROR if it really lacks it.
  const mergeVerb: MergeVerb = verbs.has('consolidate-mission') ? 'consolidate-mission' : 'merge-mission';
  return {
    verbs,
    mergeVerb,
    mergeCommand: ['spec-kitty', CLI_WORD[mergeVerb], '--mission', mission],
    decisions: verbs.has('design-status') && verbs.has('resolve-decision'),
  };
}
