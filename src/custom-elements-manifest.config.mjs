// `npm run analyze`: writes dist/custom-elements.json from the elements' doc comments
// (@summary, @tagname, @event, @csspart, @cssproperty), the single API contract of each element.
export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*.styles.ts', 'src/elements/**/*.strings.ts', 'src/elements/**/define.ts', 'src/elements/**/index.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  plugins: [
    {
      name: 'k360-drop-unnamed-events',
      // `dispatchEvent(new VerifyStepEvent(...))` is seen as an event without a name; the
      // `@event` tags already describe each event with its name.
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.events) declaration.events = declaration.events.filter((event) => event.name);
          }
        }
      },
    },
    {
      name: 'k360-every-element-named',
      // An element without `@tagname` is listed without its tag: editors and docs cannot find it.
      packageLinkPhase({ customElementsManifest }) {
        const unnamed = customElementsManifest.modules
          .flatMap((module) => module.declarations ?? [])
          .filter((declaration) => declaration.customElement && !declaration.tagName)
          .map((declaration) => declaration.name);
        if (unnamed.length > 0) throw new Error(`Add @tagname to the doc comment of: ${unnamed.join(', ')}`);
      },
    },
  ],
};
