/**
 * The docs site (`npm run docs`, site/): built from docs/ into a folder of its own and served as
 * plain static files, as any host would. Every page opens with no console error, no breach of its
 * policy, no failed request, its pictures drawn and its links landing; every element page draws
 * every state of its element live; axe finds nothing on any page. The Theme and Language menus
 * theme the page and set the examples' language and direction.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { findPages } from '../../site/pages.js';
import { serveSite, type ServedSite } from '../../site/serve.js';
import type { BuiltSite } from '../../site/build.js';
import { watchPage } from './support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
// The pages as the build finds them, so that each page is a test of its own, named after it.
const pages = existsSync(join(root, 'docs')) ? findPages(join(root, 'docs')).map((page) => page.output) : [];
const ELEMENT_TAGS = ['verification-flow', 'otp-entry', 'kba-quiz', 'oth-waiting', 'docv-status'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

async function axeProblems(page: Page, include: string): Promise<string[]> {
  const violations = await page.evaluate(async (include) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run({ include: [include] }, { resultTypes: ['violations'] })).violations;
  }, include);
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => `axe: ${violation.id} (${violation.impact}) ${violation.help} at ${JSON.stringify(node.target)}: ${(node.failureSummary ?? '').replace(/\s+/g, ' ')}`),
  );
}

/** Console errors, policy breaches (support.ts), and here also any request that failed: on a static site every one is a missing file. */
async function watchSite(page: Page): Promise<{ problems: string[] }> {
  const watcher = await watchPage(page);
  page.on('response', (response) => {
    if (response.status() >= 400) watcher.problems.push(`${response.status()} for ${response.url()}`);
  });
  page.on('requestfailed', (request) => watcher.problems.push(`${request.failure()?.errorText ?? 'failed'} for ${request.url()}`));
  await page.addInitScript({ path: axePath });
  return watcher;
}

