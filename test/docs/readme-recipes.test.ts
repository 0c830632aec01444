/**
 * The docs' recipes are copied from code the tests run, so they cannot drift: each fenced block
 * after a `<!-- recipe: NAME from PATH -->` line, in README.md or any page under docs/, must equal
 * the `#region recipe NAME` of that file (or the whole file, when the file has no such region),
 * indentation aside.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
// @ts-expect-error: a build helper in plain JavaScript, without declarations
import { readDocs } from '../../src/build/readme-blocks.mjs';

const root = new URL('../../', import.meta.url);
const docs = (await readDocs(root)) as Record<string, string>;
const RECIPE = /<!-- recipe: ([\w-]+) from ([^\s]+) -->\s*```[\w-]*\n([\s\S]*?)```/g;

function dedent(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0));
  return lines.map((line) => line.slice(indent)).join('\n');
}

function region(source: string, name: string): string | null {
  const start = new RegExp(`^.*#region recipe ${name}\\b.*$`, 'm').exec(source);
  if (!start) return null;
  const rest = source.slice(start.index + start[0].length + 1);
  const end = /^.*#endregion recipe\b.*$/m.exec(rest);
  return end ? rest.slice(0, end.index) : null;
}

describe('docs recipes', () => {
  const recipes = Object.entries(docs).flatMap(([page, text]) => [...text.matchAll(RECIPE)].map((match) => ({ page, match })));

  it('has the recipes every stack needs', () => {
    const names = recipes.map(({ match }) => match[1]);
    for (const name of ['node-http', 'express', 'fastify', 'next', 'script-tag', 'vite', 'react', 'vue', 'vue-config', 'svelte', 'preact', 'solid', 'php-checkout', 'nginx']) assert.ok(names.includes(name), `no ${name} recipe`);
    // An integrator's first hour (issue 26): the sandbox alone and the server-side calls with their arguments.
    for (const name of ['quick-start', 'sandbox-alone', 'server-checkout', 'server-confirm', 'server-one-call', 'server-login', 'assert-may-change-state']) assert.ok(names.includes(name), `no ${name} recipe`);
    // The guide's pages: the first view in the page, the funnel to analytics, device data, the client address.
    for (const name of ['first-view', 'funnel-events', 'device-data', 'client-address']) assert.ok(names.includes(name), `no ${name} recipe`);
  });

  for (const { page, match: [, name, path, shown] } of recipes) {
    it(`${page}: ${name} is ${path}, as the tests run it`, async () => {
      const source = await readFile(new URL(path ?? '', root), 'utf8');
      const expected = region(source, name ?? '') ?? source;
      assert.equal(dedent(shown ?? ''), dedent(expected));
    });
  }
});
