import { expect, test, type Browser, type Page } from '@playwright/test';
import { latestLink, startCheckout, uniquePhone, watchPage } from './support.js';

const status = (page: Page) => page.locator('verification-flow docv-status');

/** The sandbox's stand-in for Kount's capture flow, on "the phone" (a context of its own). */
async function openPhone(browser: Browser, link: string): Promise<{ phone: Page; close(): Promise<void> }> {
  const context = await browser.newContext();
  const phone = await context.newPage();
  await phone.goto(link);
  return { phone, close: () => context.close() };
}

async function press(phone: Page, name: string): Promise<void> {
  await phone.getByRole('button', { name }).click();
  await phone.waitForLoadState();
}

test('document verification by QR code: progress appears live as the phone moves, then the result', async ({ page }) => {
  const watcher = await watchPage(page);
  await startCheckout(page, { email: 'docv@example.com' });
  await expect(status(page).getByRole('img', { name: 'QR code that opens the ID check on your phone' })).toBeVisible();
  const continueHere = status(page).getByRole('link', { name: /Continue on this device/ });
  const link = await continueHere.getAttribute('href');
  expect(link).toMatch(/^http:\/\/(localhost|127\.0\.0\.1):\d+\/sandbox\/docv\//);
  await expect(status(page)).toContainText('Waiting for you to open the link on your phone.');

  const { phone, close } = await openPhone(page.context().browser()!, link!);
  await press(phone, 'Begin');
  await expect(status(page)).toContainText("You've opened the link. Follow the steps on your phone.");
  await expect(status(page).locator('[aria-current="step"]')).toContainText('Started on your phone');
  await press(phone, 'Capture document');
  await expect(status(page)).toContainText('We have the photos of your ID.');
  await press(phone, 'Send for processing');
  await expect(status(page)).toContainText('Checking your ID. This can take a minute.');
  await press(phone, 'Result: verified');
  await close();

  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  await expect(page.locator('#result')).toContainText('Order confirmed');
  expect(watcher.problems).toEqual([]);
});

test('document verification by SMS: an unreadable capture offers a retry, the second capture passes', async ({ page }) => {
  test.setTimeout(90_000);
  const watcher = await watchPage(page);
  const phoneNumber = uniquePhone();
  await startCheckout(page, { email: 'docv-sms@example.com', phone: phoneNumber });
  await expect(status(page)).toContainText('We texted a link to');
  await expect(status(page)).toContainText(phoneNumber.slice(-4));
  // No QR code or capture link in the page when Kount texted it.
  await expect(status(page).getByRole('link', { name: /Continue on this device/ })).toHaveCount(0);

  const first = await openPhone(page.context().browser()!, await latestLink(phoneNumber));
  for (const step of ['Begin', 'Capture document', 'Send for processing', 'Result: needs retry']) await press(first.phone, step);
  await first.close();
  await expect(status(page)).toContainText("We couldn't read your ID. Try again with a clear, well-lit photo.");
  const retry = status(page).getByRole('button', { name: /Try again/ });
  await retry.focus();
  await page.keyboard.press('Enter');
  // A retry sends a new link, and sends are at least 30 s apart: the element counts the rest down.
  const waiting = status(page).getByText('Waiting for you to open the link on your phone.');
  await expect(waiting.or(status(page).getByText(/You can try again in \d+\sseconds?\./).first())).toBeVisible();
  if (!(await waiting.isVisible())) {
    await expect(retry).not.toHaveAttribute('aria-disabled', 'true', { timeout: 40_000 });
    await page.keyboard.press('Enter');
  }

  // The retry sends a new link; the old one is dead.
  await expect(status(page)).toContainText('Waiting for you to open the link on your phone.');
  const second = await openPhone(page.context().browser()!, await latestLink(phoneNumber));
  for (const step of ['Begin', 'Capture document', 'Send for processing', 'Result: verified']) await press(second.phone, step);
  await second.close();
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  expect(watcher.problems).toEqual([]);
});
