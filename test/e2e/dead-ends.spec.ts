/**
 * Every state has a way forward (issue 11): each journey here stopped at a dead end before.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { latestLink, openLink, otpInput, startCheckout, uniquePhone, watchPage } from './support.js';

const docv = (page: Page) => page.locator('verification-flow docv-status');
const oth = (page: Page) => page.locator('verification-flow oth-waiting');

/** Walks the sandbox's capture page on "the phone" (a context of its own) up to `result`. */
async function capture(browser: Browser, link: string, result: 'Result: failed' | 'Result: needs retry' | 'Result: verified'): Promise<void> {
  const context = await browser.newContext();
  const phone = await context.newPage();
  await phone.goto(link);
  for (const step of ['Begin', 'Capture document', 'Send for processing', result]) {
    await phone.getByRole('button', { name: step }).click();
    await phone.waitForLoadState();
  }
  await context.close();
}

/** Counts the relay's answers to `path` with `status`, from now on. */
function countResponses(page: Page, path: string, status?: number): { readonly count: number } {
  const counter = { count: 0 };
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.endsWith(path) && (status === undefined || response.status() === status)) counter.count++;
  });
  return counter;
}

test('a failed ID check with a retry left offers Try again, and the last failure ends in the decision', async ({ page }) => {
  test.setTimeout(120_000);
  const watcher = await watchPage(page);
  const phone = uniquePhone();
  await startCheckout(page, { email: 'docv-sms@example.com', phone });
  await expect(docv(page)).toContainText('We texted a link to');
  await capture(page.context().browser()!, await latestLink(phone), 'Result: failed');

  await expect(docv(page)).toContainText("We couldn't verify your ID.");
  const retry = docv(page).getByRole('button', { name: 'Try again' });
  await expect(retry).toBeVisible();
  await expect(docv(page)).toContainText('1 try left.');
  // The step where it stopped shows as failed, not as a green tick.
  await expect(docv(page).locator('[data-step="PROCESSING"]')).toHaveClass(/step--failed/);
  await expect(docv(page).locator('[data-step="PROCESSING"]')).toContainText('(not passed)');
  await expect(retry).not.toHaveAttribute('aria-disabled', 'true', { timeout: 40_000 });
  await retry.click();
  await expect(docv(page)).toContainText('Waiting for you to open the link on your phone.');

  await capture(page.context().browser()!, await latestLink(phone), 'Result: failed');
  // No retry left: Kount ends the step, and the shop gets the decision.
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'BLOCK');
  await expect(page.locator('#result')).toContainText('Payment declined');
  expect(watcher.problems).toEqual([]);
});

test('a retry inside the send interval shows one countdown, and Try again waits for it instead of being refused', async ({ page }) => {
  test.setTimeout(90_000);
  const watcher = await watchPage(page);
  const phone = uniquePhone();
  const answers = countResponses(page, '/verify/session/answer');
  const refusals = countResponses(page, '/verify/session/answer', 429);
  await startCheckout(page, { email: 'docv-sms@example.com', phone });
  await capture(page.context().browser()!, await latestLink(phone), 'Result: needs retry');

  await expect(docv(page)).toContainText("We couldn't read your ID.");
  const retry = docv(page).getByRole('button', { name: 'Try again' });
  // The link went out moments ago: Try again waits, with the one countdown beside it.
  await expect(retry).toHaveAttribute('aria-disabled', 'true');
  await expect(docv(page).getByText(/You can try again in \d+\sseconds?\./)).toHaveCount(1);
  await expect(docv(page).getByText(/\d+\sseconds?/)).toHaveCount(1);
  await retry.focus();
  await page.keyboard.press('Enter');
  expect(answers.count, 'a waiting Try again sends nothing').toBe(0);

  await expect(retry).not.toHaveAttribute('aria-disabled', 'true', { timeout: 40_000 });
  await expect(docv(page).getByText(/You can try again in/)).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(docv(page)).toContainText('Waiting for you to open the link on your phone.');
  expect(refusals.count).toBe(0);
  expect(watcher.problems).toEqual([]);
});

