/**
 * Issue 10: no import circle in `src/`. A circle between modules that run code on import (the
 * sandbox's `steps.ts` and its `*-step.ts` files were one) makes the order of evaluation decide
 * whether a value is there yet. Type-only imports are left out: they are erased.
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

/** The relative modules a file imports for their values (`import type` and `export type` are erased). */
export function valueImports(source: string, file: string): string[] {
  const found: string[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/gm;
  for (const match of source.matchAll(pattern)) {
    const [, , typeOnly, clause = '', fromPath, bare, dynamic] = match;
    // A dynamic import runs later, never during evaluation: no circle at load.
    if (dynamic !== undefined) continue;
    const specifier = fromPath ?? bare;
    if (specifier === undefined || typeOnly !== undefined) continue;
    // `import { type A, type B } from` is erased too.
    const names = /^\{([^}]*)\}$/.exec(clause.trim())?.[1];
    if (names !== undefined && names.split(',').every((name) => name.trim() === '' || name.trim().startsWith('type '))) continue;
    found.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
  }
  return found;
}

describe('the source has no import circle (issue 10)', () => {
  it('no module in src/ reaches itself through value imports', async () => {
    const files = await sourceFiles(join(root, 'src'));
    const known = new Set(files);
    const graph = new Map<string, string[]>();
    for (const file of files) graph.set(file, valueImports(await readFile(file, 'utf8'), file).filter((target) => known.has(target)));

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
    for (const file of files) if (!state.has(file)) visit(file);
    assert.deepEqual(circles, []);
  });

  it('sees a circle when there is one (the check itself)', () => {
    const a = valueImports("import { B } from './b.js';\nimport type { C } from './c.js';\nimport { type D } from './d.js';\nconst e = import('./e.js');", '/x/a.ts');
    assert.deepEqual(a, ['/x/b.ts']);
  });
});
