/** `k360-verify snippet`: the CDN snippet for a shop serving the package's `dist/cdn` files itself. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { readArguments } from './arguments.js';
import { cdnSnippetHtml, readCdnFiles, type CdnFiles } from './cdn-snippet.js';

export const SNIPPET_HELP = `Usage: k360-verify snippet --base-url <URL>

Prints the HTML that loads the elements from your own copy of the CDN files: the import map that
pins every file the entry loads on demand, the entry's <script>, the passcode step's preloads and a
<verification-flow> element, each file pinned with the sha384 "integrity" of the file in this
installed package. Serve the files of node_modules/k360-verify/dist/cdn/ unchanged at <URL>, with
CORS (Access-Control-Allow-Origin) when that is another origin than the page's, and print the
snippet again after every upgrade: the hashes change with the files.

Options:
  --base-url <URL>  the http(s) address of the folder holding the files, e.g.
                    https://cdn.shop.example/k360/ (the trailing slash is optional; no query)
  -h, --help        this text
`;

/** The folder's address: http(s) only, and nothing the files' own URLs could not carry after it. */
const BaseUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// address, e.g. https://cdn.shop.example/k360/' })
  .refine((value) => !value.includes('?') && !value.includes('#'), 'must be the folder of the files, without a query (?) or fragment (#)')
  // zod runs every check even after the address failed to parse: this one reads only addresses that parse.
  .refine((value) => !URL.canParse(value) || (new URL(value).username === '' && new URL(value).password === ''), 'must not carry a user name or password: the snippet is public HTML');

export async function runSnippet(args: string[]): Promise<void> {
  const options = readArguments('snippet', args, { 'base-url': { type: 'string' } }, SNIPPET_HELP);
  if (options['base-url'] === undefined) {
    process.stderr.write(`k360-verify snippet: --base-url is required\n\n${SNIPPET_HELP}`);
    process.exit(2);
  }
  const baseUrl = BaseUrl.safeParse(options['base-url']);
  if (!baseUrl.success) fail(`--base-url ${baseUrl.error.issues[0]?.message ?? 'is not valid'} (given: ${options['base-url']})`);
  let files: CdnFiles;
  try {
    files = await readCdnFiles(await cdnFolder());
  } catch (error) {
    fail(`cannot read the package's CDN files (${error instanceof Error ? error.message : String(error)}); from a clone of the repository, run "npm run build" first`);
  }
  process.stdout.write(`${cdnSnippetHtml(baseUrl.data, files)}\n`);
}

/**
 * `dist/cdn/` of the package this file belongs to: the nearest folder above it with the package's
 * package.json. The same code runs compiled (dist/npm/cli) and from source (src/cli) with tsx.
 */
async function cdnFolder(): Promise<URL> {
  for (let folder = new URL('./', import.meta.url); folder.pathname !== '/'; folder = new URL('../', folder)) {
    const manifest = await readFile(new URL('package.json', folder), 'utf8').catch(() => null);
    if (manifest !== null && (JSON.parse(manifest) as { name?: string }).name === 'k360-verify') return new URL('dist/cdn/', folder);
  }
  throw new Error('no k360-verify package.json above this command');
}

function fail(message: string): never {
  process.stderr.write(`k360-verify snippet: ${message}\n`);
  process.exit(1);
}
