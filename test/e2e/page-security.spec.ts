import { expect, test } from '@playwright/test';
import { demoUrl } from './support.js';

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
