/**
 * SECURITY 33, 41: what the relay keeps of an upstream answer is bounded. A session keeps what
 * Kount sends and sends parts of it back on every call, so one oversized field would be paid again
 * and again (and sit in the store). Every string is bounded, at any depth, in arrays and in object
 * keys alike, and so is the nesting itself. The walk keeps its own stack: no depth can overflow it.
 */

/** Kount's longest strings (a KBA question, a capture link) are well under this. */
export const MAX_UPSTREAM_STRING_LENGTH = 8 * 1024;
/** Kount's deepest answer (a KBA questionnaire's choices) is under 10 levels. */
export const MAX_UPSTREAM_DEPTH = 64;

/** Which bound a parsed JSON value breaks, if any: an over-long string (value or key), or nesting over the depth. */
export function brokenUpstreamBound(value: unknown): 'string' | 'depth' | undefined {
  // Values still to look at, each with how many containers enclose it (inside the top one: 1).
  const pending: unknown[] = [value];
  const depths: number[] = [0];
  while (pending.length > 0) {
    const next = pending.pop();
    const depth = depths.pop() ?? 0;
    if (typeof next === 'string') {
      if (next.length > MAX_UPSTREAM_STRING_LENGTH) return 'string';
      continue;
    }
    if (next === null || typeof next !== 'object') continue;
    if (depth >= MAX_UPSTREAM_DEPTH) return 'depth';
    const entries: unknown[] = Array.isArray(next) ? next : Object.values(next);
    if (!Array.isArray(next) && Object.keys(next).some((key) => key.length > MAX_UPSTREAM_STRING_LENGTH)) return 'string';
    for (const entry of entries) {
      pending.push(entry);
      depths.push(depth + 1);
    }
  }
  return undefined;
}
