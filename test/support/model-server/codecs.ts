/**
 * Every API family's codec, loaded by file name: a codec file exports one FamilyCodec (any
 * export name). Loaded lazily so a test of one family does not depend on the others' files.
 */
import type { ApiFamily, FamilyCodec } from './types.js';

const FILES: Record<ApiFamily, string> = {
  anthropic: './anthropic.js',
  'openai-chat': './openai-chat.js',
  'openai-responses': './openai-responses.js',
  gemini: './gemini.js',
};

function isCodec(value: unknown): value is FamilyCodec {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FamilyCodec).family === 'string' &&
    typeof (value as FamilyCodec).isModelCall === 'function'
  );
}

export async function loadCodec(family: ApiFamily): Promise<FamilyCodec> {
  const module = (await import(FILES[family])) as Record<string, unknown>;
  const codec = Object.values(module).find(isCodec);
  if (!codec) throw new Error(`${FILES[family]} exports no FamilyCodec`);
  return codec;
}

export async function loadCodecs(families: readonly ApiFamily[]): Promise<FamilyCodec[]> {
  return Promise.all([...new Set(families)].map(loadCodec));
}
