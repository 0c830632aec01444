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
      name: 'k360-event-types',
      // `@event {VerifyCompleteEvent} verify-complete` names the class; tools that generate code want
      // the event type itself, and where it comes from.
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            for (const event of declaration.events ?? []) {
              if (/^Verify\w+Event$/.test(event.type?.text ?? '')) {
                event.type.references = [{ name: event.type.text, module: 'src/elements/shared/events.ts', start: 0, end: event.type.text.length }];
              }
            }
          }
        }
      },
    },
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
    {
      name: 'k360-package-paths',
      // Written last: paths name the files the package ships (dist/npm/**.js), not the sources, and
      // each tag gets its registering module (define.js), which is what a consumer imports.
      packageLinkPhase({ customElementsManifest }) {
        const shipped = (path) => path.replace(/^src\//, 'dist/npm/').replace(/\.ts$/, '.js');
        const definitions = [];
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.customElement && declaration.tagName) {
              definitions.push({
                kind: 'javascript-module',
                path: shipped(module.path.replace(/[^/]+$/, 'define.ts')),
                declarations: [],
                exports: [{ kind: 'custom-element-definition', name: declaration.tagName, declaration: { name: declaration.name, module: shipped(module.path) } }],
              });
            }
          }
        }
        customElementsManifest.modules.push(...definitions);
        const visit = (value) => {
          if (Array.isArray(value)) return value.forEach(visit);
          if (value === null || typeof value !== 'object') return;
          for (const [key, inner] of Object.entries(value)) {
            if ((key === 'path' || key === 'module') && typeof inner === 'string' && inner.startsWith('src/')) value[key] = shipped(inner);
            else visit(inner);
          }
        };
        visit(customElementsManifest.modules);
      },
    },
  ],
};
