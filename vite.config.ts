import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { build, defineConfig, type Plugin, type Rolldown } from 'vite';

/**
 * The CDN bundle, as an ES module (`k360-verify.js`) and as a classic script
 * (`k360-verify.iife.js`), Lit inside, plus one file per non-English catalogue
 * (`k360-verify.locale-<lang>.js`) that both load on demand.
 *
 * Sizes are gzip. Every checkout page pays the ES entry; a locale file only in that language; a
 * lazily loaded leaf element only when its strategy reaches that step.
 *
 * The target: the finished suite (`<verification-flow>`, `<otp-entry>` and three more leaf
 * elements, `<kba-quiz>`, `<oth-waiting>`, `<docv-status>`) keeps what every page downloads under
 * 20 KB. A later leaf adds about 1 KB to the entry even when its code stays out of it (its view
 * schema in the contract, its English strings, the flow's `case` for it), so the entry has to get
 * to 17 KB. It is not there (the build prints the gap): Lit (~6.5 KB) and zod/mini with the
 * browser contract (~5 KB) come first, and the entry still inlines `<otp-entry>` (~4.6 KB) because
 * `src/index.ts` and the flow's `define.ts` import it. Measured without it: entry 18.0 KB,
 * `<otp-entry>` chunk 5.9 KB.
 *
 * How a leaf element stays out of the entry: nothing imports its `define.ts` statically; the flow
 * imports it when a strategy first needs it, and renders the tag once it is defined:
 *     case 'KBA': void import('../kba-quiz/define.js'); return html`<kba-quiz ...></kba-quiz>`;
 * (the tag upgrades when the chunk arrives). Its controllers, styles and strings beyond the shared
 * catalogue live in its folder and travel with it; shared code comes from the entry, never a
 * second copy (`preserveEntrySignatures: 'allow-extension'` below lets the chunk import it from
 * the entry instead of forcing a third file every page would fetch).
 *
 * - ENTRY_BUDGET: a ratchet on today's entry (flow and `<otp-entry>` inlined); lower it as the
 *   entry shrinks.
 * - LEAF_BUDGET: each lazily loaded leaf chunk (`<otp-entry>` on its own would be 5.9 KB).
 * - LOCALE_BUDGET: each built-in catalogue other than English.
 * - IIFE_BUDGET: a classic script cannot import the ES entry's chunks, so rolldown inlines leaf
 *   elements into it; locale files are plain modules that import nothing, and the classic script
 *   loads the same ones with `import()` (relative to its own URL). Its budget is the entry's plus
 *   about 3 KB per later leaf: pages that want the smallest download use the ES module.
 */
const KB = 1024;
const ENTRY_BUDGET = 23 * KB;
const LEAF_BUDGET = 6 * KB;
const LOCALE_BUDGET = 5 * KB;
const IIFE_BUDGET = ENTRY_BUDGET + 21 * KB;
/** What the entry must reach so three more leaves keep every page under 20 KB (printed, not enforced yet). */
const ENTRY_TARGET = 20 * KB - 3 * KB;

const ENTRY_FILE = 'k360-verify.js';
const IIFE_FILE = 'k360-verify.iife.js';

/** Built-in catalogues other than English: `import('./locales/<lang>.js')` from shared code. */
const LOCALE_IMPORT = /^\.\/locales\/([a-z]{2,3}(?:-[a-z0-9]+)*)\.js$/;
const localeFileName = (language: string) => `k360-verify.locale-${language}.js`;

/**
 * Turns each lazily imported catalogue into a file of its own that the ES module and the classic
 * script both load with a relative `import()` (for a classic script, relative to the script's own
 * URL). A catalogue is bundled on its own, so it never imports anything, and this checks it.
 */
