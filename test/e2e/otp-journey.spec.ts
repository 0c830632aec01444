import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { clearFaults, demoUrl, latestCode, otpInput, setFault, startCheckout, uniquePhone, watchPage } from './support.js';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID } from '../../src/sandbox/index.js';

test.afterEach(async () => {
  await clearFaults();
});

test('a challenged checkout completes with the SMS passcode from the sandbox inbox', async ({ page }) => {
  const watcher = await watchPage(page);
  const traffic: string[] = [];
  page.on('response', async (response) => {
    const headers = JSON.stringify(await response.allHeaders());
    const body = response.request().resourceType() === 'fetch' ? await response.text().catch(() => '') : '';
    traffic.push(`${response.url()} ${headers} ${body}`);
  });
  page.on('request', (request) => traffic.push(`${request.url()} ${JSON.stringify(request.headers())} ${request.postData() ?? ''}`));

  const phone = uniquePhone();
  await startCheckout(page, { email: 'otp@example.com', phone });
  await expect(otpInput(page)).toBeVisible();
  await expect(page.locator('otp-entry')).toContainText(`*** *** ${phone.slice(-4)}`);
  await expect(otpInput(page)).toHaveAttribute('inputmode', 'numeric');

  const message = await latestCode(phone);
  await otpInput(page).fill(message.code);

  await expect(page.locator('#result')).toContainText('Order confirmed');
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');

  const log = traffic.join('\n');
  expect(log).not.toContain(SANDBOX_API_KEY);
  expect(log).not.toContain(SANDBOX_CLIENT_ID);
  expect(log).not.toMatch(/access_token|Bearer /i);
  // The shopper typed the phone number into the shop's form; the relay only ever sends it back masked.
  const relayTraffic = traffic.filter((line) => line.includes('/verify/')).join('\n');
  expect(relayTraffic).toContain('/verify/session/answer');
  expect(relayTraffic).not.toContain(phone.slice(-7));
  expect(watcher.problems).toEqual([]);
});

test('the e-mail passcode persona is sent to the e-mail address, masked on the page', async ({ page }) => {
  const watcher = await watchPage(page);
  await startCheckout(page, { email: 'otp-email@example.com', phone: uniquePhone() });
  await expect(page.locator('otp-entry')).toContainText('o***@example.com');
  const message = await latestCode('otp-email@example.com');
  expect(message.channel).toBe('EMAIL');
  await otpInput(page).fill(message.code);
  await expect(page.locator('#result')).toContainText('Order confirmed');
  expect(watcher.problems).toEqual([]);
});

test('a wrong code shows the attempts left, then the right code passes', async ({ page }) => {
  const watcher = await watchPage(page);
  const phone = uniquePhone();
  await startCheckout(page, { email: 'otp@example.com', phone });
  const { code } = await latestCode(phone);
  const wrong = code === '000000' ? '111111' : '000000';

  await otpInput(page).fill(wrong);
  const alert = page.locator('otp-entry [role="alert"]');
  await expect(alert).toContainText("That code isn't right");
  // The sandbox allows 10 codes, the relay locks after 5 wrong ones: the fewer is shown.
  await expect(page.locator('otp-entry')).toContainText('4 attempts left');
  await expect(otpInput(page)).toHaveValue('');
  await expect(otpInput(page)).toBeFocused();

  await page.keyboard.type(code);
  await expect(page.locator('#result')).toContainText('Order confirmed');
  expect(watcher.problems).toEqual([]);
});

test('too many wrong codes lock the input with a clear message', async ({ page }) => {
  const phone = uniquePhone();
  await startCheckout(page, { email: 'otp@example.com', phone });
  const { code } = await latestCode(phone);
  const wrong = code === '000000' ? '111111' : '000000';

  const alert = page.locator('otp-entry [role="alert"]');
  for (let attempt = 1; attempt <= 4; attempt++) {
    await expect(otpInput(page)).toBeEditable();
    await otpInput(page).fill(wrong);
    // What the relay allows before its lockout (5), not the sandbox's 10: the count ends where the lock begins.
    await expect(alert).toContainText(`${5 - attempt} ${5 - attempt === 1 ? 'attempt' : 'attempts'} left`);
  }
  // The fifth wrong code in a row makes the relay refuse answers for a while; the element says so
  // and locks the input.
  await otpInput(page).fill(wrong);
  await expect(alert).toHaveText('Too many wrong codes.');
  await expect(page.locator('otp-entry')).toContainText(/You can try again in \d+\sminutes?/);
  // Locked, not disabled: the field keeps focus and stays in the tab order, but takes no input.
  await expect(otpInput(page)).toHaveAttribute('aria-disabled', 'true');
  await expect(otpInput(page)).not.toBeEditable();
  await expect(page.locator('otp-entry').getByRole('button', { name: 'Verify' })).toHaveAttribute('aria-disabled', 'true');
});

