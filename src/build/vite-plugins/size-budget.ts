import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { ENTRY_FILE, IIFE_FILE, INTEGRITY_FILE } from './bundle-files.js';

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
 * The first target, what every page downloads under 20 KB with all five elements built, held for
 * the entry until issue 11 (Start again, the loading skeleton, focus after Try again, the map of
 * twelve locales, the funnel events) took it to about 20.6 KB, after moving the English only
 * steps show (`en-steps.ts`, about 0.45 KB) out of it. Issue 22 took it to about 16.4 KB: the
 * production build checks the relay's answers by their shape and leaves zod/mini and the
 * contract's schemas (5.8 KB) to development builds (src/client/view-check.ts); the session's
 * owner (SessionController, with @lit/context, about 0.8 KB) came in, and the live watch moved
 * out to the steps that follow the session live. The build prints it. A page that runs a step adds that leaf (sizes in the
 * docs/page/cdn.md, written by the build; `<docv-status>` carries a 3.9 KB QR encoder), plus small shared
 * chunks the leaves split among them, which the entry starts with the leaf (leaf-preloads.ts).
 *
 * How a leaf stays out of the entry: nothing imports its `define.ts` statically. The flow loads
 * it when a strategy first needs it (verification-flow/action-elements.ts) and the CDN entry loads
 * one a page places itself (src/autoload.ts). Its strings are `<element>.strings.ts` in its folder,
 * handed to its LocalizeController. Shared code comes from the entry, never a second copy
 * (`preserveEntrySignatures: 'allow-extension'` in vite.config.ts lets a chunk import it from the entry):
 * so import shared modules directly, not through an index that re-exports leaf-only code, or that
 * code lands in the entry too.
 *
 * - ENTRY_BUDGET: a ratchet, lower it as the entry shrinks (20.6 KB before issue 22, 16.4 KB after).
 *   Issue 24's designed look raised it to 17.5 KB (the card, the decision's moment, the icons, the
 *   busy button, about 0.75 KB), inside the OTP page's budget below, which is the one that binds.
 * - OTP_PAGE_BUDGET: what a page running an OTP step downloads, the entry and the OTP leaf with
 *   every file it imports. Issue 24 allowed 1 KB for all of its experience work (25.3 KB before).
 * - LEAF_BUDGET: each lazily loaded file, with named exceptions; lowered from 6 KB (docv 8.5 KB,
 *   classic script 42 KB) in issue 12 to about a tenth above what each file weighs; docv raised to
 *   9 KB in issue 11 (texting the link again, the failed step).
 * - LOCALE_BUDGET: each built-in catalogue other than English (whole: shared and leaf strings).
 * - IIFE_BUDGET: a classic script cannot import the ES entry's chunks, so rolldown inlines every
 *   leaf into it; locale files are plain modules that import nothing, and the classic script
 *   loads the same ones with `import()` (relative to its own URL). Pages that want the smallest
 *   download use the ES module. Lowered from 44 KB to 40 KB in issue 22 (39.1 KB, without zod);
 *   raised to 42 KB in issue 24, which gave all five elements their designed look at once.
 */
const KB = 1024;
const ENTRY_BUDGET = 17.5 * KB;
const OTP_PAGE_BUDGET = 26.3 * KB;
const OTP_LEAF_FILE = 'k360-verify.otp-entry.js';
const LEAF_BUDGET = 5.5 * KB;
const LOCALE_BUDGET = 4 * KB;
const IIFE_BUDGET = 42 * KB;

/**
 * Leaves above the common budget: `<docv-status>` draws its QR code with uqr (3.9 KB);
 * `<otp-entry>` draws its digit boxes over the input (issue 11, about 0.7 KB of it styles).
 */
const LEAF_BUDGET_EXCEPTIONS: Record<string, number> = {
  'k360-verify.docv-status.js': 9 * KB,
  'k360-verify.otp-entry.js': 6.5 * KB,
  'k360-verify.device-data.js': 1.5 * KB,
};

function budgetFor(fileName: string): number {
  if (fileName === ENTRY_FILE) return ENTRY_BUDGET;
  if (fileName === IIFE_FILE) return IIFE_BUDGET;
  if (fileName.startsWith('k360-verify.locale-')) return LOCALE_BUDGET;
  return LEAF_BUDGET_EXCEPTIONS[fileName] ?? LEAF_BUDGET;
}

export const kb = (bytes: number): string => `${(bytes / KB).toFixed(1)} KB`;

/**
 * Prints every emitted script's sizes and Subresource Integrity hash, writes `<file>.sri`, and
 * enforces the budgets. Reads the files as written, so the hash covers the final bytes
 * (source-map comment included). The classic script's output also checks that the locale files
 * it imports were written next to it.
 */
export function sizeBudgetAndIntegrity(): Plugin {
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
        const gzipOf = async (name: string) => gzipSync(await readFile(join(dir, name)), { level: 9 }).length;
        const gzip = await gzipOf(ENTRY_FILE);
        console.log(`Every page pays ${kb(gzip)} (budget ${kb(ENTRY_BUDGET)}); a page adds the leaf files of the steps it runs.`);
        const otp = bundle[OTP_LEAF_FILE];
        if (otp?.type === 'chunk') {
          const files = new Set([ENTRY_FILE, OTP_LEAF_FILE, ...otp.imports.map((name) => basename(name))]);
          let page = 0;
          for (const name of files) page += await gzipOf(name);
          const line = `An OTP page pays ${kb(page)} in ${files.size} files (budget ${kb(OTP_PAGE_BUDGET)}).`;
          console.log(line);
          if (page > OTP_PAGE_BUDGET) failures.push(line);
        }
      }
      if (failures.length > 0) this.error(`Over the size budget or incomplete:\n${failures.join('\n')}`);
    },
  };
}
