import { resolve } from 'node:path';
import { build, type Plugin, type Rolldown } from 'vite';

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
        const built = (await build({
          configFile: false,
          logLevel: 'error',
          build: {
            write: false,
            target: 'es2022',
            minify: true,
            sourcemap: true,
            rolldownOptions: { external, output: { minify: true, comments: false } },
            lib: { entry: resolve(root, entry), formats: ['es'], fileName: () => fileName },
          },
        })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
        for (const item of (Array.isArray(built) ? built : [built]).flatMap((result) => result.output)) {
          this.emitFile({ type: 'asset', fileName: item.fileName, source: item.type === 'chunk' ? item.code : item.source });
        }
      }
    },
  };
}
