import { expect, test, type Page } from '@playwright/test';
import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID } from '../../src/sandbox/index.js';
import { demoUrl, latestCode, latestLink, openLink, otpInput, uniquePhone, watchPage } from './support.js';

/**
 * Kount 360 Account Protection in the demo: the sign-in page (Login v2) and the account-opening page
 * (New Account Opening v2) finish the sandbox's MFA with <verification-flow>.
 */

async function signIn(page: Page, account: { email: string; password?: string; phone?: string }): Promise<void> {
  await page.goto(`${demoUrl()}/login.html`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password ?? 'northwind');
  await page.getByLabel('Mobile phone on the account').fill(account.phone ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const uniqueEmail = (prefix: string): string => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}@example.com`;

test('log in with an SMS passcode from the sandbox inbox', async ({ page }) => {
  const watcher = await watchPage(page);
  const traffic: string[] = [];
  page.on('response', async (response) => {
    const body = response.request().resourceType() === 'fetch' ? await response.text().catch(() => '') : '';
    traffic.push(`${response.url()} ${JSON.stringify(await response.allHeaders())} ${body}`);
  });

  const phone = uniquePhone();
  await signIn(page, { email: 'login-sms@example.com', phone });
  await expect(otpInput(page)).toBeVisible();
  await expect(page.locator('otp-entry')).toContainText(`*** *** ${phone.slice(-4)}`);
  // The sign-in page has no card of its own: the flow draws one, with the page's heading in it.
  const flow = page.locator('verification-flow');
  await expect(flow).toHaveAttribute('appearance', 'card');
  await expect(flow.locator('[part="header"]')).toBeVisible();
  const heading = page.getByRole('heading', { name: "Confirm it's you" });
  expect(await heading.evaluate((element) => element.assignedSlot?.name)).toBe('heading');
  expect(await flow.locator('[part="base"]').first().evaluate((base) => getComputedStyle(base).borderTopStyle)).toBe('solid');
  const message = await latestCode(phone);
  expect(message.channel).toBe('SMS');
  await otpInput(page).fill(message.code);

  await expect(page.locator('#result')).toContainText('Welcome back');
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  const log = traffic.join('\n');
  expect(log).not.toContain(SANDBOX_API_KEY);
  expect(log).not.toContain(SANDBOX_CLIENT_ID);
  expect(log).not.toMatch(/access_token|Bearer /i);
  expect(traffic.filter((line) => line.includes('/verify/')).join('\n')).not.toContain(phone.slice(-7));
  expect(watcher.problems).toEqual([]);
});

test('a blocked login says so and shows no challenge', async ({ page }) => {
  const watcher = await watchPage(page);
  await signIn(page, { email: 'login-block@example.com', phone: uniquePhone() });
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'BLOCK');
  await expect(page.locator('#result')).toContainText("We couldn't sign you in");
  await expect(page.locator('verification-flow')).toHaveCount(0);
  expect(watcher.problems).toEqual([]);
});

test('wrong passwords are reported as failed attempts: the next sign-in of that account is challenged', async ({ page }) => {
  const watcher = await watchPage(page);
  const email = uniqueEmail('returning');
  for (let attempt = 1; attempt <= 3; attempt++) {
    await signIn(page, { email, password: `wrong-${attempt}`, phone: uniquePhone() });
    await expect(page.locator('#form-error')).toContainText('That e-mail and password do not match.');
  }
  // Any other e-mail is allowed at first; three failed attempts make the sandbox ask for an e-mail passcode.
  await signIn(page, { email, phone: uniquePhone() });
  await expect(otpInput(page)).toBeVisible();
  await expect(page.locator('otp-entry')).toContainText('r***@example.com');
  const message = await latestCode(email);
  expect(message.channel).toBe('EMAIL');
  await otpInput(page).fill(message.code);
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  expect(watcher.problems).toEqual([]);
});

test('open an account with e-mail verification', async ({ page }) => {
  const watcher = await watchPage(page);
  await page.goto(`${demoUrl()}/open-account.html`);
  await page.getByLabel('Full name').fill('Jordan Lee');
  await page.getByLabel('Email').fill('signup-email@example.com');
  await page.getByLabel('Mobile phone').fill(uniquePhone());
  await page.getByRole('button', { name: 'Open account' }).click();

  await expect(otpInput(page)).toBeVisible();
  await expect(page.locator('otp-entry')).toContainText('s***@example.com');
  const message = await latestCode('signup-email@example.com');
  expect(message.channel).toBe('EMAIL');
  await otpInput(page).fill(message.code);
  await expect(page.locator('#result')).toContainText('Welcome aboard');
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  expect(watcher.problems).toEqual([]);
});

test('log in with an e-mail link completed from the sandbox inbox in a second page', async ({ page }) => {
  const watcher = await watchPage(page);
  await signIn(page, { email: 'login-link@example.com', phone: uniquePhone() });
  const waiting = page.locator('verification-flow oth-waiting');
  await expect(waiting).toContainText('We emailed a link to');
  await expect(waiting).toContainText('Waiting for you to open the link');

  await openLink(page, await latestLink('login-link@example.com'), 'Yes, it’s me');

  // Completion arrives as the sandbox's signed MFA.StatusUpdate webhook, pushed on the live stream.
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  await expect(page.locator('#result')).toContainText('Welcome back');
  expect(watcher.problems).toEqual([]);
});
