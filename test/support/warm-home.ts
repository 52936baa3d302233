/**
 * A host HOME that has already been started in. Every host start-up checks the global agent
 * assets it installs under HOME (~/.claude/commands, ~/.agents/skills, ...) and installs them
 * when missing: on 3.2.7 the first start in an empty HOME costs 1.5 s more CPU than the next.
 * Tests give each project its own HOME (parallel files must not share one), so each would pay
 * that once; the init template keeps the HOME its `spec-kitty init` ran in, and a new test HOME
 * starts as a copy of it: the state a user's HOME is in after the first command. (4.0.0rc7 keeps
 * the absolute HOME path in its asset manifests, so a copy does not spare it the reinstall; it is
 * copied anyway, which costs it nothing.)
 */
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The env variable the global setup fills: host binary -> init template directory. */
export const INIT_TEMPLATES_ENV = 'SPEC_KITTY_INIT_TEMPLATES';
/** Where in an init template the HOME of its `spec-kitty init` is kept. */
export const TEMPLATE_HOME = 'home';

const templatesSchema = z.record(z.string(), z.string());

/** The init templates the global setup made (none outside a test run). */
export function initTemplates(): Record<string, string> {
  const text = process.env[INIT_TEMPLATES_ENV];
  return text ? templatesSchema.parse(JSON.parse(text)) : {};
}

/**
 * Creates `home` (when missing) and, when it is empty and the global setup made a template for
 * `hostBin`, fills it with that template's started-in HOME. Without a template it stays empty:
 * the host then installs its assets on the first call, as it does for a new user.
 */
export function prepareHostHome(home: string, hostBin: string | undefined): void {
  mkdirSync(home, { recursive: true });
  if (hostBin === undefined || readdirSync(home).length > 0) return;
  const template = initTemplates()[hostBin];
  if (template === undefined) return;
  const warm = path.join(template, TEMPLATE_HOME);
  if (existsSync(warm)) cpSync(warm, home, { recursive: true });
}
