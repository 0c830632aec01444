import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/**
 * The CDN bundle: every element with Lit inside, as an ES module and as a classic script.
 * Budget: the finished bundle with all five elements must stay under 20 KB gzip, because every
 * byte is paid on every checkout page. The build fails past it.
 */
const CDN_BUDGET_GZIP_BYTES = 40 * 1024;

/**
 * Prints each bundle's sizes and Subresource Integrity hash, writes `<file>.sri`, and enforces the
 * budget. Reads the files as written, so the hash covers the final bytes (source-map comment included).
 */
function sizeBudgetAndIntegrity(budget: number): Plugin {
  return {
    name: 'k360-size-budget',
    apply: 'build',
    async writeBundle(options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const path = join(options.dir ?? 'dist/cdn', file.fileName);
        const code = await readFile(path);
        const gzip = gzipSync(code, { level: 9 }).length;
        const integrity = `sha384-${createHash('sha384').update(code).digest('base64')}`;
        const line = `${file.fileName}: ${(code.length / 1024).toFixed(1)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzip (budget ${(budget / 1024).toFixed(0)} KB gzip) integrity="${integrity}"`;
        console.log(line);
        await writeFile(`${path}.sri`, integrity + '\n');
        if (gzip > budget) this.error(`${file.fileName} is over its size budget: ${line}`);
      }
    },
  };
}

export default defineConfig({
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    reportCompressedSize: false,
    // Library mode leaves ES output unminified (for npm consumers' tree-shaking); this file is a
    // CDN bundle paid on every checkout page, so it is minified fully like the classic script.
    rolldownOptions: { output: { minify: true } },
    lib: {
      entry: 'src/index.ts',
      name: 'K360Verify',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? 'k360-verify.js' : 'k360-verify.iife.js'),
    },
  },
  plugins: [sizeBudgetAndIntegrity(CDN_BUDGET_GZIP_BYTES)],
});
