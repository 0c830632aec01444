/**
 * Issue 12: a step's files arrive in one round trip. The build rewrites the entry's `import()` of
 * each leaf element to start the shared files that leaf imports at the same moment
 * (src/build/vite-plugins/leaf-preloads.ts); without it the browser would find them only once the
 * leaf's file had arrived. Reads the CDN build (`npm run build`).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const cdn = join(fileURLToPath(new URL('../../', import.meta.url)), 'dist/cdn');
const LEAVES = ['otp-entry', 'kba-quiz', 'oth-waiting', 'docv-status'];

describe('a step in one round trip after the entry', () => {
  it("starts every shared file a leaf imports together with the leaf's own file", async () => {
    const entry = await readFile(join(cdn, 'k360-verify.js'), 'utf8');
    for (const leaf of LEAVES) {
      const file = `k360-verify.${leaf}.js`;
      const imports = [...new Set([...(await readFile(join(cdn, file), 'utf8')).matchAll(/from\s*["`]\.\/(k360-verify\.[\w-]+\.js)["`]/g)].map((match) => match[1] ?? ''))].filter((name) => name !== 'k360-verify.js');
      assert.ok(imports.length > 0, `<${leaf}> imports shared files (else this checks nothing)`);
      const at = entry.search(new RegExp(`import\\(\\s*["\`]\\./${file.replaceAll('.', '\\.')}["\`]\\s*\\)`));
      assert.ok(at > 0, `the entry loads ${file}`);
      // The leaf's loader (`load:` keeps its name through minification), up to the leaf's import.
      const loader = entry.slice(entry.lastIndexOf('load:', at), at);
      for (const name of imports) assert.ok(loader.includes(`./${name}`), `the entry starts ${name} with ${file}: ${loader}`);
    }
  });
});
