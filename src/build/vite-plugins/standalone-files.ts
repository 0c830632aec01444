import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { assetOf, buildOneFile } from './build-one-file.js';

/**
 * Files a page loads by their own URL, never from the entry: `k360-verify.device-data.js`
 * (Kount's device data collection). Kount's collector stays a bare import: its licence does not
 * let us redistribute it, so the page maps `@kount/kount-web-client-sdk` in its import map.
 */
const STANDALONE_FILES: Record<string, { entry: string; external: string[] }> = {
  'k360-verify.device-data.js': { entry: 'src/client/device-data.ts', external: ['@kount/kount-web-client-sdk'] },
};

/** `root`: the project folder the entries are named relative to. */
export function standaloneFiles(root: string): Plugin {
  return {
    name: 'k360-standalone-files',
    apply: 'build',
    async generateBundle(output) {
      if (output.format !== 'es') return;
      for (const [fileName, { entry, external }] of Object.entries(STANDALONE_FILES)) {
        for (const item of await buildOneFile(resolve(root, entry), fileName, external)) this.emitFile(assetOf(item));
      }
    },
  };
}
