/** Map a key path of the parsed value back to a line and column of the YAML source. */
import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export type PathSegment = string | number;

export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * The position of the value at `path` (or of its key, for `target: 'key'`). When the path goes
 * deeper than the document (a default filled in, a scalar read as a list), the deepest node that
 * exists is used, so an error still points somewhere useful.
 */
export function locate(
  document: Document,
  lineCounter: LineCounter,
  path: readonly PathSegment[],
  target: 'value' | 'key' = 'value',
): SourcePosition {
  let node: unknown = document.contents;
  let best = positionOf(node, lineCounter) ?? { line: 1, column: 1 };
  for (const [index, segment] of path.entries()) {
    const isLast = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      const keyPosition = positionOf(pair.key, lineCounter);
      const valuePosition = positionOf(pair.value, lineCounter);
      best = (isLast && target === 'key' ? keyPosition : (valuePosition ?? keyPosition)) ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      const itemPosition = positionOf(item, lineCounter);
      if (!itemPosition) break;
      best = itemPosition;
      node = item;
    } else {
      break;
    }
  }
  return best;
}

function positionOf(node: unknown, lineCounter: LineCounter): SourcePosition | null {
  const range = (node as Node | null | undefined)?.range;
  if (!range) return null;
  const { line, col } = lineCounter.linePos(range[0]);
  return { line, column: col };
}

/**
 * The longest prefix of `path` that exists in `value`. zod may report below a value that is not a
 * container (a single agent id given as a string is checked as a list of one).
 */
export function existingPrefix(
  value: unknown,
  path: readonly PathSegment[],
): { path: PathSegment[]; value: unknown } {
  let current = value;
  const prefix: PathSegment[] = [];
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number' && segment < current.length) {
      current = current[segment];
    } else if (
      current !== null &&
      typeof current === 'object' &&
      !Array.isArray(current) &&
      Object.hasOwn(current, segment)
    ) {
      current = (current as Record<string, unknown>)[String(segment)];
    } else {
      break;
    }
    prefix.push(segment);
  }
  return { path: prefix, value: current };
}

export function formatKeyPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${segment}`,
    )
    .join('');
}
