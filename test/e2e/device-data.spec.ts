import { expect, test, type Page } from '@playwright/test';
import { demoUrl, latestCode, otpInput, sandboxUrl, uniquePhone, watchPage } from './support.js';

/**
 * Kount's device data collector, answered here in place of tst.kaptcha.com (this machine has no
 * network): its config, its session calls and its 1-pixel iframe, which reports `collect-end` to
 * the page as the real one does. Records the session id each request named.
 */
async function standInCollector(page: Page): Promise<{ sessionIds: string[] }> {
  const seen = { sessionIds: [] as string[] };
  await page.route('https://tst.kaptcha.com/**', async (route) => {
    const url = new URL(route.request().url());
    const sessionId = url.searchParams.get('s') ?? /\/session\/([^/?]+)/.exec(url.pathname)?.[1];
    if (sessionId) seen.sessionIds.push(sessionId);
    if (url.pathname === '/cs/config') {
      return route.fulfill({ json: { ttlms: 900000, collection: { collect: true, feature_flags: { app: true, battery: true, browser: true, exp: true, page: true, ui: true } } } });
    }
    if (url.pathname === '/cs/generatecookie') {
      // The first-party cookie value; the collector's iframe is only created once it is known.
      return route.fulfill({ json: { value: 'fpcv-stand-in' } });
    }
    if (url.pathname === '/logo.htm') {
      const params = JSON.stringify({ s: url.searchParams.get('s'), m: url.searchParams.get('m') });
      return route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><script>parent.postMessage(JSON.stringify({ event: 'collect-end', params: ${params} }), '*');</script>`,
      });
    }
    return route.fulfill({ json: {} });
  });
  return seen;
}

async function sentDeviceSessionId(page: Page, path: string, submit: () => Promise<void>): Promise<string> {
  const request = page.waitForRequest((candidate) => candidate.url().endsWith(path) && candidate.method() === 'POST');
  await submit();
  return ((await request).postDataJSON() as { deviceSessionId?: string }).deviceSessionId ?? '';
}

async function receivedBySandbox(): Promise<string[]> {
  return ((await (await fetch(`${sandboxUrl()}/sandbox/device-sessions.json`)).json()) as { deviceSessionIds: string[] }).deviceSessionIds;
}

test('a checkout collects device data and the shop sends Kount the same session id', async ({ page }) => {
  const watcher = await watchPage(page);
  const collector = await standInCollector(page);
  const phone = uniquePhone();
  await page.goto(`${demoUrl()}/checkout.html`);
  await expect.poll(() => collector.sessionIds.length).toBeGreaterThan(0);
  await page.getByLabel('Email').fill('otp@example.com');
  await page.getByLabel('Mobile phone').fill(phone);
  const id = await sentDeviceSessionId(page, '/api/checkout', () => page.getByRole('button', { name: /^Pay/ }).click());
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  expect(new Set(collector.sessionIds)).toEqual(new Set([id]));
  // The shop's backend passes it on to Kount (the sandbox) while the challenge starts.
  await expect.poll(receivedBySandbox).toContain(id);
  // The collector's iframe is on the page, allowed by the page policy, and the checkout goes on.
  await expect(page.locator('iframe#ibody')).toHaveAttribute('src', new RegExp(`^https://tst\\.kaptcha\\.com/logo\\.htm\\?m=.*&s=${id}`));
  await otpInput(page).fill((await latestCode(phone)).code);
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  expect(watcher.problems).toEqual([]);
});

test('a sign-in sends its device session id to Login v2, a fresh one per page', async ({ page }) => {
  const watcher = await watchPage(page);
  const collector = await standInCollector(page);
  await page.goto(`${demoUrl()}/login.html`);
  await page.getByLabel('Email').fill('login-allow@example.com');
  await page.getByLabel('Password').fill('northwind');
  const first = await sentDeviceSessionId(page, '/api/login', () => page.getByRole('button', { name: /sign in/i }).click());
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  expect(collector.sessionIds).toContain(first);
  await expect.poll(receivedBySandbox).toContain(first);
  await page.reload();
  await page.getByLabel('Email').fill('login-allow@example.com');
  await page.getByLabel('Password').fill('northwind');
  const second = await sentDeviceSessionId(page, '/api/login', () => page.getByRole('button', { name: /sign in/i }).click());
  expect(second).toMatch(/^[0-9a-f]{32}$/);
  expect(second).not.toBe(first);
  expect(watcher.problems).toEqual([]);
});

test('a blocked collector never stops the shopper: the id is still sent and the checkout completes', async ({ page }) => {
  const watcher = await watchPage(page);
  await page.route('https://tst.kaptcha.com/**', (route) => route.abort('blockedbyclient'));
  const phone = uniquePhone();
  await page.goto(`${demoUrl()}/checkout.html`);
  await page.getByLabel('Email').fill('otp@example.com');
  await page.getByLabel('Mobile phone').fill(phone);
  const id = await sentDeviceSessionId(page, '/api/checkout', () => page.getByRole('button', { name: /^Pay/ }).click());
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  await otpInput(page).fill((await latestCode(phone)).code);
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  expect(watcher.problems).toEqual([]);
});
