/**
 * Writes the docs' CDN snippet from the build (SECURITY 28): the entry's `integrity`, and one
 * import-map `integrity` entry per file the entry loads on demand, each the hash of the file just
 * built. A snippet with placeholder hashes teaches shops to ship an unpinned bundle.
 * The snippet is made by the same code as `k360-verify snippet --base-url …` (src/cli/cdn-snippet.ts,
 * compiled to dist/npm/cli by the `tsc` step before this one), so the page and the command cannot
 * disagree. The block is wherever its markers are: README.md or any page under docs/.
 * Run by `npm run build` after Vite and tsc; `test/docs/readme-cdn-snippet.test.ts` checks the result.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { blockIn, withBlock } from './readme-blocks.mjs';

const root = new URL('../../', import.meta.url);
/** The start marker names what wrote the block; the text after `cdn-snippet:` may change with it. */
const START = /<!-- cdn-snippet:[^\n]*?-->/;
const END = '<!-- /cdn-snippet -->';

/** The example CDN address the docs use: a public CDN's folder for this version. */
export async function docsBaseUrl() {
  const { version } = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));
  return `https://cdn.example.com/k360-verify@${version}/`;
}

/** The docs' block for the files in `dist/cdn` as they are now: the command's HTML in a fence. */
export async function cdnSnippet() {
  const { cdnSnippetHtml, readCdnFiles } = await import(new URL('dist/npm/cli/cdn-snippet.js', root).href);
  return ['```html', cdnSnippetHtml(await docsBaseUrl(), await readCdnFiles(new URL('dist/cdn/', root))), '```'].join('\n');
}

/** The snippet block of a Markdown text, between its markers; null when the markers are missing. */
export function snippetIn(markdown) {
  const start = START.exec(markdown)?.[0];
  return start === undefined ? null : blockIn(markdown, start, END);
}

/** README.md and every Markdown page under docs/ holding the block, as `file:` URLs (none: empty). */
export async function filesWithSnippet() {
  const docs = await readdir(new URL('docs/', root), { recursive: true }).catch(() => []);
  const candidates = ['README.md', ...docs.filter((path) => path.endsWith('.md') && !path.split('/').includes('node_modules')).sort().map((path) => `docs/${path}`)];
  const found = [];
  for (const path of candidates) {
    const url = new URL(path, root);
    if (snippetIn(await readFile(url, 'utf8')) !== null) found.push(url);
  }
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = await filesWithSnippet();
  if (files.length === 0) throw new Error(`no README.md or docs/**/*.md has a <!-- cdn-snippet: … --> … ${END} block`);
  const snippet = await cdnSnippet();
  for (const url of files) {
    const markdown = await readFile(url, 'utf8');
    const updated = withBlock(markdown, START.exec(markdown)[0], END, snippet);
    if (updated !== markdown) await writeFile(url, updated);
  }
}
