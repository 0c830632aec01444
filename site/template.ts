/**
 * The frame of every page of the docs site: the nav built from the tree of pages, the Theme and
 * Language menus, the page's policy. The policy is a `<meta>` one, so the site keeps it on any
 * static host: no inline script but the import map, allowed by its hash, no inline style, and
 * Trusted Types enforced (Lit's templates use the `lit-html` policy), as the demo's pages
 * (demo/csp.ts). `frame-ancestors` cannot be set by a `<meta>`; a host that can send headers
 * should send it (and the same policy) as a header.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { LANGUAGES } from '../demo/public/languages.js';
import { escapeHtml, linkBetween, type Page } from './pages.js';

export interface Bundle {
  /** The CDN entry's path under the site, its integrity, and every file it loads on demand with its integrity. */
  entry: string;
  integrity: string;
  files: Record<string, string>;
}

export interface NavGroup {
  title: string | undefined;
  pages: Page[];
}

/** The locales the elements ship a catalogue for, each named in itself: the demo's Language menu's list. */
export const LOCALES = LANGUAGES;

export function pagePolicy(inlineScriptHashes: readonly string[]): string {
  return [
    "default-src 'self'",
    ["script-src 'self'", ...inlineScriptHashes.map((hash) => `'${hash}'`)].join(' '),
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
  ].join('; ');
}

/**
 * The pages in groups: the pages at the top first, then one group per folder. Within each, and
 * between groups, the order is the order the home page links them in (the home page is the
 * contents); pages it does not link come after, by title. A folder's group is named after the
 * home page's section that links its first page, else after its own `index.md`, else its name.
 */
