// Every export of the package imports in plain Node, with no DOM: what an SSR build (Next, Nuxt, SvelteKit, Astro) does.
const specifiers = process.argv.slice(2);
const failures = [];
for (const specifier of specifiers) {
  try {
    await import(specifier);
  } catch (error) {
    failures.push(`${specifier}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}
const leaked = ['document', 'window', 'HTMLElement'].filter((name) => name in globalThis && name !== 'HTMLElement');
console.log(JSON.stringify({ imported: specifiers.length - failures.length, failures, leaked }));
process.exit(failures.length === 0 ? 0 : 1);
