/**
 * `npm run docs`: the pages under `docs/` as a static site in `dist/docs-site/`, which any static
 * host serves as it is. Each page is rendered with `marked` (site/pages.ts) into one frame
 * (site/template.ts); the site's own script and styles (site/client/) are built by Vite; the
 * elements come from the CDN files (dist/cdn, `npm run build`, built here when missing), pinned
 * with Subresource Integrity as a shop pins them. Each element page (`elements/<tag>.md`) draws
 * every state of its element live, from the gallery's fixtures (demo/public/gallery-states.js).
 *
 *   npm run docs [-- --source docs --out dist/docs-site]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';
// The same states the demo's gallery shows: the builder only reads which elements have them.
import { stateSections } from '../demo/public/gallery-states.js';
import { findPages, plainText, renderPage, type Page } from './pages.js';
import { liveStatesLink, liveStatesSection, navGroups, pageHtml, type Bundle } from './template.js';

const repoDir = resolve(import.meta.dirname, '..');
const SITE_TITLE = 'k360-verify';
const CDN_DIR = join(repoDir, 'dist/cdn');
const CDN_ENTRY = 'k360-verify.js';

export interface SiteOptions {
  sourceDir: string;
  outDir: string;
  /** Quiet: no line per page. */
  quiet?: boolean;
}

export interface BuiltSite {
  /** Each page, and for an element page the element whose states it draws, and how many. */
  pages: { path: string; title: string; states?: { tag: string; count: number } }[];
  broken: { page: string; href: string }[];
}

export async function buildSite({ sourceDir, outDir, quiet = false }: SiteOptions): Promise<BuiltSite> {
  const pages = findPages(sourceDir);
  if (pages.length === 0) throw new Error(`No Markdown page under ${sourceDir}.`);
  // The folder is emptied first: never one that holds the repository or the pages.
  const holds = (outer: string, inner: string): boolean => !relative(outer, inner).startsWith('..');
  if (holds(outDir, repoDir) || holds(outDir, sourceDir)) throw new Error(`${outDir} holds the repository or the pages: choose another --out.`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'assets'), { recursive: true });

  await buildClient(outDir);
  const bundle = copyBundle(outDir);

  const byPath = new Map<string, Page>(pages.map((page) => [page.source, page]));
  const context = { sourceDir, repoDir, repositoryUrl: repositoryUrl(), pages: byPath };
  const statesByTag = new Map<string, number>(stateSections.map((section) => [section.tag, section.states.length]));

  const rendered = pages.map((page) => {
    const tag = elementTagOf(page);
    const count = tag === undefined ? undefined : statesByTag.get(tag);
    const states = tag !== undefined && count !== undefined ? { tag, count } : undefined;
    return { states, ...renderPage(page, { ...context, ...(states ? { liveStates: () => liveStatesSection(states.tag, states.count) } : {}) }) };
  });

  const home = rendered.find((page) => page.source === 'index.md');
  const groups = navGroups(pages, home ? homeContents(home.html) : []);

  const broken: BuiltSite['broken'] = [];
  for (const page of rendered) {
    const file = join(outDir, page.output);
    mkdirSync(dirname(file), { recursive: true });
    const body = page.states ? page.html.replace(/<\/h1>\n?/, (end) => end + liveStatesLink(page.states!.tag)) : page.html;
    writeFileSync(file, pageHtml({ page, body, groups, bundle: page.states ? bundle : undefined, siteTitle: SITE_TITLE }));
    for (const [sitePath, source] of page.assets) {
      mkdirSync(dirname(join(outDir, sitePath)), { recursive: true });
      cpSync(source, join(outDir, sitePath));
    }
    broken.push(...page.broken.map((href) => ({ page: page.source, href })));
    if (!quiet) console.log(`${page.output}${page.states ? ` (the ${page.states.count} states of <${page.states.tag}>, live)` : ''}`);
  }
  // Without an index.md the site still opens at its address.
  if (!home) writeFileSync(join(outDir, 'index.html'), pageHtml({ page: { source: 'index.md', output: 'index.html', title: SITE_TITLE, markdown: '' }, body: `<h1>${SITE_TITLE}</h1>`, groups, bundle: undefined, siteTitle: SITE_TITLE }));
  for (const { page, href } of broken) console.warn(`warning: ${page} links to ${href}, which is neither a page nor a file of the repository.`);

  const summary: BuiltSite = { pages: rendered.map((page) => ({ path: page.output, title: page.title, ...(page.states ? { states: page.states } : {}) })), broken };
  writeFileSync(join(outDir, 'site.json'), JSON.stringify(summary, null, 2));
  return summary;
}

