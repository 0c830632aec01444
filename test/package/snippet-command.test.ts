/**
 * `k360-verify snippet --base-url …` (issue 26, part 4), run as a shop runs it: the built
 * `dist/npm/cli/main.js`. It prints the docs' snippet for the shop's own copy of `dist/cdn`, every
 * file at the given folder and pinned with the SHA-384 of the file in the package (recomputed here,
 * not read from the build's .sri files); a wrong address stops it with a message and a non-zero
 * exit code, as the other commands do (2 for a usage error, 1 for a bad value).
 * Needs a built `dist/` (`npm run build`).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
// @ts-expect-error: a build script in plain JavaScript, without declarations
import { cdnSnippet, docsBaseUrl } from '../../src/build/readme-cdn-snippet.mjs';

const execFileAsync = promisify(execFile);
const root = new URL('../../', import.meta.url);
const main = new URL('dist/npm/cli/main.js', root).pathname;

async function snippet(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [main, 'snippet', ...args], { cwd: root.pathname });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout = '', stderr = '' } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof code === 'number' ? code : -1, stdout, stderr };
  }
}

const sha384 = async (name: string) => `sha384-${createHash('sha384').update(await readFile(new URL(`dist/cdn/${name}`, root))).digest('base64')}`;

/** Every address the snippet names, with the `integrity` it gives it. */
function pinnedUrls(html: string): Array<{ url: string; integrity: string }> {
  const importMap = [...html.matchAll(/^ {4}"([^"]+)": "([^"]+)"/gm)].map((match) => ({ url: match[1] as string, integrity: match[2] as string }));
  const tags = [...html.matchAll(/(?:src|href)="([^"]+)"\s+integrity="([^"]+)"/g)].map((match) => ({ url: match[1] as string, integrity: match[2] as string }));
  return [...importMap, ...tags];
}

describe('k360-verify snippet', () => {
  it('prints every file at the given folder, each pinned with the SHA-384 of the file in the package', async () => {
    const { code, stdout, stderr } = await snippet('--base-url', 'https://cdn.shop.example/k360/');
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    const pinned = pinnedUrls(stdout);
    const onDemand = (await readdir(new URL('dist/cdn/', root))).filter((name) => /^k360-verify\..+\.js$/.test(name) && name !== 'k360-verify.iife.js');
    // The import map (every file the entry loads), the entry's <script>, and at least one preload.
    assert.ok(pinned.length >= onDemand.length + 2, stdout);
    for (const { url, integrity } of pinned) {
      const name = /^https:\/\/cdn\.shop\.example\/k360\/(k360-verify(?:\.[\w-]+)*\.js)$/.exec(url)?.[1];
      assert.ok(name, `${url} is a file of the given folder`);
      assert.equal(integrity, await sha384(name), url);
    }
    assert.ok(pinned.some(({ url }) => url === 'https://cdn.shop.example/k360/k360-verify.js'));
    assert.doesNotMatch(stdout, /cdn\.example\.com/);
  });

  it('is the docs\' snippet, with the shop\'s folder instead of the example CDN', async () => {
    const { stdout } = await snippet('--base-url', 'https://cdn.shop.example/k360/');
    const docs = ((await cdnSnippet()) as string).replace(/^```html\n|\n```$/g, '');
    assert.equal(stdout, `${docs.replaceAll((await docsBaseUrl()) as string, 'https://cdn.shop.example/k360/')}\n`);
  });

  it('takes the folder without its trailing slash', async () => {
    const withSlash = await snippet('--base-url', 'https://cdn.shop.example/k360/');
    const withoutSlash = await snippet('--base-url', 'https://cdn.shop.example/k360');
    assert.equal(withoutSlash.code, 0, withoutSlash.stderr);
    assert.equal(withoutSlash.stdout, withSlash.stdout);
    const atRoot = await snippet('--base-url', 'http://localhost:8080');
    assert.equal(atRoot.code, 0, atRoot.stderr);
    assert.match(atRoot.stdout, /src="http:\/\/localhost:8080\/k360-verify\.js"/);
  });

  it('without --base-url: exit code 2, the option named, and the usage', async () => {
    const { code, stdout, stderr } = await snippet();
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /--base-url is required/);
    assert.match(stderr, /Usage: k360-verify snippet --base-url <URL>/);
  });

  for (const [given, reason] of [
    ['ftp://cdn.shop.example/k360/', /http:\/\/ or https:\/\//],
    ['cdn.shop.example/k360/', /http:\/\/ or https:\/\//],
    ['javascript:alert(1)', /http:\/\/ or https:\/\//],
    ['https://cdn.shop.example/k360/?v=2', /without a query/],
    ['https://cdn.shop.example/k360/#files', /without a query \(\?\) or fragment/],
    ['https://user:secret@cdn.shop.example/k360/', /user name or password/],
  ] as const) {
    it(`refuses --base-url ${given}: exit code 1 and why, on standard error only`, async () => {
      const { code, stdout, stderr } = await snippet('--base-url', given);
      assert.equal(code, 1);
      assert.equal(stdout, '');
      assert.match(stderr, /^k360-verify snippet: --base-url /);
      assert.match(stderr, reason);
    });
  }

  it('--help prints its usage, and so does k360-verify help snippet', async () => {
    const { code, stdout } = await snippet('--help');
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: k360-verify snippet --base-url <URL>/);
    const { stdout: general } = await execFileAsync(process.execPath, [main, 'help', 'snippet']);
    assert.equal(general, stdout);
    const { stdout: commands } = await execFileAsync(process.execPath, [main, '--help']);
    assert.match(commands, /^ {2}snippet {3}/m);
  });
});
