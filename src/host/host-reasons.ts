/**
 * The host's own words for why a call failed, as short single lines a person can act on.
 * Display only: nothing branches on these strings (decisions use error codes).
 *
 * Two sources: a Python traceback the host printed instead of an envelope (its last exception
 * line names the failed check, e.g. `ValueError: Invalid meta.json for 001-x: Missing or empty
 * required field: created_at`), and the structured refusal payload of an envelope
 * (`incomplete_wps`, `outstanding` check categories on hosts whose accept applies a readiness
 * verdict).
 */

const MAX_REASON = 400;

/** `ValueError: ...`, `specify_cli.errors.MetaError: ...`, `KeyError: 'x'`. */
const EXCEPTION_LINE = /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)):\s?(.*)$/;
/** Rich draws tracebacks in boxes; those lines are source excerpts, never the reason. */
const BOX_CHARS = /^[\s│╭╰─┃━┏┗┓┛]/;

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= MAX_REASON ? flat : `${flat.slice(0, MAX_REASON - 1)}…`;
}

/**
 * The last exception of a traceback, unwrapped: rich wraps long messages at the terminal width,
 * so the lines after the exception line (up to a blank line or a new box) belong to it.
 */
export function tracebackReason(stderr: string): string | null {
  const lines = stderr.split(/\r?\n/);
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index] ?? '';
    if (BOX_CHARS.test(line) && line.trim() !== '') continue;
    const match = EXCEPTION_LINE.exec(line.trim());
    if (!match) continue;
    const continuation: string[] = [];
    for (const next of lines.slice(index + 1)) {
      if (next.trim() === '' || BOX_CHARS.test(next)) break;
      continuation.push(next.trim());
    }
    return oneLine([line.trim(), ...continuation].join(' '));
  }
  return null;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  return [];
}

/**
 * Reasons in a refusal payload: each non-empty `outstanding` category as `category: item; item`,
 * then `incomplete WPs: ...`. Empty when the payload has neither.
 */
export function refusalReasons(data: Readonly<Record<string, unknown>>): string[] {
  const reasons: string[] = [];
  const outstanding = data.outstanding;
  if (typeof outstanding === 'object' && outstanding !== null && !Array.isArray(outstanding)) {
    for (const [category, items] of Object.entries(outstanding)) {
      const texts = stringsOf(items).map(oneLine);
      if (texts.length > 0) reasons.push(oneLine(`${category.replace(/_/g, ' ')}: ${texts.join('; ')}`));
    }
  }
  const incomplete = stringsOf(data.incomplete_wps);
  if (incomplete.length > 0) reasons.push(`incomplete WPs: ${incomplete.join(', ')}`);
  return reasons;
}
