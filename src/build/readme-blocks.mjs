/**
 * The README's generated blocks: text between a start marker (an HTML comment naming what wrote
 * it) and an end marker. The build rewrites them; the docs tests compare them with what the build
 * would write, so the README cannot drift from its sources.
 */

/** Where the block sits: after the start marker, up to the end marker; null without them. */
function bounds(readme, start, end) {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end, from);
  return from < 0 || to < 0 ? null : { from: from + start.length, to };
}

/** The block's content, trimmed; null when the markers are missing. */
export function blockIn(readme, start, end) {
  const found = bounds(readme, start, end);
  return found === null ? null : readme.slice(found.from, found.to).trim();
}

/** The README with the block's content replaced; throws when the markers are missing. */
export function withBlock(readme, start, end, content) {
  const found = bounds(readme, start, end);
  if (found === null) throw new Error(`README.md has no ${start} … ${end} block`);
  return `${readme.slice(0, found.from)}\n${content}\n${readme.slice(found.to)}`;
}
