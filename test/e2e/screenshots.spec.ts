/**
 * A screenshot of every main state, in light and dark, in Arabic and Hebrew, at a phone's width
 * (390 px), saved to `screenshots/` (git-ignored) so a reviewer can look through all of them
 * after one run. Each shot also checks what a picture alone would not prove: Kount's English
 * questions keep their own language and direction inside a right-to-left page.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { latestCode, latestLink, otpInput, startCheckout, uniquePhone, watchPage } from './support.js';

const folder = fileURLToPath(new URL('../../screenshots/', import.meta.url));

const variants = [
  { name: 'light', lang: 'en', colorScheme: 'light' },
  { name: 'dark', lang: 'en', colorScheme: 'dark' },
  { name: 'arabic', lang: 'ar', colorScheme: 'light' },
  { name: 'hebrew', lang: 'he', colorScheme: 'dark' },
] as const;

type Variant = (typeof variants)[number];

/** The states, each reached as a shopper would, from a fresh checkout. */
const states: ReadonlyArray<{ name: string; reach(page: Page): Promise<void> }> = [
  {
    name: 'otp-entry',
    reach: async (page) => {
      await startCheckout(page, { email: 'otp@example.com', phone: uniquePhone() });
      await expect(otpInput(page)).toBeVisible();
    },
  },
  {
    name: 'otp-entry-wrong-code',
    reach: async (page) => {
      await startCheckout(page, { email: 'otp@example.com', phone: uniquePhone() });
      // A whole code submits itself.
      await otpInput(page).fill('000000');
      await expect(page.locator('verification-flow otp-entry [part="error"]')).not.toBeEmpty();
    },
  },
  {
    name: 'kba-question',
    reach: async (page) => {
      await startCheckout(page, { email: 'kba@example.com' });
      await expect(page.locator('verification-flow kba-quiz [part="question-text"]')).toBeVisible();
    },
  },
  {
    name: 'kba-review',
    reach: async (page) => {
      await startCheckout(page, { email: 'kba@example.com' });
      const quiz = page.locator('verification-flow kba-quiz');
      await expect(quiz.locator('[part="question-text"]')).toBeVisible();
      // Answer each question with its first choice, as far as the review.
      for (let step = 0; step < 8 && (await quiz.locator('[part="review"]').count()) === 0; step++) {
        await quiz.locator('input').first().check();
        await quiz.locator('[part="button"]').click();
      }
      await expect(quiz.locator('[part="review"]')).toBeVisible();
    },
  },
  {
    name: 'oth-waiting',
    reach: async (page) => {
      await startCheckout(page, { email: 'oth@example.com', phone: uniquePhone() });
      await expect(page.locator('verification-flow oth-waiting [part="progress"]')).toBeVisible();
    },
  },
  {
    name: 'docv-qr',
    reach: async (page) => {
      await startCheckout(page, { email: 'docv@example.com' });
      await expect(page.locator('verification-flow docv-status [part="qr"]')).toBeVisible();
    },
  },
  {
    name: 'docv-failed',
    reach: async (page) => {
      const phone = uniquePhone();
      await startCheckout(page, { email: 'docv-sms@example.com', phone });
      const context = await page.context().browser()!.newContext();
      const handset = await context.newPage();
      await handset.goto(await latestLink(phone));
      for (const step of ['Begin', 'Capture document', 'Send for processing', 'Result: failed']) await handset.getByRole('button', { name: step }).click();
      await context.close();
      await expect(page.locator('verification-flow docv-status [part~="step-failed"]')).toBeVisible();
    },
  },
  {
    name: 'session-ended',
    reach: async (page) => {
      await startCheckout(page, { email: 'otp@example.com' });
      await expect(otpInput(page)).toBeVisible();
      await page.context().clearCookies();
      await otpInput(page).fill('123456');
      await expect(page.locator('verification-flow [part~="restart"]')).toBeVisible();
    },
  },
  {
    name: 'verified',
    reach: async (page) => {
      const phone = uniquePhone();
      await startCheckout(page, { email: 'otp@example.com', phone });
      await otpInput(page).fill((await latestCode(phone)).code);
      await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
    },
  },
];

async function prepare(page: Page, variant: Variant): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: variant.colorScheme, reducedMotion: 'reduce' });
  await page.addInitScript((lang) => {
    document.addEventListener('readystatechange', () => {
      if (document.readyState === 'interactive') document.documentElement.lang = lang;
    });
  }, variant.lang);
}

test.describe('screenshots of every main state', () => {
  // The cluster run repeats every journey on two instances behind a balancer; what is drawn does not
  // depend on which instance answers, so the pictures (and their minutes) are taken once, in the
  // single-instance run that CI runs first.
  test.skip(process.env.E2E_CLUSTER === '1', 'the pictures are the same on one instance or two');
  test.beforeAll(async () => {
    await mkdir(folder, { recursive: true });
  });

  for (const state of states) {
    test(state.name, async ({ page }) => {
      test.setTimeout(120_000);
      const watcher = await watchPage(page);
      for (const variant of variants) {
        await prepare(page, variant);
        await state.reach(page);
        const flow = page.locator('verification-flow');
        if (state.name !== 'verified') await expect(flow).toHaveAttribute('dir', variant.lang === 'en' ? 'ltr' : 'rtl');
        if (state.name.startsWith('kba')) {
          // Kount's English text keeps its language and its own direction inside an Arabic or Hebrew page.
          const text = flow.locator('kba-quiz [part="question-text"], kba-quiz .review-question').first();
          await expect(text).toHaveAttribute('lang', 'en');
          await expect(text).toHaveAttribute('dir', 'auto');
          expect(await text.evaluate((element) => getComputedStyle(element).direction)).toBe('ltr');
        }
        await page.screenshot({ path: `${folder}${state.name}--${variant.name}.png`, fullPage: true });
        await page.context().clearCookies();
      }
      expect(watcher.problems).toEqual([]);
    });
  }
});