test('a session lost mid-journey offers Start again, which takes the shopper back to the form to begin anew', async ({ page }) => {
  const watcher = await watchPage(page);
  await startCheckout(page, { email: 'otp@example.com' });
  await expect(otpInput(page)).toBeVisible();
  // The relay forgot this browser (a restart, an expiry): its session cookie is gone.
  await page.context().clearCookies();
  // A whole code submits itself.
  await otpInput(page).fill('123456');

  const startAgain = page.locator('verification-flow').getByRole('button', { name: 'Start again' });
  await expect(startAgain).toBeVisible();
  await expect(startAgain).toBeFocused();
  await expect(page.locator('verification-flow')).toContainText('Your verification session was not found.');
  await page.keyboard.press('Enter');

  // The page handled verify-restart: the form is back, filled in, and says why.
  await expect(page.locator('verification-flow')).toHaveCount(0);
  await expect(page.getByLabel('Email')).toHaveValue('otp@example.com');
  await expect(page.locator('#form-error')).toContainText('Your verification ended before it was finished.');
  await expect(page.getByRole('button', { name: /^Pay/ })).toBeFocused();
  await page.getByRole('button', { name: /^Pay/ }).click();
  await expect(otpInput(page)).toBeVisible();
  expect(watcher.problems).toEqual([]);
});

test('a capture link sent by SMS can be texted again, and only the newest one works', async ({ page }) => {
  test.setTimeout(90_000);
  const watcher = await watchPage(page);
  const phone = uniquePhone();
  await startCheckout(page, { email: 'docv-sms@example.com', phone });
  const first = await latestLink(phone);
  const resend = docv(page).getByRole('button', { name: 'Text me a new link' });
  await expect(resend).toBeVisible();
  // Sends are paced: the button waits out the relay's interval, counting down on one line.
  await expect(resend).toHaveAttribute('aria-disabled', 'true');
  await expect(docv(page).getByText(/You can ask for a new link in \d+\sseconds?\./)).toBeVisible();
  await expect(resend).not.toHaveAttribute('aria-disabled', 'true', { timeout: 40_000 });
  await resend.click();

  await expect(docv(page).locator('[part="sent"]')).toBeVisible();
  await expect(docv(page).locator('[part="sent"]')).toHaveText(new RegExp(`^We texted a new link to .+${phone.slice(-4)}.\\. Only the newest link works\\.$`));
  await expect.poll(() => latestLink(phone)).not.toBe(first);
  // The first link is dead; the new one carries the capture to the result.
  const old = await page.context().browser()!.newContext();
  const oldPage = await old.newPage();
  await oldPage.goto(first);
  await expect(oldPage.locator('body')).toContainText('This link was replaced');
  await old.close();
  await capture(page.context().browser()!, await latestLink(phone), 'Result: verified');
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  expect(watcher.problems).toEqual([]);
});

test('a one-time link can move to the phone at once; the wait is for resending on the same channel', async ({ page }) => {
  const watcher = await watchPage(page);
  const phone = uniquePhone();
  await startCheckout(page, { email: 'oth@example.com', phone });
  await expect(oth(page)).toContainText('Waiting for you to open the link');
  const bySms = oth(page).getByRole('button', { name: 'Send it by text message instead' });
  await expect(bySms).toBeEnabled();
  await expect(oth(page).getByRole('button', { name: 'Send a new link' })).toBeDisabled();
  await bySms.click();

  await expect(oth(page).locator('[part="sent"]')).toBeVisible();
  // One line says where the new link went, in place of the first one.
  await expect(oth(page).locator('[part="sent"]')).toHaveText(new RegExp(`^We texted a new link to .+${phone.slice(-4)}.\\. Only the newest link works\\.$`));
  await expect(oth(page)).not.toContainText('We emailed a link to');
  await openLink(page, await latestLink(phone), 'Yes, it’s me');
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  expect(watcher.problems).toEqual([]);
});
