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
  // A page that knows its first step (here a passcode) preloads its file and the shared files it
  // imports, which then arrive with the entry instead of after the view.
  const leaf = 'k360-verify.otp-entry.js';
  const leafCode = await readFile(new URL(`dist/cdn/${leaf}`, root), 'utf8');
  const step = [leaf, ...new Set([...leafCode.matchAll(/from\s*"\.\/(k360-verify\.[\w-]+\.js)"/g)].map((match) => match[1]).filter((name) => name !== 'k360-verify.js'))];
  const preloads = step.map((name) => `<link rel="modulepreload" href="${base}/${name}" integrity="${files[name]}" crossorigin="anonymous">`);
  return [
    '```html',
    '<script type="importmap">',
    '{ "integrity": {',
    pinned.join(',\n'),
    '} }',
    '</script>',
    `<script type="module" src="${base}/k360-verify.js"`,
    `        integrity="${entry}" crossorigin="anonymous"></script>`,
    '<!-- optional: the first step is a passcode, so its files come with the entry -->',
    ...preloads,
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