test('a new code can be requested, and only the new code works', async ({ page }) => {
  test.setTimeout(90_000);
  const phone = uniquePhone();
  await startCheckout(page, { email: 'otp@example.com', phone });
  const first = await latestCode(phone);
  const resend = page.locator('otp-entry').getByRole('button', { name: 'Send a new code' });
  await expect(resend).toBeEnabled({ timeout: 45_000 });
  await resend.click();
  await expect(page.locator('otp-entry [role="status"]')).toContainText('We sent a new 6-digit code to');
  // Seen as well as heard, in the one line above the field: a new code went out, and the old one stopped working.
  await expect(page.locator('otp-entry #sent')).toContainText(`We sent a new 6-digit code to`);
  await expect(page.locator('otp-entry #sent')).toContainText(phone.slice(-4));
  await expect(page.locator('otp-entry #sent')).toContainText('Only the newest code works.');
  const second = await latestCode(phone, { after: first.id });
  expect(second.id).not.toBe(first.id);

  if (second.code !== first.code) {
    await otpInput(page).fill(first.code);
    await expect(page.locator('otp-entry [role="alert"]')).toContainText("That code isn't right");
  }
  await otpInput(page).fill(second.code);
  await expect(page.locator('#result')).toContainText('Order confirmed');
});

test('Kount being down shows a clear message, keeps the code, and the retry succeeds', async ({ page }) => {
  const phone = uniquePhone();
  await startCheckout(page, { email: 'otp@example.com', phone });
  const { code } = await latestCode(phone);
  await setFault({ target: 'verify', status: 503 });

  await otpInput(page).fill(code);
  await expect(page.locator('otp-entry [role="alert"]')).toContainText(/verification service/i);
  await expect(otpInput(page)).toHaveValue(code);

  await clearFaults();
  await page.locator('otp-entry').getByRole('button', { name: 'Verify' }).click();
  await expect(page.locator('#result')).toContainText('Order confirmed');
});

test('allowed and blocked shoppers get their answer without a challenge', async ({ page }) => {
  await startCheckout(page, { email: 'allow@example.com' });
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  await startCheckout(page, { email: 'block@example.com' });
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'BLOCK');
  await expect(page.locator('verification-flow')).toHaveCount(0);
});

test('sign-up runs the same challenge through the same elements', async ({ page }) => {
  const phone = uniquePhone();
  await page.goto(`${demoUrl()}/signup.html`);
  await page.getByLabel('Email').fill('otp@example.com');
  await page.getByLabel('Mobile phone').fill(phone);
  await page.getByRole('button', { name: 'Create account' }).click();
  const { code } = await latestCode(phone);
  await otpInput(page).fill(code);
  await expect(page.locator('#result')).toContainText('Welcome aboard');
});

test('the demo server log never holds a passcode, a phone number or a secret', async ({ page }) => {
  const phone = uniquePhone();
  await startCheckout(page, { email: 'otp@example.com', phone });
  const { code } = await latestCode(phone);
  await otpInput(page).fill(code === '000000' ? '111111' : '000000');
  await expect(page.locator('otp-entry [role="alert"]')).not.toBeEmpty();
  await otpInput(page).fill(code);
  await expect(page.locator('#result')).toContainText('Order confirmed');

  const log = await readFile(process.env.DEMO_LOG!, 'utf8');
  // Digits bounded by non-digits, so a timestamp or a port that happens to hold the code does not count.
  expect(log).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
  expect(log).not.toContain(phone.slice(-7));
  expect(log).not.toContain('otp@example.com');
  expect(log).not.toContain(SANDBOX_API_KEY);
});
