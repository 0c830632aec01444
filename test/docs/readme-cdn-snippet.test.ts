/**
 * SECURITY 28: the README's CDN snippet carries the real `integrity` of the built entry and of each
 * file it loads on demand, recomputed here from the files in `dist/cdn` (not read from the build's
 * own .sri files). Needs a built `dist/` (`npm run build` writes the snippet).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
// @ts-expect-error: a build script in plain JavaScript, without declarations
import { cdnSnippet, snippetIn } from '../../src/build/readme-cdn-snippet.mjs';

const root = new URL('../../', import.meta.url);
const sha384 = async (name: string) => `sha384-${createHash('sha384').update(await readFile(new URL(`dist/cdn/${name}`, root))).digest('base64')}`;

describe("README's CDN snippet (SECURITY 28)", () => {
  it('is the one the build writes, with no placeholder hash', async () => {
    const shown = snippetIn(await readFile(new URL('README.md', root), 'utf8')) as string | null;
    assert.ok(shown, 'README.md has the cdn-snippet block');
    assert.equal(shown, await cdnSnippet());
    assert.doesNotMatch(shown, /sha384-(…|\.\.\.)/);
  });

  it("pins the entry and every file it loads on demand with each file's own SHA-384", async () => {
    const shown = snippetIn(await readFile(new URL('README.md', root), 'utf8')) as string;
    const entry = /src="[^"]*\/(k360-verify\.js)"\s+integrity="([^"]+)"/.exec(shown);
    assert.ok(entry);
    assert.equal(entry[2], await sha384('k360-verify.js'));
    const pinned = Object.fromEntries([...shown.matchAll(/"https:\/\/[^"]+\/(k360-verify\.[\w.-]+\.js)": "([^"]+)"/g)].map((match) => [match[1], match[2]]));
    // Every ES file beside the entry (the leaf elements, shared chunks, locales, device data), and nothing else.
    const onDemand = (await readdir(new URL('dist/cdn/', root))).filter((name) => /^k360-verify\..+\.js$/.test(name) && name !== 'k360-verify.iife.js');
    assert.deepEqual(Object.keys(pinned).sort(), onDemand.sort());
    for (const [name, hash] of Object.entries(pinned)) assert.equal(hash, await sha384(name), name);
  });

  it("preloads the passcode step's file and each shared file it imports, pinned like the rest", async () => {
    const shown = snippetIn(await readFile(new URL('README.md', root), 'utf8')) as string;
    const preloads = [...shown.matchAll(/<link rel="modulepreload" href="[^"]+\/(k360-verify\.[\w.-]+\.js)" integrity="([^"]+)" crossorigin="anonymous">/g)];
    const leafCode = await readFile(new URL('dist/cdn/k360-verify.otp-entry.js', root), 'utf8');
    const imports = [...leafCode.matchAll(/from\s*"\.\/(k360-verify\.[\w-]+\.js)"/g)].map((match) => match[1]).filter((name) => name !== 'k360-verify.js');
    assert.deepEqual(preloads.map((match) => match[1]).sort(), ['k360-verify.otp-entry.js', ...new Set(imports)].sort());
    for (const [, name, hash] of preloads) assert.equal(hash, await sha384(name ?? ''), name);
  });
});
