/** "Did you mean …?" for misspelt keys and agent ids. */

/** Compare names the way people misspell them: case, `-` vs `_`, camelCase vs snake_case. */
function normalise(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[-\s]+/g, '_');
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate the user most likely meant, or null when nothing is close. Close means: equal
 * after normalising, a prefix of one another (`claude` -> `claude-code`, `max_concurrent` ->
 * `max_concurrent_wps`), or a few typos away relative to the length.
 */
export function closestMatch(input: string, candidates: readonly string[]): string | null {
  const wanted = normalise(input);
  if (wanted === '') return null;
  let best: { candidate: string; distance: number } | null = null;
  for (const candidate of candidates) {
    const normalised = normalise(candidate);
    if (normalised === wanted) return candidate;
    const distance =
      wanted.length >= 3 && (normalised.startsWith(wanted) || wanted.startsWith(normalised))
        ? 1
        : editDistance(wanted, normalised);
    if (best === null || distance < best.distance) best = { candidate, distance };
  }
  if (best === null) return null;
  const tolerance = Math.max(2, Math.floor(wanted.length / 3));
  return best.distance <= tolerance ? best.candidate : null;
}
