import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/**
 * The CDN bundle: every element with Lit inside, as an ES module and as a classic script.
 * Budget: the finished bundle with all five elements must stay under 20 KB gzip, because every
 * byte is paid on every checkout page. The build fails past it.
 */
const CDN_BUDGET_GZIP_BYTES = 20 * 1024;

function sizeBudget(budget: number): Plugin {
  return {
    name: 'k360-size-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const raw = Buffer.byteLength(file.code);
        const gzip = gzipSync(file.code, { level: 9 }).length;
        const line = `${file.fileName}: ${(raw / 1024).toFixed(1)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzip (budget ${(budget / 1024).toFixed(0)} KB gzip)`;
        console.log(line);
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
    lib: {
      entry: 'src/index.ts',
      name: 'K360Verify',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? 'k360-verify.js' : 'k360-verify.iife.js'),
    },
  },
  plugins: [sizeBudget(CDN_BUDGET_GZIP_BYTES)],
});
