/**
 * Truth in the package (issue 26): every file `npm pack` would publish is reached from something a
 * consumer can name. The roots are package.json's `exports` (each condition, `*` patterns matched
 * against the packed files), `bin`, `customElements` and the modules its manifest lists, and the
 * files npm always ships (package.json, README.md, LICENSE); from each reached module its relative
 * imports are followed: `import`/`export … from`/`import()` between JavaScript modules, and the
 * same specifiers (`./x.js` read as `./x.d.ts`) plus `/// <reference path>` between declaration
 * files. tsc writes a declaration file beside each module: a reached module's `x.d.ts` counts as
 * reached with it, and so does the empty `x.js` (`export {};`) of a reached types-only module.
 * A file reached by none of these (build tooling, a module nothing imports, a declaration
 * no type entry leads to) is weight a shop downloads for nothing, and a sign the package says one
 * thing and ships another. Needs a built `dist/` (`npm run build`).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

/** Files npm packs whatever `files` says. */
const ALWAYS_SHIPPED = ['package.json', 'README.md', 'LICENSE'];

interface Manifest {
  bin?: string | Record<string, string>;
  exports?: unknown;
  customElements?: string;
  types?: string;
  typings?: string;
}

/** Every target of an `exports` value: a string, an array of them, or an object of conditions. */
function exportTargets(value: unknown, key = '.'): Array<{ key: string; target: string }> {
  if (typeof value === 'string') return [{ key, target: value }];
  if (Array.isArray(value)) return value.flatMap((item) => exportTargets(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([name, inner]) => exportTargets(inner, name.startsWith('.') ? name : key));
  }
  return [];
}

const withoutDotSlash = (path: string) => path.replace(/^\.\//, '');

/** The packed files an export target names; a `*` in it matches any text, `/` included, as in Node. */
function matching(target: string, packed: Set<string>): string[] {
  const path = withoutDotSlash(target);
  if (!path.includes('*')) return packed.has(path) ? [path] : [];
  const pattern = new RegExp(`^${path.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);
  return [...packed].filter((candidate) => pattern.test(candidate));
}

/** Relative specifiers a module or a declaration file names. */
function relativeSpecifiers(code: string): string[] {
  const found = [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g)].map((match) => match[2] as string);
  const references = [...code.matchAll(/\/\/\/\s*<reference\s+path=(['"])([^'"]+)\1/g)].map((match) => (match[2]?.startsWith('.') ? match[2] : `./${match[2]}`));
  return [...found, ...references];
}

/** The packed file a specifier leads to from `from`, or null: `.d.ts` files lead to declarations. */
function resolve(from: string, specifier: string, packed: Set<string>): string | null {
  const path = posix.normalize(posix.join(posix.dirname(from), specifier));
  const declaration = /\.d\.[cm]?ts$/.test(from);
  const candidates = declaration
    ? [path.replace(/\.js$/, '.d.ts').replace(/\.mjs$/, '.d.mts').replace(/\.cjs$/, '.d.cts'), path, `${path}.d.ts`, `${path}/index.d.ts`]
    : [path];
  return candidates.find((candidate) => packed.has(candidate)) ?? null;
}

describe('the packed package ships only what a consumer can reach', () => {
  let packed = new Set<string>();
  let reached = new Map<string, string>();
  let broken: string[] = [];

  before(async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    const [pack] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
    assert.ok(pack, 'npm pack --dry-run --json printed the package');
    packed = new Set(pack.files.map((file) => file.path));
    const manifest = JSON.parse(await readFile(`${root}package.json`, 'utf8')) as Manifest;

    /** Each reached file, with the first root or module that reached it (for failure messages). */
    reached = new Map<string, string>();
    const queue: string[] = [];
    const reach = (path: string, by: string) => {
      if (reached.has(path)) return;
      reached.set(path, by);
      queue.push(path);
    };
    for (const path of ALWAYS_SHIPPED) if (packed.has(path)) reach(path, 'npm');
    for (const { key, target } of exportTargets(manifest.exports)) {
      const files = matching(target, packed);
      if (files.length === 0) broken.push(`exports["${key}"] → ${target} matches no packed file`);
      for (const file of files) reach(file, `exports["${key}"]`);
    }
    const bins = typeof manifest.bin === 'string' ? { bin: manifest.bin } : (manifest.bin ?? {});
    for (const [name, target] of Object.entries(bins)) {
      if (packed.has(withoutDotSlash(target))) reach(withoutDotSlash(target), `bin.${name}`);
      else broken.push(`bin.${name} → ${target} is not packed`);
    }
    for (const field of ['types', 'typings'] as const) {
      const target = manifest[field];
      if (target !== undefined) reach(withoutDotSlash(target), field);
    }
    if (manifest.customElements !== undefined) {
      reach(withoutDotSlash(manifest.customElements), 'customElements');
      const elements = JSON.parse(await readFile(`${root}${manifest.customElements}`, 'utf8')) as { modules: Array<{ path: string }> };
      for (const module of elements.modules) if (packed.has(module.path)) reach(module.path, 'customElements');
    }

    while (queue.length > 0) {
      const file = queue.shift() as string;
      if (!/\.(m?js|d\.m?ts)$/.test(file)) continue;
      const twin = file.endsWith('.d.ts') ? file.replace(/\.d\.ts$/, '.js') : file.replace(/\.js$/, '.d.ts');
      if (packed.has(twin) && (twin.endsWith('.d.ts') || (await readFile(`${root}${twin}`, 'utf8')).trim() === 'export {};')) reach(twin, `${file} (its twin)`);
      for (const specifier of relativeSpecifiers(await readFile(`${root}${file}`, 'utf8'))) {
        const target = resolve(file, specifier, packed);
        if (target === null) broken.push(`${file} imports ${specifier}, which is not packed`);
        else reach(target, file);
      }
    }
  });

  it('every export, bin and import of a reached module leads to a packed file', () => {
    assert.deepEqual(broken, []);
  });

  it('ships no file that no export, bin, customElements, types entry or documented file reaches', () => {
    assert.ok(packed.size > 0);
    assert.deepEqual([...packed].filter((path) => !reached.has(path)).sort(), []);
  });

  it('ships no build tooling (dist/npm/build: the Vite plugins and the docs writers)', () => {
    assert.deepEqual([...packed].filter((path) => path.startsWith('dist/npm/build/') || path.startsWith('src/')), []);
  });

  it('ships source maps only beside the minified CDN files, each map beside its file', () => {
    const maps = [...packed].filter((path) => path.endsWith('.map'));
    assert.deepEqual(maps.filter((path) => !path.startsWith('dist/cdn/') || !packed.has(path.slice(0, -'.map'.length))), []);
  });
});
