/**
 * Issue 26: the README stays short (a newcomer reads it in five minutes) and points into the pages
 * under docs/; no link in it or in a page leads nowhere. Every relative link (pictures included)
 * must name a file that exists, and a `#fragment` into a Markdown file a heading of that file (as
 * GitHub and the docs site make the ids). The element pages carry the names the docs site builds on.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a build helper in plain JavaScript, without declarations
import { readDocs } from '../../src/build/readme-blocks.mjs';

const root = new URL('../../', import.meta.url);
const rootPath = fileURLToPath(root);
const docs = (await readDocs(root)) as Record<string, string>;

/** The text outside fenced code blocks and inline code, where a `[text](target)` is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Every `[text](target)` and `![alt](target)` target outside code. */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1] ?? '');
}

/** The ids GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, text] of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (text ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    ids.add(count === 0 ? base : `${base}-${count}`);
  }
  return ids;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

describe('the README and the pages under docs/', () => {
  it('keep the README at 150 lines at most, with the demo, the tests and the quick start on its first screen', () => {
    const readme = docs['README.md'] ?? '';
    const lines = readme.replace(/\n$/, '').split('\n');
    assert.ok(lines.length <= 150, `README.md has ${lines.length} lines`);
    const firstScreen = lines.slice(0, 60).join('\n');
    assert.match(firstScreen, /npm run demo/);
    assert.match(firstScreen, /npm test/);
    assert.match(readme, /^## Quick start$/m);
    assert.match(readme, /<verification-flow relay="\/verify">/);
  });

  it('give each page one # title, on its first line', () => {
    for (const [path, text] of Object.entries(docs)) {
      if (!path.startsWith('docs/')) continue;
      assert.match(text, /^# \S/, `${path} starts with its # title`);
      assert.equal(prose(text).match(/^# /gm)?.length, 1, `${path} has one # title`);
    }
  });

  it('have the element pages the docs site builds on', () => {
    for (const tag of ['verification-flow', 'otp-entry', 'kba-quiz', 'oth-waiting', 'docv-status']) assert.ok(docs[`docs/elements/${tag}.md`], `docs/elements/${tag}.md`);
    assert.ok(docs['docs/index.md'], 'docs/index.md, the docs site home');
  });

  it('link only to files that exist, and to headings those files have', () => {
    const broken: string[] = [];
    for (const [path, text] of Object.entries(docs)) {
      for (const target of linkTargets(text)) {
        if (isExternal(target)) continue;
        const [file = '', fragment] = target.split('#');
        const resolved = file === '' ? join(rootPath, path) : normalize(join(rootPath, dirname(path), decodeURI(file)));
        if (!resolved.startsWith(rootPath) || !existsSync(resolved)) {
          broken.push(`${path}: ${target} (no such file)`);
          continue;
        }
        if (fragment && resolved.endsWith('.md')) {
          const relative = resolved.slice(rootPath.length).split('\\').join('/');
          const ids = headingIds(docs[relative] ?? '');
          if (!ids.has(fragment)) broken.push(`${path}: ${target} (no such heading)`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('find links in prose and pictures, and skip code (else the check above checks nothing)', () => {
    const targets = linkTargets('See [a](a.md), ![b](../look/b.png).\n```ts\nconst c = [x](y);\n```\n`[d](e)`');
    assert.deepEqual(targets, ['a.md', '../look/b.png']);
    assert.ok(headingIds("## The shop's own route: `x-k360-verify`\n### node:http").has('the-shops-own-route-x-k360-verify'));
    assert.ok(headingIds('### node:http').has('nodehttp'));
    assert.ok(Object.values(docs).flatMap(linkTargets).length > 100, 'the pages link to each other');
  });
});
