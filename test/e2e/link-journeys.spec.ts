import { expect, test, type Page } from '@playwright/test';
import { latestLink, openLink, startCheckout, uniquePhone, watchPage } from './support.js';

const waiting = (page: Page) => page.locator('verification-flow oth-waiting');

test('an e-mailed link opened on another device completes the checkout without a reload', async ({ page }) => {
  const watcher = await watchPage(page);
  await startCheckout(page, { email: 'oth@example.com' });
  // The address sits in direction isolates (it stays left to right inside Arabic text).
  await expect(waiting(page)).toContainText(/We emailed a link to \u2066?o\*\*\*@example\.com/);
  await expect(waiting(page)).toContainText('Waiting for you to open the link');
  const navigations: string[] = [];
  page.on('framenavigated', (frame) => navigations.push(frame.url()));

  await openLink(page, await latestLink('oth@example.com'), 'Yes, it’s me');

  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  await expect(page.locator('#result')).toContainText('Order confirmed');
  expect(navigations).toEqual([]);
  expect(watcher.problems).toEqual([]);
});

test('a texted link refused on the phone ends in a clear failure', async ({ page }) => {
  const watcher = await watchPage(page);
  const phone = uniquePhone();
  await startCheckout(page, { email: 'oth-sms@example.com', phone });
  await expect(waiting(page)).toContainText(`We texted a link to`);
  await expect(waiting(page)).toContainText(phone.slice(-4));

  await openLink(page, await latestLink(phone), 'This wasn’t me');

  // Kount ends the step FAILED_AUTHORIZATION and the strategy with it: the shop declines the order.
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'BLOCK');
  await expect(page.locator('#result')).toContainText('Payment declined');
  expect(watcher.problems).toEqual([]);
});

test('with the event stream blocked, polling still completes the checkout', async ({ page }) => {
  const watcher = await watchPage(page);
  let refusedStreams = 0;
  await page.route('**/verify/session/events', async (route) => {
    refusedStreams++;
    await route.fulfill({ status: 503, contentType: 'text/plain', body: 'blocked by a proxy' });
  });
  await startCheckout(page, { email: 'oth@example.com' });
  await expect(waiting(page)).toContainText('Waiting for you to open the link');
  await expect.poll(() => refusedStreams).toBeGreaterThan(0);

  await openLink(page, await latestLink('oth@example.com'), 'Yes, it’s me');

  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW', { timeout: 20_000 });
  // Chromium logs the refused stream as a failed resource, which watchPage already ignores.
  expect(watcher.problems).toEqual([]);
});

test('another tab of the same page learns the outcome too', async ({ page }) => {
  const watcher = await watchPage(page);
  await startCheckout(page, { email: 'oth@example.com' });
  await expect(waiting(page)).toContainText('Waiting for you to open the link');
  // A second tab showing the same verification (same cookie): it renders the flow on its own.
  const second = await page.context().newPage();
  await second.goto(page.url());
  await second.evaluate(() => {
    const flow = document.createElement('verification-flow');
    flow.setAttribute('relay', '/verify');
    document.querySelector('#verification')!.removeAttribute('hidden');
    document.querySelector('#verification')!.append(flow);
  });
  await expect(waiting(second)).toContainText('Waiting for you to open the link');

  await openLink(page, await latestLink('oth@example.com'), 'Yes, it’s me');

  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  await expect(second.locator('verification-flow')).toHaveAttribute('decision', 'ALLOW');
  expect(watcher.problems).toEqual([]);
});
