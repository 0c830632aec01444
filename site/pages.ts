/**
 * The docs site's pages: every `*.md` under the source folder, rendered with `marked`, its links
 * rewritten for the site. A link to another page becomes a link to its `.html`; a picture is copied
 * into the site; a link to a file of the repository that is no page (an example, SECURITY.md)
 * goes to the repository on GitHub. HTML comments (the generators' markers) are dropped, and raw
 * HTML loses what the site's policy would refuse (scripts, inline handlers and styles).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, posix, relative, resolve, sep } from 'node:path';
import { Marked, type Tokens } from 'marked';

export interface Page {
  /** Path under the source folder, with `/`: `elements/otp-entry.md`. */
  source: string;
  /** Path under the site: `elements/otp-entry.html`. */
  output: string;
  /** From the page's first `# ` heading, else its file name. */
  title: string;
  markdown: string;
}

export interface RenderedPage extends Page {
  html: string;
  /** Files (absolute) to copy into the site, by their path under it. */
  assets: Map<string, string>;
  /** Links that lead nowhere, for the build to report. */
  broken: string[];
}

export interface RenderContext {
  sourceDir: string;
  repoDir: string;
  /** `https://github.com/owner/name`: where a file of the repository that is no page is linked to. */
  repositoryUrl: string | undefined;
  pages: Map<string, Page>;
  /** Called for `<!-- live-states -->`, or never: the page then gets its states at its end. */
  liveStates?: () => string;
}

/** Pictures (and other files a page shows) copied into the site; anything else is linked on GitHub. */
const COPIED = new Set(['.png', '.jpg', '.jpeg', '.gif', '.svg', '.webp', '.avif']);
export const LIVE_STATES_MARKER = /^<!--\s*live-states\s*-->$/;

const toPosix = (path: string): string => path.split(sep).join('/');

export function findPages(sourceDir: string): Page[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.md')) found.push(toPosix(relative(sourceDir, path)));
    }
  };
  walk(sourceDir);
  return found.sort().map((source) => {
    const markdown = readFileSync(join(sourceDir, source), 'utf8');
    return { source, output: source.replace(/\.md$/, '.html'), title: titleOf(markdown) ?? posix.basename(source, '.md'), markdown };
  });
}

/** The text of the first level-1 heading (not a `# ` line inside a code block). */
function titleOf(markdown: string): string | undefined {
  const heading = new Marked().lexer(markdown).find((token): token is Tokens.Heading => token.type === 'heading' && token.depth === 1);
  return heading ? plainText(heading.text) : undefined;
}

/** Inline Markdown reduced to its words: `code`, [links](x), *emphasis* and tags give their text. */
export function plainText(inline: string): string {
  // A code span is said as written (`<otp-entry>` is no tag); only the text around it is cleaned.
  return inline
    .split(/(`[^`]*`)/)
    .map((part) => (/^`[^`]*`$/.test(part) ? part.slice(1, -1) : plainProse(part)))
    .join('')
    .trim();
}

