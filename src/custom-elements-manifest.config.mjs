// `npm run analyze`: writes dist/custom-elements.json from the elements' doc comments
// (@summary, @tagname, @event, @csspart, @cssproperty), the single API contract of each element.
export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*.styles.ts', 'src/elements/**/define.ts', 'src/elements/**/index.ts'],
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
  ],
};
