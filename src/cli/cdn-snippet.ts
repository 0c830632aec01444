/**
 * The CDN snippet (SECURITY 28): the entry's `<script>` with its `integrity`, one import-map
 * `integrity` entry per file the entry loads on demand, and the passcode step's preloads, each
 * pinned to the hash of the file in `dist/cdn`. One maker for both places it appears:
 * `k360-verify snippet --base-url …` prints it for a shop's own copy of the files, and the build
 * (src/build/readme-cdn-snippet.mjs, through the compiled dist/npm/cli/cdn-snippet.js) writes it
 * into the docs with the example CDN's address. A snippet with placeholder hashes teaches shops to
 * ship an unpinned bundle, so the hashes are only ever read from the built files.
 */
import { readFile } from 'node:fs/promises';

/** The entry module; the files it loads on demand are named in `k360-verify.integrity.json`. */
export const ENTRY_FILE = 'k360-verify.js';
/**
 * The step preloaded beside the entry: a passcode is the most common first step, and a page that
 * knows it fetches its file and the shared files it imports with the entry instead of after the view.
 */
export const PRELOADED_STEP_FILE = 'k360-verify.otp-entry.js';

/** What the snippet pins, as read from a `dist/cdn` folder. */
export interface CdnFiles {
  /** `integrity` of the entry (`k360-verify.js.sri`). */
  entry: string;
  /** `integrity` of each file the entry may load, by file name (`k360-verify.integrity.json`). */
  onDemand: Record<string, string>;
  /** The preloaded step's file and the shared files it imports, in that order. */
  preloads: string[];
}

/** The hashes and preloads of the files in `cdnFolder` (a `file:` URL ending in `/`). */
export async function readCdnFiles(cdnFolder: URL): Promise<CdnFiles> {
  const onDemand = JSON.parse(await readFile(new URL('k360-verify.integrity.json', cdnFolder), 'utf8')) as Record<string, string>;
  const entry = (await readFile(new URL(`${ENTRY_FILE}.sri`, cdnFolder), 'utf8')).trim();
  const stepCode = await readFile(new URL(PRELOADED_STEP_FILE, cdnFolder), 'utf8');
  const shared = [...stepCode.matchAll(/from\s*"\.\/(k360-verify\.[\w-]+\.js)"/g)].map((match) => match[1] as string).filter((name) => name !== ENTRY_FILE);
  const preloads = [PRELOADED_STEP_FILE, ...new Set(shared)];
  const unpinned = preloads.filter((name) => onDemand[name] === undefined);
  if (unpinned.length > 0) throw new Error(`k360-verify.integrity.json has no hash for ${unpinned.join(', ')}`);
  return { entry, onDemand, preloads };
}

/**
 * The folder's address with exactly one trailing slash, as the browser resolves it: the import
 * map's keys must equal the URLs the entry's own imports resolve to, character for character.
 */
export function folderUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** The snippet's HTML for the files served from `baseUrl` (a folder; the trailing slash is optional). */
export function cdnSnippetHtml(baseUrl: string, files: CdnFiles): string {
  const base = folderUrl(baseUrl);
  const pinned = Object.entries(files.onDemand).map(([name, hash]) => `    "${base}${name}": "${hash}"`);
  const preloads = files.preloads.map((name) => `<link rel="modulepreload" href="${base}${name}" integrity="${files.onDemand[name]}" crossorigin="anonymous">`);
  return [
    '<script type="importmap">',
    '{ "integrity": {',
    pinned.join(',\n'),
    '} }',
    '</script>',
    `<script type="module" src="${base}${ENTRY_FILE}"`,
    `        integrity="${files.entry}" crossorigin="anonymous"></script>`,
    '<!-- optional: the first step is a passcode, so its files come with the entry -->',
    ...preloads,
    '<verification-flow relay="/verify"></verification-flow>',
    '<script type="module">',
    "  document.querySelector('verification-flow')",
    "    .addEventListener('verify-complete', () => fetch('/checkout/confirm', { method: 'POST' }));",
    '</script>',
  ].join('\n');
}
