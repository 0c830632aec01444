import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { build, defineConfig, type Plugin, type Rolldown } from 'vite';

/**
 * The CDN bundle, as an ES module (`k360-verify.js`) and as a classic script
 * (`k360-verify.iife.js`), Lit inside, plus one file per leaf element
 * (`k360-verify.<element>.js`) and per non-English catalogue (`k360-verify.locale-<lang>.js`),
 * loaded on demand.
 *
 * Sizes are gzip. Every page pays the ES entry: Lit, zod/mini with the browser contract, the
 * relay client, localization with the shared English strings, and `<verification-flow>`. A leaf
 * element (its code, styles and English strings) is paid only when a strategy reaches its step,
 * a locale file only in that language.
 *
 * The target, what every page downloads under 20 KB with all five elements built, holds
 * for the entry (the build prints it). A page that runs a step adds that leaf: `<otp-entry>`
 * 5.4 KB, `<kba-quiz>` 4.6 KB, `<oth-waiting>` 3.8 KB, `<docv-status>` 8.1 KB (3.9 KB of it is the
 * QR encoder), plus small shared chunks (countdown, live updates) the leaves split among them.
 *
 * How a leaf stays out of the entry: nothing imports its `define.ts` statically. The flow loads
 * it when a strategy first needs it (verification-flow/action-elements.ts) and the CDN entry loads
 * one a page places itself (src/autoload.ts). Its strings are `<element>.strings.ts` in its folder,
 * handed to its LocalizeController. Shared code comes from the entry, never a second copy
 * (`preserveEntrySignatures: 'allow-extension'` below lets a chunk import it from the entry):
 * so import shared modules directly, not through an index that re-exports leaf-only code, or that
 * code lands in the entry too.
 *
 * - ENTRY_BUDGET: the 20 KB target; a ratchet, lower it as the entry shrinks.
 * - LEAF_BUDGET: each lazily loaded file, with named exceptions.
 * - LOCALE_BUDGET: each built-in catalogue other than English (whole: shared and leaf strings).
 * - IIFE_BUDGET: a classic script cannot import the ES entry's chunks, so rolldown inlines every
 *   leaf into it; locale files are plain modules that import nothing, and the classic script
 *   loads the same ones with `import()` (relative to its own URL). Pages that want the smallest
 *   download use the ES module.
 */
const KB = 1024;
const ENTRY_BUDGET = 20 * KB;
const LEAF_BUDGET = 6 * KB;
const LOCALE_BUDGET = 4 * KB;
const IIFE_BUDGET = 42 * KB;

const ENTRY_FILE = 'k360-verify.js';
const IIFE_FILE = 'k360-verify.iife.js';
/** `{ "<file>": "sha384-…" }` for every file the entry loads on demand. */
const INTEGRITY_FILE = 'k360-verify.integrity.json';

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

/**
 * Files a page loads by their own URL, never from the entry: `k360-verify.device-data.js`
 * (Kount's device data collection). Kount's collector stays a bare import: its licence does not
 * let us redistribute it, so the page maps `@kount/kount-web-client-sdk` in its import map.
 */
const STANDALONE_FILES: Record<string, { entry: string; external: string[] }> = {
  'k360-verify.device-data.js': { entry: 'src/client/device-data.ts', external: ['@kount/kount-web-client-sdk'] },
};

function standaloneFiles(): Plugin {
  return {
    name: 'k360-standalone-files',
    apply: 'build',
    async generateBundle(output) {
      if (output.format !== 'es') return;
      for (const [fileName, { entry, external }] of Object.entries(STANDALONE_FILES)) {
        const built = (await build({
          configFile: false,
          logLevel: 'error',
          build: {
            write: false,
            target: 'es2022',
            minify: true,
            sourcemap: true,
            rolldownOptions: { external, output: { minify: true, comments: false } },
            lib: { entry: resolve(import.meta.dirname, entry), formats: ['es'], fileName: () => fileName },
          },
        })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
        for (const item of (Array.isArray(built) ? built : [built]).flatMap((result) => result.output)) {
          this.emitFile({ type: 'asset', fileName: item.fileName, source: item.type === 'chunk' ? item.code : item.source });
        }
      }
    },
  };
}

/** Leaves that carry a library of their own: `<docv-status>` draws its QR code with uqr (3.9 KB). */
const LEAF_BUDGET_EXCEPTIONS: Record<string, number> = { 'k360-verify.docv-status.js': 8.5 * KB, 'k360-verify.device-data.js': 1.5 * KB };

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
      /** Every file the ES entry may import, with its hash: pages pin them with an import map. */
      const lazyIntegrity: Record<string, string> = {};
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
        if (options.format === 'es' && file.fileName !== ENTRY_FILE) lazyIntegrity[file.fileName] = integrity;
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
      if (options.format === 'es') {
        // `integrity` of an import map checks what `import()` fetches, as the script tag's attribute
        // checks the entry (SECURITY 28 for the files loaded on demand). Keys are file names: a page
        // maps them to the URLs it serves them from.
        const sorted = Object.fromEntries(Object.entries(lazyIntegrity).sort(([a], [b]) => a.localeCompare(b)));
        await writeFile(join(dir, INTEGRITY_FILE), JSON.stringify(sorted, null, 2) + '\n');
      }
      const entry = bundle[ENTRY_FILE];
      if (entry) {
        const gzip = gzipSync(await readFile(join(dir, ENTRY_FILE)), { level: 9 }).length;
        console.log(`Every page pays ${kb(gzip)} (target 20 KB); a page adds the leaf files of the steps it runs.`);
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
    standaloneFiles(),
    sizeBudgetAndIntegrity(),
  ],
});
