// `npm run build`, after the manifest: typed elements for React 19, Preact, Solid, Vue 3 and
// Svelte 5, generated from dist/custom-elements.json into dist/types/<framework>.d.ts (each with
// an empty .js beside it, so the subpath also resolves at run time). A consumer opts in with
// `import type {} from 'k360-verify/types/<framework>'`.
//
// JSX props come from @wc-toolkit/jsx-types. Vue and Svelte are written here: the community
// generators for them (custom-element-vuejs-integration 1.4, custom-element-svelte-integration
// 1.2) imported the event classes from the element modules, which do not export them, typed each
// handler as CustomEvent<VerifyCompleteEvent> (the event as its own detail), and used Svelte 4's
// `on:` syntax. Both read the same manifest fields as below.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { generateJsxTypes } from '@wc-toolkit/jsx-types';

const outdir = 'dist/types';
const manifest = JSON.parse(await readFile('dist/custom-elements.json', 'utf8'));
const elements = manifest.modules.flatMap((module) => (module.declarations ?? []).filter((declaration) => declaration.customElement && declaration.tagName));
const classPath = (tag) => `../npm/elements/${tag}/${tag}.js`;
const EVENT_CLASSES = ['VerifyAnalyticsEvent', 'VerifyCompleteEvent', 'VerifyErrorEvent', 'VerifyRestartEvent', 'VerifyStepEvent'];
const EVENT_IMPORT = `import type { ${EVENT_CLASSES.join(', ')} } from '../npm/elements/shared/events.js';\n`;

/** Public, settable, documented properties: what a template may bind. */
const properties = (element) =>
  (element.members ?? []).filter((member) => member.kind === 'field' && !member.privacy && !member.static && !member.readonly && !member.inheritedFrom && member.description);
const camel = (name) => name.replace(/-(\w)/g, (_, letter) => letter.toUpperCase());
const pascal = (name) => camel(name).replace(/^\w/, (letter) => letter.toUpperCase());
const eventType = (event) => event.type?.text ?? 'Event';
const oneLine = (text) => (text ?? "").replace(/\s+/g, " ").trim();
const doc = (text) => (text ? `  /** ${text.replace(/\*\//g, '* /')} */\n` : '');

// Written afresh each build: a framework dropped from this list leaves no stale file behind.
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

// JSX (React 19, Preact, Solid): the generator imports the element classes, not the event classes it names.
generateJsxTypes(manifest, { outdir, fileName: 'jsx-elements.d.ts', stronglyTypedEvents: true, componentTypePath: (_name, tag) => classPath(tag), hideLogs: true });
const jsxPath = `${outdir}/jsx-elements.d.ts`;
await writeFile(jsxPath, EVENT_IMPORT + (await readFile(jsxPath, 'utf8')));

const classImports = elements.map((element) => `import type { ${element.name} } from '${classPath(element.tagName)}';`).join('\n');
const propsOf = (element, eventProp) => {
  const fields = properties(element)
    .map((member) => `${doc(member.description)}  ${member.name}?: ${element.name}['${member.name}'];`)
    .join('\n');
  const events = (element.events ?? [])
    .filter((event) => event.name)
    .map((event) => `${doc(event.description)}  ${eventProp(event.name)}?: (event: ${eventType(event)} & { target: ${element.name} }) => void;`)
    .join('\n');
  return `{\n${fields}\n${events}\n}`;
};

const vue = `${EVENT_IMPORT}import type { DefineComponent } from 'vue';
${classImports}

declare module 'vue' {
  interface GlobalComponents {
${elements.map((element) => `    /** ${oneLine(element.summary)} */\n    '${element.tagName}': DefineComponent<${propsOf(element, (name) => `on${pascal(name)}`).replace(/\n/g, '\n    ')}>;`).join('\n')}
  }
}

export {};
`;

const svelte = `${EVENT_IMPORT}import type { HTMLAttributes } from 'svelte/elements';
${classImports}

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
${elements.map((element) => `    /** ${oneLine(element.summary)} */\n    '${element.tagName}': HTMLAttributes<${element.name}> & ${propsOf(element, (name) => `'on${name}'`).replace(/\n/g, '\n    ')};`).join('\n')}
  }
}

export {};
`;

/** JSX frameworks take the same element props, each under its own JSX namespace. */
const jsx = (module) => `import type { CustomElements } from './jsx-elements.js';

declare module '${module}' {
  namespace JSX {
    interface IntrinsicElements extends CustomElements {}
  }
}

export type { CustomElements };
`;

const entries = { react: jsx('react'), preact: jsx('preact'), solid: jsx('solid-js/jsx-runtime'), vue, svelte };
for (const [name, declarations] of Object.entries(entries)) {
  await writeFile(`${outdir}/${name}.d.ts`, declarations);
  await writeFile(`${outdir}/${name}.js`, 'export {};\n');
}
