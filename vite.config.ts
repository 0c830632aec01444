import { resolve } from 'node:path';
import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { defineConfig, type Plugin } from 'vite';
import { ENTRY_FILE, IIFE_FILE } from './src/build/vite-plugins/bundle-files.js';
import { leafPreloads } from './src/build/vite-plugins/leaf-preloads.js';
import { lazyLocaleFiles } from './src/build/vite-plugins/lazy-locale-files.js';
import { sizeBudgetAndIntegrity } from './src/build/vite-plugins/size-budget.js';
import { standaloneFiles } from './src/build/vite-plugins/standalone-files.js';

/**
 * The CDN bundle: an ES module entry with one lazily loaded file per leaf element and per
 * non-English catalogue, and a classic script. How the files are split, and their budgets, are
 * described in `src/build/vite-plugins/size-budget.ts`; the plugins live beside it.
 */
export default defineConfig({
  // A production bundle: the relay's answers get the light check, not zod (src/client/view-check.ts).
  define: { 'globalThis.__K360_VERIFY_DEV__': 'false' },
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    reportCompressedSize: false,
    // Library mode leaves ES output unminified, with its /* @__PURE__ */ annotations, for npm
    // consumers' tree-shaking; this file is a CDN bundle paid on every checkout page, so it is
    // minified fully like the classic script (the annotations alone were 0.1 KB gzip).
    rolldownOptions: {
      // Lets a lazily loaded element's chunk import shared code from the entry (see above).
      preserveEntrySignatures: 'allow-extension',
      output: {
        minify: true,
        comments: false,
        // A leaf element's file is named after its folder: `k360-verify.otp-entry.js`.
        chunkFileNames: (chunk) => `k360-verify.${/\/elements\/([\w-]+)\/define\.ts$/.exec(chunk.facadeModuleId ?? '')?.[1] ?? chunk.name}.js`,
      },
    },
    lib: {
      entry: resolve(import.meta.dirname, 'src/index.ts'),
      name: 'K360Verify',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? ENTRY_FILE : IIFE_FILE),
    },
  },
  plugins: [
    // Minifies the markup in `html` and the CSS in `css` literals (html-minifier-next, lightningcss;
    // the Lit team's plugin, aware of template bindings). Our elements only: 0.4 KB gzip off the entry.
    // (A Rollup plugin: its hook types differ from rolldown's, its one `transform` hook works as is.)
    {
      ...(minifyHtmlLiterals({
        include: ['src/elements/**/*.ts'],
        failOnError: true,
        // A static template (`staticHtml`) splices a tag name in, which the minifier cannot parse: left as written.
        options: { shouldMinify: ({ tag }) => !!tag && tag !== 'staticHtml' && /html|svg/i.test(tag) },
      }) as unknown as Plugin),
      apply: 'build',
    },
    lazyLocaleFiles(),
    leafPreloads(),
    standaloneFiles(import.meta.dirname),
    sizeBudgetAndIntegrity(),
  ],
});