export function navGroups(pages: readonly Page[], homeContents: readonly { path: string; heading: string | undefined }[]): NavGroup[] {
  const homeLinks = homeContents.map((entry) => entry.path);
  const rank = (page: Page): number => {
    if (page.source === 'index.md') return -1;
    const index = homeLinks.indexOf(page.output);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  const byRank = (a: Page, b: Page): number => rank(a) - rank(b) || a.title.localeCompare(b.title);
  const folders = new Map<string, Page[]>();
  for (const page of pages) {
    const folder = posix.dirname(page.source);
    folders.set(folder, [...(folders.get(folder) ?? []), page]);
  }
  const groups = [...folders.entries()].map(([folder, members]) => {
    const sorted = members.sort(byRank);
    return { folder, rank: folder === '.' ? -2 : Math.min(...sorted.map(rank)), pages: sorted };
  });
  return groups
    .sort((a, b) => a.rank - b.rank || a.folder.localeCompare(b.folder))
    .map(({ folder, pages: members }) => ({
      title: folder === '.' ? undefined : (homeContents.find((entry) => entry.path === members[0]!.output)?.heading ?? folderTitle(folder, members)),
      pages: members,
    }));
}

/** A folder's title: its own `index.md`'s, else its name (`relay` is "Relay", `page` is "Page"). */
function folderTitle(folder: string, pages: readonly Page[]): string {
  const index = pages.find((page) => posix.basename(page.source) === 'index.md' || posix.basename(page.source) === 'README.md');
  if (index) return index.title;
  const name = posix.basename(folder).replace(/[-_]+/g, ' ');
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function navHtml(current: Page, groups: readonly NavGroup[]): string {
  const item = (page: Page): string => {
    const currentMark = page.source === current.source ? ' aria-current="page"' : '';
    return `<li><a href="${escapeHtml(linkBetween(current.output, page.output))}"${currentMark}>${escapeHtml(page.title)}</a></li>`;
  };
  return groups
    .map((group, index) =>
      group.title === undefined
        ? `<ul class="nav-pages">${group.pages.map(item).join('')}</ul>`
        : `<p class="nav-group" id="nav-group-${index}">${escapeHtml(group.title)}</p><ul class="nav-pages" aria-labelledby="nav-group-${index}">${group.pages.map(item).join('')}</ul>`,
    )
    .join('\n');
}

/** Under an element page's title: where its live states are. */
export function liveStatesLink(tag: string): string {
  return `<p class="live-link"><a href="#live-states">Every state of <code>&lt;${escapeHtml(tag)}&gt;</code>, live in this page</a></p>\n`;
}

/** The section of an element page where its states are drawn, live (site/client/site.js fills it). */
export function liveStatesSection(tag: string, stateCount: number): string {
  return `<section class="live-states" id="live-states" aria-labelledby="live-states-title" data-states="${escapeHtml(tag)}" aria-busy="true" lang="en" dir="ltr">
<h2 id="live-states-title" lang="en" dir="ltr">Every state of <code>&lt;${escapeHtml(tag)}&gt;</code>, live</h2>
<p lang="en" dir="ltr">These ${stateCount} examples are the real element, from the CDN files, talking to a stand-in for the relay in this page: it answers with the views and the failures the relay would send, so nothing leaves your browser. Type, press and wait as a shopper would; countdowns keep running. The Language menu at the top sets this section’s <code>lang</code> (Arabic and Hebrew turn it right to left), the Theme menu the colours.</p>
<p lang="en" dir="ltr"><button type="button" class="redraw">Show every state again</button></p>
</section>
`;
}

export interface PageFrame {
  page: Page;
  body: string;
  groups: readonly NavGroup[];
  bundle: Bundle | undefined;
  siteTitle: string;
}

export function pageHtml({ page, body, groups, bundle, siteTitle }: PageFrame): string {
  const root = (path: string): string => escapeHtml(linkBetween(page.output, path));
  // Import-map keys resolve against the page's address: each page maps the files by its own relative paths.
  const importMap = bundle
    ? JSON.stringify({ imports: {}, integrity: Object.fromEntries(Object.entries(bundle.files).map(([path, hash]) => [relativeSpecifier(page.output, path), hash])) })
    : undefined;
  const hashes = importMap ? [`sha256-${createHash('sha256').update(importMap).digest('base64')}`] : [];
  const title = page.source === 'index.md' ? siteTitle : `${page.title} · ${siteTitle}`;
  const home = linkBetween(page.output, 'index.html');
  const languageOptions = LOCALES.map(([code, name]) => `<option value="${code}" lang="${code}">${escapeHtml(name)}</option>`).join('');
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(pagePolicy(hashes))}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${root('assets/site.css')}">
<script src="${root('assets/theme.js')}"></script>
${
  bundle && importMap
    ? `<script type="importmap">${importMap}</script>
<script type="module" src="${root(bundle.entry)}" integrity="${escapeHtml(bundle.integrity)}" crossorigin="anonymous"></script>
`
    : ''
}<script type="module" src="${root('assets/site.js')}"></script>
</head>
<body>
<a class="skip-link" href="#content">Skip to the content</a>
<header class="site-header">
<a class="brand" href="${escapeHtml(home)}">${escapeHtml(siteTitle)}</a>
<a class="to-pages" href="#pages">All pages</a>
<div class="preferences">
<label for="site-theme">Theme</label>
<select id="site-theme"><option value="system">System</option><option value="light">Light</option><option value="dark">Dark</option></select>
<label for="site-language">Language</label>
<select id="site-language">${languageOptions}</select>
</div>
</header>
<div class="layout">
<nav class="site-nav" id="pages" aria-label="Pages">
${navHtml(page, groups)}
</nav>
<main id="content" tabindex="-1">
<article class="doc">
${body}
</article>
</main>
</div>
</body>
</html>
`;
}

/** `k360/x.js` as seen from `elements/otp-entry.html`: `../k360/x.js`; from the top, `./k360/x.js` (an import map needs the dot). */
function relativeSpecifier(from: string, to: string): string {
  const link = posix.relative(posix.dirname(from), to);
  return link.startsWith('../') ? link : `./${link}`;
}