/** The pages the home page links, in its order, each with the heading of the home page's section it is linked under. */
function homeContents(html: string): { path: string; heading: string | undefined }[] {
  const contents: { path: string; heading: string | undefined }[] = [];
  let heading: string | undefined;
  for (const match of html.matchAll(/<h2[^>]*>([\s\S]*?)<\/h2>|<a href="([^"#?]+\.html)/g)) {
    if (match[1] !== undefined) heading = plainText(match[1]);
    else if (!contents.some((entry) => entry.path === match[2])) contents.push({ path: match[2]!, heading });
  }
  return contents;
}

/** `elements/otp-entry.md` is the page of `<otp-entry>`. */
function elementTagOf(page: Page): string | undefined {
  return /^elements\/([a-z]+-[a-z-]+)\.md$/.exec(page.source)?.[1];
}

/** The site's script and styles, one file each under `assets/`, and the tiny script that sets the theme before the page is drawn. */
async function buildClient(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: repoDir,
    publicDir: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      // The one script has no chunks to preload; the polyfill would be code for nothing.
      modulePreload: false,
      sourcemap: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: { site: join(repoDir, 'site/client/site.js') },
        output: { entryFileNames: 'assets/[name].js', assetFileNames: 'assets/[name][extname]' },
      },
    },
  });
  cpSync(join(repoDir, 'site/client/theme.js'), join(outDir, 'assets/theme.js'));
}

/** The CDN files (not their maps), as a shop self-hosts them, under `k360/`. */
function copyBundle(outDir: string): Bundle {
  const integrityFile = join(CDN_DIR, 'k360-verify.integrity.json');
  if (!existsSync(integrityFile) || !existsSync(join(CDN_DIR, `${CDN_ENTRY}.sri`))) {
    console.log('dist/cdn is missing: building it (vite build).');
    execFileSync(process.execPath, [join(repoDir, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: repoDir, stdio: 'inherit' });
  }
  const files = JSON.parse(readFileSync(integrityFile, 'utf8')) as Record<string, string>;
  mkdirSync(join(outDir, 'k360'), { recursive: true });
  const pinned: Record<string, string> = {};
  for (const [name, hash] of Object.entries(files)) {
    // Kount's device data collector is not for a docs page.
    if (name.includes('device-data')) continue;
    cpSync(join(CDN_DIR, name), join(outDir, 'k360', name));
    pinned[`k360/${name}`] = hash;
  }
  cpSync(join(CDN_DIR, CDN_ENTRY), join(outDir, 'k360', CDN_ENTRY));
  return { entry: `k360/${CDN_ENTRY}`, integrity: readFileSync(join(CDN_DIR, `${CDN_ENTRY}.sri`), 'utf8').trim(), files: pinned };
}

function repositoryUrl(): string | undefined {
  const { repository } = JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8')) as { repository?: { url?: string } | string };
  const url = typeof repository === 'string' ? repository : repository?.url;
  return url?.replace(/^git\+/, '').replace(/\.git$/, '');
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({ options: { source: { type: 'string', default: 'docs' }, out: { type: 'string', default: 'dist/docs-site' }, quiet: { type: 'boolean', default: false } } });
  const site = await buildSite({ sourceDir: resolve(values.source), outDir: resolve(values.out), quiet: values.quiet });
  console.log(`${site.pages.length} pages in ${values.out} (${site.pages.filter((page) => page.states).length} with live states).`);
}
