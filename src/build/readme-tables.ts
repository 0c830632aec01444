/**
 * Writes the docs' reference tables from their sources, so they cannot drift from them. Each table
 * sits between its markers in whichever file of README.md and the pages under docs/ holds them (the relay's
 * in docs/relay/, each element's in docs/elements/<tag>.md, the sizes in docs/page/cdn.md):
 * - the relay's configuration (variables, meanings, defaults) from `src/relay/config.ts`;
 * - each element's attributes, properties, events, parts and custom properties from
 *   `dist/custom-elements.json`, which the analyzer builds from the elements' doc comments.
 * - the bundle sizes from the files in `dist/cdn`, gzipped as the build's budget check does.
 * Run by `npm run build` after the analyzer; `test/docs/readme-tables.test.ts` checks the result.
 */
import { readdir, readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { ADMIN_BASE_PATH } from '../relay/admin/openapi.js';
import { ADMIN_OPERATIONS } from '../relay/admin/operations.js';
import { ENVIRONMENT, relayConfigDefaults } from '../relay/config.js';
import { SERVICE_ENVIRONMENT, ServiceConfig } from '../relay/service/service-config.js';
import { kb } from './vite-plugins/size-budget.js';
// @ts-expect-error: a build helper in plain JavaScript, without declarations
import { readDocs, withBlockInDocs, writeChangedDocs } from './readme-blocks.mjs';

const root = new URL('../../', import.meta.url);

export const RELAY_CONFIG_START = '<!-- relay-config: written by src/build/readme-tables.ts from src/relay/config.ts -->';
export const RELAY_CONFIG_END = '<!-- /relay-config -->';
export const SERVICE_CONFIG_START = '<!-- relay-service-config: written by src/build/readme-tables.ts from src/relay/service/service-config.ts -->';
export const SERVICE_CONFIG_END = '<!-- /relay-service-config -->';
export const ADMIN_API_START = '<!-- admin-api: written by src/build/readme-tables.ts from src/relay/admin/operations.ts -->';
export const ADMIN_API_END = '<!-- /admin-api -->';
export const elementStart = (tag: string): string => `<!-- element-api ${tag}: written by src/build/readme-tables.ts from custom-elements.json -->`;
export const ELEMENT_END = '<!-- /element-api -->';
export const SIZES_START = '<!-- bundle-sizes: written by src/build/readme-tables.ts from dist/cdn -->';
export const SIZES_END = '<!-- /bundle-sizes -->';

/** The elements the docs document, each on its own page (docs/elements/<tag>.md). */
export const DOCUMENTED_ELEMENTS = ['verification-flow', 'otp-entry', 'kba-quiz', 'oth-waiting', 'docv-status'] as const;

function shownDefault(value: unknown): string {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return 'none';
  return `\`${String(value)}\``;
}

function variableTable(entries: Readonly<Record<string, { variable: string; meaning: string; unset?: string }>>, defaults: Record<string, unknown>): string {
  const rows = Object.entries(entries).map(([field, entry]) => {
    const unset = entry.unset ?? shownDefault(defaults[field]);
    return `| \`${entry.variable}\` | ${entry.meaning} | ${unset} |`;
  });
  return ['| variable | meaning | default |', '|---|---|---|', ...rows].join('\n');
}

export function relayConfigTable(): string {
  return variableTable(ENVIRONMENT, relayConfigDefaults());
}

/** The standalone relay's own variables, with the defaults its schema fills in. */
export function serviceConfigTable(): string {
  const parsed = ServiceConfig.parse({ adminApiKeys: 'x'.repeat(32) });
  const { adminApiKeys: _keys, ...defaults } = parsed;
  return variableTable(SERVICE_ENVIRONMENT, defaults);
}

/** The admin API's operations: route, the Node twin of the same name, and what it does. */
export function adminApiTable(): string {
  const rows = ADMIN_OPERATIONS.map((operation) => `| \`${operation.method.toUpperCase()} ${ADMIN_BASE_PATH}${operation.path}\` | \`${operation.nodeTwin ?? `relay.${operation.operationId}`}\` | ${operation.summary} |`);
  return ['| route | Node twin | does |', '|---|---|---|', ...rows].join('\n');
}

const LEAVES = ['otp-entry', 'kba-quiz', 'oth-waiting', 'docv-status'] as const;

/** One sentence of the files' gzip sizes: what every page pays, each step, what the steps share. */
export async function bundleSizes(): Promise<string> {
  const dir = new URL('dist/cdn/', root);
  const gzipKb = async (name: string) => kb(gzipSync(await readFile(new URL(name, dir)), { level: 9 }).length);
  const files = (await readdir(dir)).filter((name) => name.endsWith('.js'));
  const own = new Set(['k360-verify.js', 'k360-verify.iife.js', 'k360-verify.device-data.js', ...LEAVES.map((tag) => `k360-verify.${tag}.js`)]);
  const shared = files.filter((name) => !own.has(name) && !name.startsWith('k360-verify.locale-')).sort();
  const locales = files.filter((name) => name.startsWith('k360-verify.locale-')).sort();
  const leaves = await Promise.all(LEAVES.map(async (tag) => `\`<${tag}>\` ${await gzipKb(`k360-verify.${tag}.js`)}`));
  const sharedSizes = await Promise.all(shared.map(async (name) => `\`${name}\` ${await gzipKb(name)}`));
  const localeSizes = await Promise.all(locales.map(async (name) => `\`${name.slice('k360-verify.locale-'.length, -3)}\` ${await gzipKb(name)}`));
  return (
    `Sizes (gzip, this build's): the entry ${await gzipKb('k360-verify.js')}, which every page pays; ${leaves.join(', ')}; ` +
    `chunks the steps share: ${sharedSizes.join(', ')}; catalogues: ${localeSizes.join(', ')}; ` +
    `the classic script, with everything inlined, ${await gzipKb('k360-verify.iife.js')}.`
  );
}

interface ManifestMember {
  kind: string;
  name: string;
  static?: boolean;
  privacy?: string;
  readonly?: boolean;
  attribute?: string;
}
interface ManifestDeclaration {
  tagName?: string;
  customElement?: boolean;
  attributes?: { name: string }[];
  members?: ManifestMember[];
  events?: { name: string }[];
  cssParts?: { name: string }[];
  cssProperties?: { name: string }[];
}
interface Manifest {
  modules: { declarations?: ManifestDeclaration[] }[];
}

const code = (names: string[]): string => (names.length > 0 ? names.map((name) => `\`${name}\``).join(', ') : 'none');

/** One element's API table, from its manifest entry. */
export function elementTable(declaration: ManifestDeclaration): string {
  const attributes = (declaration.attributes ?? []).map((attribute) => attribute.name);
  // Properties without an attribute of their own; the custom-element callbacks are the browser's to call.
  const properties = (declaration.members ?? [])
    .filter((member) => !member.static && (member.privacy ?? 'public') === 'public' && !member.attribute && !member.name.endsWith('Callback'))
    .map((member) => (member.kind === 'method' ? `\`${member.name}()\`` : `\`${member.name}\`${member.readonly ? ' (read-only)' : ''}`));
  return [
    '| | |',
    '|---|---|',
    `| Attributes | ${code(attributes)} |`,
    `| Properties | ${properties.join(', ') || 'none'} |`,
    `| Events | ${code((declaration.events ?? []).map((event) => event.name))} |`,
    `| Parts | ${code((declaration.cssParts ?? []).map((part) => part.name))} |`,
    `| Custom properties | ${code((declaration.cssProperties ?? []).map((property) => property.name))} |`,
  ].join('\n');
}

export async function readManifest(): Promise<Manifest> {
  return JSON.parse(await readFile(new URL('dist/custom-elements.json', root), 'utf8')) as Manifest;
}

export function declarationOf(manifest: Manifest, tag: string): ManifestDeclaration {
  const found = manifest.modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.customElement && declaration.tagName === tag);
  if (!found) throw new Error(`custom-elements.json has no <${tag}>`);
  return found;
}