test.describe('the docs site', () => {
  // A static site of fixtures: it asks no relay, so the cluster run has nothing to add.
  test.skip(process.env.E2E_CLUSTER === '1', 'the docs site uses no relay: the same on one instance or two');

  let outDir: string;
  let site: ServedSite;
  let built: BuiltSite;
  const pageCache = new Map<string, Promise<string>>();
  /** A page of the site as served (each fetched once), to check the anchors links point at. */
  const served = (path: string): Promise<string> => {
    if (!pageCache.has(path)) pageCache.set(path, fetch(`${site.url}/${path}`).then((response) => (response.ok ? response.text() : '')));
    return pageCache.get(path)!;
  };

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    outDir = mkdtempSync(join(tmpdir(), 'k360-docs-site-'));
    execFileSync(process.execPath, ['--import', 'tsx', 'site/build.ts', '--out', outDir, '--quiet'], { cwd: root, stdio: 'pipe', env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.node.json' } });
    built = JSON.parse(readFileSync(join(outDir, 'site.json'), 'utf8')) as BuiltSite;
    site = await serveSite(outDir);
  });

  // One tab opens every page in turn, as a reader would: a fresh one per page cost a quarter of the time.
  let tab: Page;
  let tabWatcher: { problems: string[] };
  test.beforeAll(async ({ browser }) => {
    tab = await browser.newPage({ reducedMotion: 'reduce' });
    tabWatcher = await watchSite(tab);
  });

  test.afterAll(async () => {
    await tab?.close();
    await site?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  test('every page of docs/ is built, each element page draws its element’s states, and no link is broken', () => {
    expect(built.pages.map((page) => page.path).sort()).toEqual([...pages].sort());
    expect(built.broken, 'links that lead nowhere').toEqual([]);
    const elementPages = built.pages.filter((page) => page.states).map((page) => [page.path, page.states!.tag]);
    expect(elementPages.sort()).toEqual(ELEMENT_TAGS.map((tag) => [`elements/${tag}.html`, tag]).sort());
    for (const page of built.pages) if (page.states) expect(page.states.count, page.path).toBeGreaterThan(0);
  });

  for (const path of pages) {
    test(`${path}: opens, links and pictures work, every example is drawn, axe finds nothing`, async () => {
      test.setTimeout(60_000);
      const page = tab;
      const watcher = tabWatcher;
      watcher.problems.length = 0;
      await page.goto(`${site.url}/${path}`);
      await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
      const failures: string[] = [];

      // The frame: the title from the page's `# ` line, the nav marking this page, a strict policy.
      const entry = built.pages.find((candidate) => candidate.path === path)!;
      await expect(page.locator('article h1').first()).toHaveText(entry.title);
      await expect(page.locator('.site-nav a[aria-current="page"]')).toHaveText(entry.title);
      const policy = (await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("require-trusted-types-for 'script'");
      expect(policy).not.toMatch(/unsafe-(inline|eval)/);

      // Pictures drawn; links to pages of the site land on a page, and on the heading they name.
      for (const image of await page.locator('article img').evaluateAll((images) => images.map((image) => ({ src: image.getAttribute('src'), drawn: (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth > 0 })))) {
        if (!image.drawn) failures.push(`picture not drawn: ${image.src}`);
      }
      const links = await page.locator('a[href]').evaluateAll((anchors) => anchors.map((anchor) => (anchor as HTMLAnchorElement).href));
      for (const link of new Set(links)) {
        const url = new URL(link);
        if (url.origin !== new URL(site.url).origin) continue;
        const html = await served(url.pathname.slice(1));
        if (!html) failures.push(`link to a missing page: ${url.pathname}`);
        else if (url.hash && !html.includes(`id="${decodeURIComponent(url.hash.slice(1))}"`)) failures.push(`link to a missing heading: ${url.pathname}${url.hash}`);
      }

      // On an element page, every state of its element, drawn live.
      if (entry.states) {
        const states = await page.locator('.live-states .state').evaluateAll((items) => items.map((item) => ({ id: item.id, expect: (item as HTMLElement).dataset.expect ?? '', ready: (item as HTMLElement).dataset.ready === 'true' })));
        expect(states.length, 'states drawn').toBe(entry.states.count);
        for (const state of states) {
          const element = page.locator(`#${state.id} .specimen > *`);
          if (!state.ready) failures.push(`${state.id}: not ready`);
          const drawn = await element.evaluate((host) => ({ tag: host.localName, text: host.shadowRoot?.textContent?.trim() ?? '' }));
          if (drawn.tag !== entry.states.tag) failures.push(`${state.id}: <${drawn.tag}>, expected <${entry.states.tag}>`);
          if (!drawn.text) failures.push(`${state.id}: empty shadow root`);
          if (!(await element.locator(state.expect).first().isVisible())) failures.push(`${state.id}: ${state.expect} not visible`);
        }
      }

      failures.push(...(await axeProblems(page, 'body')));
      expect(failures, failures.join('\n')).toEqual([]);
      expect(watcher.problems).toEqual([]);
    });
  }

  test('the Theme and Language menus theme the page and set the examples’ language and direction, remembered', async ({ page }) => {
    test.setTimeout(60_000);
    const watcher = await watchSite(page);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${site.url}/elements/otp-entry.html`);
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });

    // The menu offers the languages the elements ship, no more, no fewer.
    const shipped = readdirSync(join(root, 'src/elements/shared/locales'))
      .filter((file) => /^[a-z]{2}(-[a-z]{2})?\.ts$/.test(file))
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    const offered = await page.getByLabel('Language').locator('option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value.toLowerCase()));
    expect(offered.sort()).toEqual(shipped);

    const live = page.locator('.live-states');
    const label = page.locator('#otp-idle-sms otp-entry label').first();
    await expect(label).toHaveText('Verification code');
    await page.getByLabel('Language').selectOption('he');
    await expect(live).toHaveAttribute('lang', 'he');
    await expect(live).toHaveAttribute('dir', 'rtl');
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    await expect(label).toHaveText('קוד אימות');
    await expect(page.locator('#otp-idle-sms otp-entry')).toHaveAttribute('dir', 'rtl');
    // The docs themselves stay English, left to right.
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');

    await page.getByLabel('Theme').selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    // The elements ease their colours from one theme to the other: axe reads them once they are there.
    await expect.poll(() => axeProblems(page, 'body'), { timeout: 15_000 }).toEqual([]);

    // Another page remembers both (the theme before the page is drawn).
    await page.goto(`${site.url}/elements/kba-quiz.html`);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    await expect(page.locator('.live-states')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByLabel('Language')).toHaveValue('he');
    expect(await axeProblems(page, 'body')).toEqual([]);
    expect(watcher.problems).toEqual([]);
  });
});
