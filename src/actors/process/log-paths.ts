/** Where each agent attempt writes its log: one file per mission / WP / role / attempt. */
import path from 'node:path';
import type { AgentRole } from '../../agents/types.js';

export interface AgentLogKey {
  mission: string;
  wp: string;
  role: AgentRole | string;
  /** 1 for the first attempt. */
  attempt: number;
}

/** `<repoRoot>/.kittify/logs/<mission>/<wp>-<role>-<attempt>.log` */
export function agentLogPath(repoRoot: string, key: AgentLogKey): string {
  if (!Number.isInteger(key.attempt) || key.attempt < 1) {
    throw new RangeError(`attempt must be a positive integer, got ${key.attempt}`);
  }
  const file = `${safePathComponent(key.wp)}-${safePathComponent(key.role)}-${key.attempt}.log`;
  return path.join(path.resolve(repoRoot), '.kittify', 'logs', safePathComponent(key.mission), file);
}

/**
 * Makes a value safe as one path component: no separators, no `..`, no control characters,
 * nothing a shell or a file browser would trip over. Distinct ordinary names stay distinct.
 */
export function safePathComponent(value: string): string {
  const replaced = value.trim().replace(/[^A-Za-z0-9._-]+/g, '_');
  const withoutLeadingDots = replaced.replace(/^\.+/, (dots) => '_'.repeat(dots.length));
  const bounded = withoutLeadingDots.slice(0, 100);
  return bounded === '' ? '_' : bounded;
}
