/**
 * SECURITY 27: no code in src/ turns text into markup or code. Read with TypeScript's parser, so
 * comments and strings that name a sink do not count, and `redis.eval` (a Redis command) is not
 * JavaScript's `eval`. Also checked: that the scan sees a sink when one is there.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const root = new URL('../../', import.meta.url).pathname;
const MARKUP_PROPERTIES = new Set(['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'srcdoc']);
const UNSAFE_DIRECTIVES = new Set(['unsafeHTML', 'unsafeSVG', 'unsafeMathML']);

/** Each sink in `source` as `line: what`. */
function sinksIn(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node, what: string) => found.push(`${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${what}`);
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const name = ts.isPropertyAccessExpression(node) ? node.name.text : ts.isStringLiteral(node.argumentExpression) ? node.argumentExpression.text : '';
      if (MARKUP_PROPERTIES.has(name)) report(node, name);
      if ((name === 'write' || name === 'writeln') && node.expression.getText(file) === 'document') report(node, `document.${name}`);
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'eval') report(node, 'eval');
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'Function') report(node, 'Function');
    if (ts.isIdentifier(node) && UNSAFE_DIRECTIVES.has(node.text)) report(node, node.text);
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && /unsafe-(html|svg|mathml)/.test(node.moduleSpecifier.text)) report(node, node.moduleSpecifier.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : /\.(ts|js|mjs)$/.test(entry.name) ? [join(dir, entry.name)] : [])),
  );
  return nested.flat();
}

describe('SECURITY 27: no markup or code sinks in src/', () => {
  it('finds a sink of every kind in code that has them', () => {
    const sinks = sinksIn(
      'probe.ts',
      `import { unsafeHTML } from 'lit/directives/unsafe-html.js';
       element.innerHTML = text; element['outerHTML'] = text; element.insertAdjacentHTML('beforeend', text);
       document.write(text); eval(text); new Function(text); frame.srcdoc = text;
       // innerHTML in a comment, and redis.eval(script), are not sinks
       redis.eval(script); const note = 'innerHTML';`,
    );
    assert.deepEqual(sinks.map((sink) => sink.replace(/^\d+: /, '')), [
      'lit/directives/unsafe-html.js',
      'unsafeHTML',
      'innerHTML',
      'outerHTML',
      'insertAdjacentHTML',
      'document.write',
      'eval',
      'Function',
      'srcdoc',
    ]);
  });

  it('src/ has none', async () => {
    const files = await sourceFiles(join(root, 'src'));
    assert.ok(files.length > 50, `scanned ${files.length} files`);
    const found = (await Promise.all(files.map(async (file) => sinksIn(file, await readFile(file, 'utf8')).map((sink) => `${relative(root, file)}:${sink}`)))).flat();
    assert.deepEqual(found, []);
  });
});
