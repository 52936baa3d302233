/**
 * Turn zod issues on the parsed YAML into sentences a user can act on: where (file:line:col and
 * key path), what was given, and what is allowed, with a "did you mean" for near misses.
 */
import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import { AGENT_IDS } from '../../agents/types.js';
import type { ConfigIssue } from './errors.js';
import {
  AGENT_ROLES,
  AGENT_SETTING_KEYS,
  AGENT_SETTING_NAMES,
  CONFIG_KEYS,
  TOP_LEVEL_KEYS,
} from './schema.js';
import { closestMatch } from './suggest.js';
import { existingPrefix, formatKeyPath, locate, type PathSegment } from './yaml-locate.js';

export function describeGiven(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value) && value.length === 0) return 'an empty list';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export const KNOWN_AGENTS = `known: ${AGENT_IDS.join(', ')}`;

export function unknownAgentProblem(given: unknown): string {
  const suggestion = typeof given === 'string' ? closestMatch(given, AGENT_IDS) : null;
  const hint = suggestion ? `; did you mean "${suggestion}"?` : '';
  return `${describeGiven(given)} is not a known agent${hint} (${KNOWN_AGENTS})`;
}

export function toConfigIssues(
  zodIssues: readonly z.core.$ZodIssue[],
  raw: unknown,
  document: Document,
  lineCounter: LineCounter,
): ConfigIssue[] {
  const issues = zodIssues.flatMap((issue) => describe(issue, raw, document, lineCounter));
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function describe(
  issue: z.core.$ZodIssue,
  raw: unknown,
  document: Document,
  lineCounter: LineCounter,
): ConfigIssue[] {
  const issuePath = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');

  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const keyPath = [...issuePath, key];
      const position = locate(document, lineCounter, keyPath, 'key');
      return {
        keyPath: formatKeyPath(keyPath),
        line: position.line,
        column: position.column,
        problem: unknownKeyProblem(issuePath, key),
      };
    });
  }

  const { path, value: given } = existingPrefix(raw, issuePath);
  const position = locate(document, lineCounter, path);
  return [
    {
      keyPath: path.length === 0 ? null : formatKeyPath(path),
      line: position.line,
      column: position.column,
      problem: valueProblem(issue, path, given),
    },
  ];
}

function unknownKeyProblem(parentPath: PathSegment[], key: string): string {
  if (parentPath.length === 0) {
    const role = closestMatch(key, AGENT_ROLES);
    const topLevel = closestMatch(key, TOP_LEVEL_KEYS);
    const suggestion = topLevel ?? (role ? `agents.${role}` : null);
    const hint = suggestion ? `; did you mean "${suggestion}"?` : '';
    return `unknown key${hint} (allowed keys: ${TOP_LEVEL_KEYS.join(', ')})`;
  }
  if (parentPath.length === 1 && parentPath[0] === 'agents') {
    const suggestion = closestMatch(key, AGENT_ROLES);
    const hint = suggestion ? `; did you mean "${suggestion}"?` : '';
    return `unknown key${hint} (allowed keys under agents: ${AGENT_ROLES.join(', ')})`;
  }
  if (parentPath.length === 1 && parentPath[0] === 'agent_settings') {
    return unknownAgentProblem(key);
  }
  if (parentPath.length === 2 && parentPath[0] === 'agent_settings') {
    const suggestion = closestMatch(key, AGENT_SETTING_NAMES);
    const hint = suggestion ? `; did you mean "${suggestion}"?` : '';
    return `unknown key${hint} (allowed keys under agent_settings.${String(parentPath[1])}: ${AGENT_SETTING_NAMES.join(', ')})`;
  }
  return 'unknown key';
}

function valueProblem(issue: z.core.$ZodIssue, path: PathSegment[], given: unknown): string {
  const [top, role, index] = path;
  if (path.length === 0) {
    return `the file must be a mapping of settings (key: value), not ${describeGiven(given)}`;
  }
  if (top === 'agents' && role === undefined) {
    return `${describeGiven(given)} is not allowed (allowed: a mapping with the lists implementation and/or review)`;
  }
  if (top === 'agents') {
    if (issue.code === 'custom' && index !== undefined) {
      return `${describeGiven(given)} is listed twice (each agent appears once in a fallback list)`;
    }
    if (index !== undefined || typeof given === 'string') return unknownAgentProblem(given);
    return `${describeGiven(given)} is not allowed (allowed: a non-empty list of agent ids, e.g. [claude-code, codex]; ${KNOWN_AGENTS})`;
  }
  if (top === 'agent_settings') {
    if (role === undefined) {
      return `${describeGiven(given)} is not allowed (allowed: a mapping of agent ids to their settings: ${AGENT_SETTING_NAMES.join(', ')})`;
    }
    if (index === undefined) {
      return `${describeGiven(given)} is not allowed (allowed: a mapping with ${AGENT_SETTING_NAMES.join(', ')})`;
    }
    const setting = AGENT_SETTING_KEYS[index as keyof typeof AGENT_SETTING_KEYS];
    if (issue.code === 'custom') return issue.message;
    return `${describeGiven(given)} is not allowed (allowed: ${setting?.allowed ?? issue.message})`;
  }
  const entry = typeof top === 'string' ? CONFIG_KEYS[top as keyof typeof CONFIG_KEYS] : undefined;
  const allowed = entry?.allowed ?? issue.message;
  return `${describeGiven(given)} is not allowed (allowed: ${allowed})`;
}