function plainProse(inline: string): string {
  return inline
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/(\*\*|__|\*|_)(\S[^*_]*?)\1/g, '$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** GitHub's heading anchors, so that `page.md#section` links written for GitHub land here too. */
export function slugOf(text: string): string {
  return plainText(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A link from one site path to another (both under the site, with `/`). */
export function linkBetween(from: string, to: string): string {
  const link = posix.relative(posix.dirname(from), to);
  return link === '' ? posix.basename(to) : link;
}

export function renderPage(page: Page, context: RenderContext): RenderedPage {
  const assets = new Map<string, string>();
  const broken: string[] = [];
  const usedIds = new Map<string, number>();
  let liveStatesPlaced = false;

  /** Where a link or a picture of this page goes in the site. */
  function rewrite(href: string): string {
    if (/^[a-z][a-z\d+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('//') || href.startsWith('/') || href === '') return href;
    const [, path = '', suffix = ''] = /^([^?#]*)(.*)$/.exec(href) ?? [];
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      decoded = path;
    }
    const target = resolve(context.sourceDir, dirname(page.source), decoded);
    const underSource = toPosix(relative(context.sourceDir, target));
    const insideSource = !underSource.startsWith('..') && !underSource.startsWith('/');
    const other = insideSource ? context.pages.get(underSource) : undefined;
    if (other) return linkBetween(page.output, other.output) + suffix;
    const underRepo = toPosix(relative(context.repoDir, target));
    const insideRepo = !underRepo.startsWith('..') && !underRepo.startsWith('/');
    if (COPIED.has(extname(target).toLowerCase()) && existsSync(target) && statSync(target).isFile() && (insideSource || insideRepo)) {
      // A picture outside the pages' folder (the repository's screenshots/) keeps its repository path under `_repo/`.
      const sitePath = insideSource ? underSource : `_repo/${underRepo}`;
      assets.set(sitePath, target);
      return linkBetween(page.output, sitePath) + suffix;
    }
    if (existsSync(target) && context.repositoryUrl && insideRepo) {
      return `${context.repositoryUrl}/${statSync(target).isDirectory() ? 'tree' : 'blob'}/main/${underRepo.split('/').map(encodeURIComponent).join('/')}${suffix}`;
    }
    broken.push(href);
    return href;
  }

  /** Raw HTML in a page: comments dropped, nothing the page's policy refuses, its links rewritten. */
  function cleanHtml(html: string): string {
    return html
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(script|style|iframe|object|embed)\b[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<(script|style|iframe|object|embed)\b[^>]*>/gi, '')
      .replace(/\s(on[a-z]+|style)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
      .replace(/\s(src|href)\s*=\s*"([^"]*)"/gi, (_match, name: string, value: string) => ` ${name}="${escapeHtml(rewrite(value))}"`)
      .replace(/\ssrcset\s*=\s*"([^"]*)"/gi, (_match, value: string) => ` srcset="${value.split(',').map((candidate) => candidate.trim().replace(/^\S+/, (url) => escapeHtml(rewrite(url)))).join(', ')}"`);
  }

  const marked = new Marked({
    gfm: true,
    walkTokens(token) {
      if (token.type === 'link' || token.type === 'image') token.href = rewrite(token.href);
    },
    renderer: {
      heading({ tokens, depth, text }) {
        const base = slugOf(text) || 'section';
        const seen = usedIds.get(base) ?? 0;
        usedIds.set(base, seen + 1);
        const id = seen === 0 ? base : `${base}-${seen}`;
        return `<h${depth} id="${escapeHtml(id)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      html({ text }) {
        if (context.liveStates && LIVE_STATES_MARKER.test(text.trim())) {
          liveStatesPlaced = true;
          return context.liveStates();
        }
        return cleanHtml(text);
      },
      // A long line scrolls: the block takes the focus so a keyboard can scroll it too.
      code({ text, lang }) {
        const language = lang ? ` class="language-${escapeHtml(lang.split(/\s/)[0]!)}"` : '';
        return `<pre tabindex="0"><code${language}>${escapeHtml(text)}</code></pre>\n`;
      },
      table(token) {
        // A table whose header row is empty (a layout of pictures) has no header: empty headers say nothing to a screen reader.
        const hasHeader = token.header.some((cell) => cell.text.trim() !== '');
        const head = hasHeader ? `<thead><tr>${token.header.map((cell) => this.tablecell(cell)).join('')}</tr></thead>` : '';
        const body = token.rows.map((row) => `<tr>${row.map((cell) => this.tablecell(cell)).join('')}</tr>`).join('\n');
        return `<div class="table-scroll" tabindex="0"><table>${head}${body ? `<tbody>${body}</tbody>` : ''}</table></div>\n`;
      },
    },
  });

  let html = marked.parse(page.markdown, { async: false });
  if (context.liveStates && !liveStatesPlaced) html += context.liveStates();
  return { ...page, html, assets, broken };
}
