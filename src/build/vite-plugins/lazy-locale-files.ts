import type { Plugin } from 'vite';
import { assetOf, buildOneFile } from './build-one-file.js';
import { localeFileName } from './bundle-files.js';

/** Built-in catalogues other than English: `import('./locales/<lang>.js')` from shared code. */
const LOCALE_IMPORT = /^\.\/locales\/([a-z]{2,3}(?:-[a-z0-9]+)*)\.js$/;

/**
 * Turns each lazily imported catalogue into a file of its own that the ES module and the classic
 * script both load with a relative `import()` (for a classic script, relative to the script's own
 * URL). A catalogue is bundled on its own, so it never imports anything, and this checks it.
 */
export function lazyLocaleFiles(): Plugin {
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
        const outputs = await buildOneFile(file, fileName);
        const chunks = outputs.filter((item) => item.type === 'chunk');
        if (chunks.length !== 1 || chunks[0]!.imports.length > 0 || chunks[0]!.dynamicImports.length > 0) {
          this.error(`${fileName} must be one file that imports nothing (the classic script loads it too).`);
        }
        for (const item of outputs) {
          this.emitFile(assetOf(item));
        }
      }
    },
  };
}
