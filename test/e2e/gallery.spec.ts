/**
 * The gallery of every state (demo/pages/gallery.html): each element in each state, drawn from
 * fixtures by an in-page fake client. For light and dark, left to right and right to left, every
 * state must be drawn (a shadow root with content, the part that shows the state visible) and pass
 * axe, with no console error and no breach of the page's strict policy. A failure names the state.
 *
 * Also here: the demo pages' Language menu, which sets the language the elements speak.
 */
import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import { demoUrl, otpInput, startCheckout, uniquePhone, watchPage } from './support.js';

// axe-core is a development dependency, the version @open-wc/testing's `to.be.accessible()` uses too: both suites run the same rules.
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; summary: string }[];
}

/** Runs axe on `include` (minus `exclude`): the page's policy forbids inline scripts, so axe is added as an init script. */
async function axeViolations(page: Page, include: string, exclude?: string): Promise<AxeViolation[]> {
  return page.evaluate(
    async ({ include, exclude }) => {
      const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> }> } }).axe;
      const { violations } = await axe.run(exclude ? { include: [include], exclude: [exclude] } : { include: [include] }, { resultTypes: ['violations'] });
      return violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((node) => ({ target: node.target, summary: node.failureSummary ?? '' })) }));
    },
    { include, exclude },
  );
}

function describeViolations(where: string, violations: AxeViolation[]): string[] {
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => `${where}: ${violation.id} (${violation.impact}) ${violation.help} at ${JSON.stringify(node.target)}: ${node.summary.replace(/\s+/g, ' ')}`),
  );
}

const variants = [
  { name: 'light, English (left to right)', lang: 'en', dir: 'ltr', colorScheme: 'light', theme: 'system' },
  { name: 'dark, English (left to right)', lang: 'en', dir: 'ltr', colorScheme: 'dark', theme: 'system' },
  { name: 'light, Arabic (right to left)', lang: 'ar', dir: 'rtl', colorScheme: 'light', theme: 'system' },
  { name: 'dark, Hebrew (right to left)', lang: 'he', dir: 'rtl', colorScheme: 'dark', theme: 'system' },
  // The page's own switch: dark tokens on a light system.
  { name: 'page theme Dark on a light system, German', lang: 'de', dir: 'ltr', colorScheme: 'light', theme: 'dark' },
] as const;

test.describe('the gallery of every state', () => {
  // The gallery draws from fixtures and asks no relay: one instance or two draws the same states,
  // so the cluster run leaves it to the single-instance run CI runs first.
  test.skip(process.env.E2E_CLUSTER === '1', 'the gallery uses no relay: the same on one instance or two');

  for (const variant of variants) {
    test(`every state is drawn and passes axe: ${variant.name}`, async ({ page }) => {
      test.setTimeout(180_000);
      const watcher = await watchPage(page);
      await page.addInitScript({ path: axePath });
      await page.emulateMedia({ colorScheme: variant.colorScheme, reducedMotion: 'reduce' });
      await page.goto(`${demoUrl()}/gallery.html?lang=${variant.lang}&theme=${variant.theme}`);
      await expect(page.locator('main.gallery')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
      await expect(page.locator('html')).toHaveAttribute('lang', variant.lang);
      await expect(page.locator('html')).toHaveAttribute('dir', variant.dir);
      await expect(page.getByLabel('Language')).toHaveValue(variant.lang);

      const states = await page.locator('.state').evaluateAll((items) => items.map((item) => ({ id: item.id, expect: (item as HTMLElement).dataset.expect ?? '', ready: (item as HTMLElement).dataset.ready === 'true' })));
      expect(states.length, 'states in the gallery').toBeGreaterThanOrEqual(50);

      const failures: string[] = [];
      for (const state of states) {
        const element = page.locator(`#${state.id} .specimen > *`);
        if (!state.ready) failures.push(`${state.id}: not ready`);
        const drawn = await element.evaluate((host) => ({ dir: host.getAttribute('dir'), text: host.shadowRoot?.textContent?.trim() ?? '' }));
        if (!drawn.text) failures.push(`${state.id}: empty shadow root`);
        if (drawn.dir !== variant.dir) failures.push(`${state.id}: dir="${drawn.dir}", expected ${variant.dir}`);
        if (!(await element.locator(state.expect).first().isVisible())) failures.push(`${state.id}: ${state.expect} not visible`);
        failures.push(...describeViolations(state.id, await axeViolations(page, `#${state.id}`)));
      }
      // The page around the states: header, Language and Theme menus, titles.
      failures.push(...describeViolations('page', await axeViolations(page, 'body', '.specimen')));

      expect(failures, failures.join('\n')).toEqual([]);
      expect(watcher.problems).toEqual([]);
    });
  }

  test('the gallery draws every state again in the language picked', async ({ page }) => {
    const watcher = await watchPage(page);
    await page.goto(`${demoUrl()}/gallery.html?lang=en`);
    await expect(page.locator('main.gallery')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    const alert = page.locator('#otp-wrong-code otp-entry [part~="error"]');
    await expect(alert).toContainText("That code isn't right");
    await page.getByLabel('Language').selectOption('fr');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.locator('main.gallery')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    // What the element said before the switch is said again in French.
    await expect(alert).not.toContainText("That code isn't right");
    await expect(page.locator('#otp-idle-sms otp-entry label')).toHaveText('Code de vérification');
    await page.getByLabel('Theme').selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(watcher.problems).toEqual([]);
  });
});

test('the demo pages’ Language menu sets the elements’ language, remembered from page to page', async ({ page }) => {
  const watcher = await watchPage(page);
  await page.goto(`${demoUrl()}/`);
  await page.getByLabel('Language').selectOption('de');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');

  await startCheckout(page, { email: 'otp@example.com', phone: uniquePhone() });
  await expect(page.getByLabel('Language')).toHaveValue('de');
  const otp = page.locator('verification-flow otp-entry');
  await expect(otpInput(page)).toBeVisible();
  await expect(otp.locator('label')).toHaveText('Bestätigungscode');

  // Right to left: the page turns, and the element follows at once.
  await page.getByLabel('Language').selectOption('he');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(otp.locator('label')).toHaveText('קוד אימות');
  await expect(otp).toHaveAttribute('dir', 'rtl');
  expect(watcher.problems).toEqual([]);
});