function lazyLocaleFiles(): Plugin {
  const locales = new Map<string, string>();
  return {
    name: 'k360-lazy-locale-files',
    apply: 'build',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      const language = LOCALE_IMPORT.exec(source)?.[1];
      if (!language || options.kind !== 'dynamic-import' || !importer?.includes('/src/elements/shared/')) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      if (!resolved) return null;
      locales.set(language, resolved.id);
      return { id: `./${localeFileName(language)}`, external: true };
    },
    async generateBundle(output) {
      // Both outputs refer to the same files; write them once, with the ES module.
      if (output.format !== 'es') return;
      for (const [language, file] of locales) {
        const fileName = localeFileName(language);
        const built = (await build({
          configFile: false,
          logLevel: 'error',
          build: {
            write: false,
            target: 'es2022',
            minify: true,
            sourcemap: true,
            rolldownOptions: { output: { minify: true, comments: false } },
            lib: { entry: file, formats: ['es'], fileName: () => fileName },
          },
        })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
        const outputs = (Array.isArray(built) ? built : [built]).flatMap((result) => result.output);
        const chunks = outputs.filter((item) => item.type === 'chunk');
        if (chunks.length !== 1 || chunks[0]!.imports.length > 0 || chunks[0]!.dynamicImports.length > 0) {
          this.error(`${fileName} must be one file that imports nothing (the classic script loads it too).`);
        }
        for (const item of outputs) {
          this.emitFile({ type: 'asset', fileName: item.fileName, source: item.type === 'chunk' ? item.code : item.source });
        }
      }
    },
  };
}

/** Leaves that carry a library of their own: `<docv-status>` draws its QR code with uqr (3.9 KB). */
const LEAF_BUDGET_EXCEPTIONS: Record<string, number> = { 'k360-verify.docv-status.js': LEAF_BUDGET + 4 * KB };

function budgetFor(fileName: string): number {
  if (fileName === ENTRY_FILE) return ENTRY_BUDGET;
  if (fileName === IIFE_FILE) return IIFE_BUDGET;
  if (fileName.startsWith('k360-verify.locale-')) return LOCALE_BUDGET;
  return LEAF_BUDGET_EXCEPTIONS[fileName] ?? LEAF_BUDGET;
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

/**
 * Prints every emitted script's sizes and Subresource Integrity hash, writes `<file>.sri`, and
 * enforces the budgets. Reads the files as written, so the hash covers the final bytes
 * (source-map comment included). The classic script's output also checks that the locale files
 * it imports were written next to it.
 */
function sizeBudgetAndIntegrity(): Plugin {
  return {
    name: 'k360-size-budget',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist/cdn';
      const failures: string[] = [];
      for (const file of Object.values(bundle)) {
        if (!file.fileName.endsWith('.js')) continue;
        const path = join(dir, file.fileName);
        const code = await readFile(path);
        const gzip = gzipSync(code, { level: 9 }).length;
        const budget = budgetFor(file.fileName);
        const integrity = `sha384-${createHash('sha384').update(code).digest('base64')}`;
        const line = `${file.fileName.padEnd(28)} ${kb(code.length).padStart(8)} raw ${kb(gzip).padStart(8)} gzip  (budget ${kb(budget)})  integrity="${integrity}"`;
        console.log(line);
        await writeFile(`${path}.sri`, integrity + '\n');
        if (gzip > budget) failures.push(line);
        if (file.type === 'chunk') {
          for (const imported of file.dynamicImports) {
            const local = basename(imported);
            if (!bundle[local] && local.startsWith('k360-verify.locale-')) {
              await readFile(join(dir, local)).catch(() => failures.push(`${file.fileName} imports ${local}, which was not written`));
            }
          }
        }
      }
      const entry = bundle[ENTRY_FILE];
      if (entry) {
        const gzip = gzipSync(await readFile(join(dir, ENTRY_FILE)), { level: 9 }).length;
        const gap = gzip > ENTRY_TARGET ? `${kb(gzip - ENTRY_TARGET)} over` : 'met';
        console.log(`Every page pays ${kb(gzip)}; target for the finished suite ${kb(ENTRY_TARGET)} (20 KB less 3 later leaves): ${gap}.`);
      }
      if (failures.length > 0) this.error(`Over the size budget or incomplete:\n${failures.join('\n')}`);
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
    { ...(minifyHtmlLiterals({ include: ['src/elements/**/*.ts'], failOnError: true }) as unknown as Plugin), apply: 'build' },
    lazyLocaleFiles(),
    sizeBudgetAndIntegrity(),
  ],
});
