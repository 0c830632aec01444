/**
 * Issues 10 and 22: no import circle in `src/`, types included. A circle between modules that run
 * code on import (the sandbox's `steps.ts` and its `*-step.ts` files were one) makes the order of
 * evaluation decide whether a value is there yet. A circle of type-only imports does nothing at
 * load, but it is an arrow running back up the design (a method's channel known below `methods/`),
 * so it fails here too. A dynamic `import()` runs later and is a deliberate seam (a leaf element
 * loaded when a strategy needs it): it is not followed.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const files = await Promise.all(
    entries.map((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return Promise.resolve(/\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : []);
    }),
  );
  return files.flat();
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/gm;

/**
 * The relative modules a file imports statically. With `types: false`, only those imported for
 * their values (`import type`, `export type` and `import { type A }` are erased).
 */
export function staticImports(source: string, file: string, { types }: { types: boolean }): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(IMPORT)) {
    const [, , typeOnly, clause = '', fromPath, bare, dynamic] = match;
    if (dynamic !== undefined) continue;
    const specifier = fromPath ?? bare;
    if (specifier === undefined) continue;
    if (!types) {
      if (typeOnly !== undefined) continue;
      const names = /^\{([^}]*)\}$/.exec(clause.trim())?.[1];
      if (names !== undefined && names.split(',').every((name) => name.trim() === '' || name.trim().startsWith('type '))) continue;
    }
    found.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
  }
  return found;
}

/** Every circle a depth-first walk meets, as `a -> b -> a`, relative to the project. */
function circlesOf(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const circles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') circles.push([...stack.slice(stack.indexOf(next)), next].map((path) => relative(root, path)).join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return circles;
}

async function sourceGraph(types: boolean): Promise<Map<string, string[]>> {
  const files = await sourceFiles(join(root, 'src'));
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) graph.set(file, staticImports(await readFile(file, 'utf8'), file, { types }).filter((target) => known.has(target)));
  return graph;
}

describe('the source has no import circle (issues 10, 22)', () => {
  it('no module in src/ reaches itself through value imports (the order of evaluation)', async () => {
    assert.deepEqual(circlesOf(await sourceGraph(false)), []);
  });

  it('no module in src/ reaches itself through any static import, type-only ones included (the design)', async () => {
    assert.deepEqual(circlesOf(await sourceGraph(true)), []);
  });

  it('reads value, type-only and dynamic imports apart (the check itself)', () => {
    const source = "import { B } from './b.js';\nimport type { C } from './c.js';\nimport { type D } from './d.js';\nexport type { F } from './f.js';\nconst e = import('./e.js');";
    assert.deepEqual(staticImports(source, '/x/a.ts', { types: false }), ['/x/b.ts']);
    assert.deepEqual(staticImports(source, '/x/a.ts', { types: true }), ['/x/b.ts', '/x/c.ts', '/x/d.ts', '/x/f.ts']);
  });

  it('finds a circle of type-only imports (the check itself)', () => {
    const graph = new Map([
      ['/x/a.ts', staticImports("import type { B } from './b.js';", '/x/a.ts', { types: true })],
      ['/x/b.ts', staticImports("import { A } from './a.js';", '/x/b.ts', { types: true })],
    ]);
    assert.equal(circlesOf(graph).length, 1);
  });
});