/** Documentation files by path (README.md, docs/…), as `readDocs` gives them. */
export type Docs = Record<string, string>;

/** The docs with every generated table written afresh, each in the file that holds its markers. */
export async function docsWithTables(docs: Docs): Promise<Docs> {
  const manifest = await readManifest();
  let updated = withBlockInDocs(docs, RELAY_CONFIG_START, RELAY_CONFIG_END, relayConfigTable()) as Docs;
  updated = withBlockInDocs(updated, SERVICE_CONFIG_START, SERVICE_CONFIG_END, serviceConfigTable()) as Docs;
  updated = withBlockInDocs(updated, ADMIN_API_START, ADMIN_API_END, adminApiTable()) as Docs;
  updated = withBlockInDocs(updated, SIZES_START, SIZES_END, await bundleSizes()) as Docs;
  for (const tag of DOCUMENTED_ELEMENTS) {
    updated = withBlockInDocs(updated, elementStart(tag), ELEMENT_END, elementTable(declarationOf(manifest, tag))) as Docs;
  }
  return updated;
}

/** README.md and every page under docs/, read from the repository. */
export async function readAllDocs(): Promise<Docs> {
  return (await readDocs(root)) as Docs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const docs = await readAllDocs();
  await writeChangedDocs(root, docs, await docsWithTables(docs));
}
