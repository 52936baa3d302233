/** Files and commits an agent says it produced, read from the keys agents commonly use. */
import { uniqueStrings } from './fields.js';
import { isRecord, type JsonRecord } from './json.js';

const FILE_KEYS = [
  'files',
  'files_changed',
  'filesChanged',
  'files_modified',
  'filesModified',
  'modified_files',
  'changed_files',
  'files_created',
  'created_files',
  'files_written',
] as const;

const COMMIT_KEYS = ['commits', 'commit', 'commit_sha', 'commitSha', 'commit_hash', 'commitHash'] as const;

const COMMIT_SHA = /^[0-9a-f]{7,40}$/i;

function pathOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) return undefined;
  for (const key of ['path', 'file', 'filePath', 'file_path', 'filename']) {
    const found = value[key];
    if (typeof found === 'string') return found;
  }
  return undefined;
}

function shaOf(value: unknown): string | undefined {
  const candidate =
    typeof value === 'string' ? value : isRecord(value) ? (value.sha ?? value.hash ?? value.id) : undefined;
  return typeof candidate === 'string' && COMMIT_SHA.test(candidate.trim()) ? candidate.trim() : undefined;
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

export function filesFromRecord(record: JsonRecord): string[] {
  const files: string[] = [];
  for (const key of FILE_KEYS) {
    for (const item of listOf(record[key])) {
      const path = pathOf(item);
      if (path) files.push(path);
    }
  }
  return uniqueStrings(files);
}

export function commitsFromRecord(record: JsonRecord): string[] {
  const commits: string[] = [];
  for (const key of COMMIT_KEYS) {
    for (const item of listOf(record[key])) {
      const sha = shaOf(item);
      if (sha) commits.push(sha);
    }
  }
  return uniqueStrings(commits);
}
