import { expect, test } from '@playwright/test';
import { demoUrl, uniquePhone, watchPage } from './support.js';

test('pages are served with the strict policy and the bundle pinned by integrity', async ({ page }) => {
  const response = await page.goto(`${demoUrl()}/checkout.html`);
  const policy = response!.headers()['content-security-policy'];
  expect(policy).toContain("script-src 'self'");
  expect(policy).toContain("style-src 'self'");
  expect(policy).toContain("require-trusted-types-for 'script'");
  expect(policy).toContain('trusted-types lit-html');
  const integrity = await page.locator('script[src="/assets/k360-verify.js"]').getAttribute('integrity');
  expect(integrity).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
  await expect.poll(() => page.evaluate(() => Boolean(customElements.get('verification-flow')))).toBe(true);
});

test('a tampered bundle does not load', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.route('**/assets/k360-verify.js', async (route) => {
    const original = await route.fetch();
    const body = (await original.text()).replace('verification-flow', 'verification-flox');
    await route.fulfill({ response: original, body });
  });
  await page.goto(`${demoUrl()}/checkout.html`);
  await expect.poll(() => errors.join('\n')).toContain('integrity');
  expect(await page.evaluate(() => customElements.get('verification-flow') ?? customElements.get('verification-flox'))).toBeUndefined();
});

test('files the bundle loads on demand are pinned too: a tampered step element does not run', async ({ page }) => {
  const watcher = await watchPage(page);
  await page.route('**/assets/k360-verify.otp-entry.js', async (route) => {
    const original = await route.fetch();
    await route.fulfill({ response: original, body: `${await original.text()}\nglobalThis.tampered = true;` });
  });
  const response = await page.goto(`${demoUrl()}/checkout.html`);
  // The import map is the page's one inline script, allowed by its hash alone.
  const policy = response!.headers()['content-security-policy']!;
  expect(policy).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]{43}='(;|$)/);
  expect(policy).not.toContain('unsafe-inline');
  const map = JSON.parse((await page.locator('script[type="importmap"]').textContent())!) as { integrity: Record<string, string> };
  expect(map.integrity['/assets/k360-verify.otp-entry.js']).toMatch(/^sha384-/);

  await page.getByLabel('Email').fill('otp@example.com');
  await page.getByLabel('Mobile phone').fill(uniquePhone());
  await page.getByRole('button', { name: /^Pay/ }).click();
  // The flow cannot load the step and says so; the tampered code never ran.
  await expect(page.locator('verification-flow [part="error"]')).toContainText("We can't reach the verification service");
  expect(await page.evaluate(() => (globalThis as { tampered?: boolean }).tampered ?? false)).toBe(false);
  expect(await page.evaluate(() => customElements.get('otp-entry'))).toBeUndefined();
  // Chromium reports the refused file on the console; nothing else went wrong.
  expect(watcher.problems.filter((problem) => !/integrity/i.test(problem))).toEqual([]);
});
