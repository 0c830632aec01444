/**
 * The docs' generated blocks: text between a start marker (an HTML comment naming what wrote it)
 * and an end marker, in README.md or in a page under docs/. The build rewrites them; the docs tests
 * compare them with what the build would write, so no page can drift from its sources. A block is
 * found by its markers in whichever file holds them, so moving a block to another page needs no
 * change here.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';

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

/** The text with the block's content replaced; throws when the markers are missing. */
export function withBlock(readme, start, end, content) {
  const found = bounds(readme, start, end);
  if (found === null) throw new Error(`no ${start} … ${end} block`);
  return `${readme.slice(0, found.from)}\n${content}\n${readme.slice(found.to)}`;
}

/** README.md and every Markdown page under docs/, as paths relative to the repository root, sorted. */
export async function docPaths(root) {
  const pages = (await readdir(new URL('docs/', root), { recursive: true }))
    .map((path) => path.split('\\').join('/'))
    .filter((path) => path.endsWith('.md') && !path.split('/').includes('node_modules'))
    .map((path) => `docs/${path}`);
  return ['README.md', ...pages.sort()];
}

/** Every documentation file's text, by path relative to the root. */
export async function readDocs(root) {
  const docs = {};
  for (const path of await docPaths(root)) docs[path] = await readFile(new URL(path, root), 'utf8');
  return docs;
}

/** The path of the one file that holds the block's start marker; null when none does. */
export function fileWithBlock(docs, start, end) {
  const holders = Object.keys(docs).filter((path) => bounds(docs[path], start, end) !== null);
  if (holders.length > 1) throw new Error(`${start} is in more than one file: ${holders.join(', ')}`);
  return holders[0] ?? null;
}

/** The block's content in whichever file holds it; null when none does. */
export function blockInDocs(docs, start, end) {
  const path = fileWithBlock(docs, start, end);
  return path === null ? null : blockIn(docs[path], start, end);
}

/** The docs with the block rewritten in whichever file holds it; throws when no file does. */
export function withBlockInDocs(docs, start, end, content) {
  const path = fileWithBlock(docs, start, end);
  if (path === null) throw new Error(`neither README.md nor a page under docs/ has the ${start} … ${end} block`);
  return { ...docs, [path]: withBlock(docs[path], start, end, content) };
}

/** Writes the files whose text changed. */
export async function writeChangedDocs(root, before, after) {
  for (const [path, text] of Object.entries(after)) {
    if (before[path] !== text) await writeFile(new URL(path, root), text);
  }
}
