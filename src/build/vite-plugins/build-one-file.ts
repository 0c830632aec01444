import { build, type Rolldown } from 'vite';

/**
 * Builds one entry on its own, minified like the CDN bundle, into memory: the chunks and assets
 * (its source map) for a plugin to emit. Used for the files the entry loads by URL rather than
 * importing them (catalogues, device data).
 */
export async function buildOneFile(entry: string, fileName: string, external: string[] = []): Promise<(Rolldown.OutputChunk | Rolldown.OutputAsset)[]> {
  const built = (await build({
    configFile: false,
    logLevel: 'error',
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      sourcemap: true,
      rolldownOptions: { external, output: { minify: true, comments: false } },
      lib: { entry, formats: ['es'], fileName: () => fileName },
    },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  return (Array.isArray(built) ? built : [built]).flatMap((result) => result.output);
}

/** What to emit for a built output: its code or its source. */
export const assetOf = (item: Rolldown.OutputChunk | Rolldown.OutputAsset) => ({
  type: 'asset' as const,
  fileName: item.fileName,
  source: item.type === 'chunk' ? item.code : item.source,
});
