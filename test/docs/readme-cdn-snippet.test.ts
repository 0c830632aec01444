/**
 * SECURITY 28: the docs' CDN snippet carries the real `integrity` of the built entry and of each
 * file it loads on demand, recomputed here from the files in `dist/cdn` (not read from the build's
 * own .sri files). The block is wherever its markers are (README.md or a page under docs/); every
 * copy is checked. Needs a built `dist/` (`npm run build` writes the snippet).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import { cdnSnippetHtml, readCdnFiles } from '../../src/cli/cdn-snippet.js';
// @ts-expect-error: a build script in plain JavaScript, without declarations
import { cdnSnippet, docsBaseUrl, filesWithSnippet, snippetIn } from '../../src/build/readme-cdn-snippet.mjs';

const root = new URL('../../', import.meta.url);
const sha384 = async (name: string) => `sha384-${createHash('sha384').update(await readFile(new URL(`dist/cdn/${name}`, root))).digest('base64')}`;

describe("the docs' CDN snippet (SECURITY 28)", () => {
  /** Each page holding the block, with the block's text. */
  let blocks: Array<{ page: string; shown: string }> = [];
  before(async () => {
    const pages = (await filesWithSnippet()) as URL[];
    blocks = await Promise.all(pages.map(async (page) => ({ page: page.pathname.slice(root.pathname.length), shown: snippetIn(await readFile(page, 'utf8')) as string })));
  });

  it('is in README.md or a page under docs/, and is the one the build writes, with no placeholder hash', async () => {
    assert.ok(blocks.length > 0, 'README.md or a docs/**/*.md page has the <!-- cdn-snippet: … --> block');
    const fromSource = ['```html', cdnSnippetHtml((await docsBaseUrl()) as string, await readCdnFiles(new URL('dist/cdn/', root))), '```'].join('\n');
    for (const { page, shown } of blocks) {
      // The build writes it through the compiled command module; the source must say the same.
      assert.equal(shown, await cdnSnippet(), page);
      assert.equal(shown, fromSource, page);
      assert.doesNotMatch(shown, /sha384-(…|\.\.\.)/, page);
    }
  });

  it("pins the entry and every file it loads on demand with each file's own SHA-384", async () => {
    // Every ES file beside the entry (the leaf elements, shared chunks, locales, device data), and nothing else.
    const onDemand = (await readdir(new URL('dist/cdn/', root))).filter((name) => /^k360-verify\..+\.js$/.test(name) && name !== 'k360-verify.iife.js');
    for (const { page, shown } of blocks) {
      const entry = /src="[^"]*\/(k360-verify\.js)"\s+integrity="([^"]+)"/.exec(shown);
      assert.ok(entry, page);
      assert.equal(entry[2], await sha384('k360-verify.js'), page);
      const pinned = Object.fromEntries([...shown.matchAll(/"https:\/\/[^"]+\/(k360-verify\.[\w.-]+\.js)": "([^"]+)"/g)].map((match) => [match[1], match[2]]));
      assert.deepEqual(Object.keys(pinned).sort(), onDemand.sort(), page);
      for (const [name, hash] of Object.entries(pinned)) assert.equal(hash, await sha384(name), `${page}: ${name}`);
    }
  });

  it("preloads the passcode step's file and each shared file it imports, pinned like the rest", async () => {
    const leafCode = await readFile(new URL('dist/cdn/k360-verify.otp-entry.js', root), 'utf8');
    const imports = [...leafCode.matchAll(/from\s*"\.\/(k360-verify\.[\w-]+\.js)"/g)].map((match) => match[1]).filter((name) => name !== 'k360-verify.js');
    for (const { page, shown } of blocks) {
      const preloads = [...shown.matchAll(/<link rel="modulepreload" href="[^"]+\/(k360-verify\.[\w.-]+\.js)" integrity="([^"]+)" crossorigin="anonymous">/g)];
      assert.deepEqual(preloads.map((match) => match[1]).sort(), ['k360-verify.otp-entry.js', ...new Set(imports)].sort(), page);
      for (const [, name, hash] of preloads) assert.equal(hash, await sha384(name ?? ''), `${page}: ${name}`);
    }
  });
});
