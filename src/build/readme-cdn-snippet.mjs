/**
 * Writes the README's CDN snippet from the build (SECURITY 28): the entry's `integrity`, and one
 * import-map `integrity` entry per file the entry loads on demand, each the hash of the file just
 * built. A snippet with placeholder hashes teaches shops to ship an unpinned bundle.
 * Run by `npm run build` after Vite; `test/docs/readme-cdn-snippet.test.ts` checks the result.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { blockIn, withBlock } from './readme-blocks.mjs';

const root = new URL('../../', import.meta.url);
const START = '<!-- cdn-snippet: written by src/build/readme-cdn-snippet.mjs from the build -->';
const END = '<!-- /cdn-snippet -->';

/** The snippet for the files in `dist/cdn` as they are now. */
export async function cdnSnippet() {
  const { version } = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));
  const files = JSON.parse(await readFile(new URL('dist/cdn/k360-verify.integrity.json', root), 'utf8'));
  const entry = (await readFile(new URL('dist/cdn/k360-verify.js.sri', root), 'utf8')).trim();
  const base = `https://cdn.example.com/k360-verify@${version}`;
  const pinned = Object.entries(files).map(([name, hash]) => `    "${base}/${name}": "${hash}"`);
  return [
    '```html',
    '<script type="importmap">',
    '{ "integrity": {',
    pinned.join(',\n'),
    '} }',
    '</script>',
    `<script type="module" src="${base}/k360-verify.js"`,
    `        integrity="${entry}" crossorigin="anonymous"></script>`,
    '<verification-flow relay="/verify"></verification-flow>',
    '<script type="module">',
    "  document.querySelector('verification-flow')",
    "    .addEventListener('verify-complete', () => fetch('/checkout/confirm', { method: 'POST' }));",
    '</script>',
    '```',
  ].join('\n');
}

/** The README's snippet block, between its markers; null when the markers are missing. */
export function snippetIn(readme) {
  return blockIn(readme, START, END);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = new URL('README.md', root);
  const readme = await readFile(path, 'utf8');
  const updated = withBlock(readme, START, END, await cdnSnippet());
  if (updated !== readme) await writeFile(path, updated);
}
