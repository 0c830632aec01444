/**
 * A step's files in one round trip. The entry loads a leaf element's file with `import()`, and
 * the browser learns of the shared files that leaf imports only once it has arrived: one more round
 * trip. Library builds have no preload helper, so this plugin rewrites each `import("./leaf.js")`
 * in the entry to start the leaf's shared imports at the same moment (their own failures are
 * caught: the leaf's import fails too, and that is the one the flow handles).
 */
import MagicString from 'magic-string';
import type { Plugin } from 'vite';
import { ENTRY_FILE } from './bundle-files.js';

export function leafPreloads(): Plugin {
  return {
    name: 'k360-leaf-preloads',
    apply: 'build',
    renderChunk(code, chunk, _options, meta) {
      if (chunk.fileName !== ENTRY_FILE || chunk.dynamicImports.length === 0) return null;
      const chunks = (meta as { chunks?: Record<string, { imports: string[] }> }).chunks ?? {};
      const text = new MagicString(code);
      let changed = false;
      for (const match of code.matchAll(/import\(\s*(["'])\.\/([\w.-]+\.js)\1\s*\)/g)) {
        const shared = (chunks[match[2] ?? '']?.imports ?? []).filter((file) => file !== ENTRY_FILE);
        if (shared.length === 0 || match.index === undefined) continue;
        const early = shared.map((file) => `import("./${file}").catch(() => 0)`).join(', ');
        text.overwrite(match.index, match.index + match[0].length, `(${early}, ${match[0]})`);
        changed = true;
      }
      return changed ? { code: text.toString(), map: text.generateMap({ hires: true }) } : null;
    },
  };
}
