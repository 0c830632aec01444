/**
 * The funnel events (`verify-analytics`), as a shop's page hears them on `document`: the exact
 * sequence for each journey, and payloads that can hold no personal data (every field comes from
 * a closed set, a number, or the random correlation id).
 */
import { expect, test, type Page } from '@playwright/test';
import { errorStatus } from '../../src/contract/relay-api.js';
import { answerQuiz, latestCode, latestLink, newestAnswerKey, openLink, otpInput, startCheckout, uniquePhone, watchPage } from './support.js';

interface FunnelEvent {
  name: string;
  method: string | null;
  step: number | null;
  elapsedMs: number;
  correlationId: string;
  value?: string;
}

async function recordFunnel(page: Page): Promise<() => Promise<FunnelEvent[]>> {
  await page.addInitScript(() => {
    const events: unknown[] = [];
    Object.assign(window, { funnelEvents: events });
    document.addEventListener('verify-analytics', (event) => events.push((event as CustomEvent).detail));
  });
  return () => page.evaluate(() => (window as unknown as { funnelEvents: FunnelEvent[] }).funnelEvents);
}

const NAMES = ['step_shown', 'code_submitted', 'answers_submitted', 'wrong_answer', 'resend', 'channel_change', 'lockout', 'link_opened', 'capture_progress', 'retry', 'error', 'abandoned', 'decided'];
const VALUES = new Set(['ALLOW', 'BLOCK', 'REVIEW', 'SMS', 'EMAIL', 'SENT', 'BEGUN', 'CAPTURED', 'PROCESSING', 'VERIFIED', 'FAILED', 'NEEDS_RETRY']);
/**
 * The closed set an `error` event's value comes from (docs/elements/funnel-events.md): the relay's codes
 * but those with an event of their own, and the page's own for a relay it could not hear.
 */
const ERROR_VALUES = new Set([
  ...Object.keys(errorStatus).filter((code) => !['wrong_code', 'wrong_answers', 'too_many_attempts'].includes(code)),
  'network_error',
  'offline',
  'timeout',
  'invalid_response',
]);

/** Every field is one of a closed set, a number, or the correlation id: there is no room for a code, a contact or Kount's text. */
function expectNoPersonalData(events: FunnelEvent[], secrets: string[]): void {
  const ids = new Set(events.map((event) => event.correlationId));
  expect(ids.size, 'one journey, one correlation id').toBe(1);
  for (const event of events) {
    expect(Object.keys(event).sort()).toEqual(['correlationId', 'elapsedMs', 'method', 'name', 'step', ...(event.value === undefined ? [] : ['value'])].sort());
    expect(NAMES).toContain(event.name);
    expect([null, 'OTP', 'KBA', 'OTH', 'DOCV']).toContain(event.method);
    expect(event.step === null || (Number.isInteger(event.step) && event.step >= 1 && event.step <= 10)).toBe(true);
    expect(Number.isInteger(event.elapsedMs) && event.elapsedMs >= 0).toBe(true);
    expect(event.correlationId).toMatch(/^[0-9a-f]{32}$/);
    if (event.value !== undefined) expect(event.name === 'error' ? ERROR_VALUES.has(event.value) : VALUES.has(event.value), event.value).toBe(true);
  }
  const text = JSON.stringify(events.map(({ name, method, step, value }) => ({ name, method, step, value })));
  for (const secret of secrets) expect(text).not.toContain(secret);
}

const sequence = (events: FunnelEvent[]) => events.map((event) => (event.value ? `${event.name}:${event.value}` : event.name));

test('a passcode, wrong once: shown, submitted, wrong, submitted, decided', async ({ page }) => {
  const watcher = await watchPage(page);
  const funnel = await recordFunnel(page);
  const phone = uniquePhone();
  await startCheckout(page, { email: 'otp@example.com', phone });
  const { code } = await latestCode(phone);
  const wrong = code === '000000' ? '111111' : '000000';
  await otpInput(page).fill(wrong);
  await expect(page.locator('verification-flow otp-entry [role="alert"]')).toContainText("That code isn't right");
  await otpInput(page).fill(code);
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');

  const events = await funnel();
  expect(sequence(events)).toEqual(['step_shown', 'code_submitted', 'wrong_answer', 'code_submitted', 'decided:ALLOW']);
  expect(events.every((event) => event.method === 'OTP' && event.step === 1)).toBe(true);
  expect(events[0]!.elapsedMs).toBe(0);
  expectNoPersonalData(events, [phone, phone.slice(-4), code, wrong, 'otp@example.com']);
  expect(watcher.problems).toEqual([]);
});

test('five wrong codes: each one wrong, then one lockout when the fifth locks the step', async ({ page }) => {
  const watcher = await watchPage(page);
  const funnel = await recordFunnel(page);
  const phone = uniquePhone();
  await startCheckout(page, { email: 'otp@example.com', phone });
  const { code } = await latestCode(phone);
  const wrong = code === '000000' ? '111111' : '000000';
  const wrongAnswers = async () => (await funnel()).filter((event) => event.name === 'wrong_answer').length;
  for (let attempt = 1; attempt <= 5; attempt++) {
    await expect(otpInput(page)).toBeEditable();
    await otpInput(page).fill(wrong);
    await expect.poll(wrongAnswers).toBe(attempt);
    await expect(otpInput(page)).toHaveValue('');
  }
  // The fifth is refused as wrong like the others; the lock is in the view read after it.
  await expect(otpInput(page)).toHaveAttribute('aria-disabled', 'true');
  await expect.poll(async () => sequence(await funnel()).at(-1)).toBe('lockout');

  const events = await funnel();
  expect(sequence(events)).toEqual(['step_shown', ...Array.from({ length: 5 }, () => ['code_submitted', 'wrong_answer']).flat(), 'lockout']);
  expect(events.every((event) => event.method === 'OTP' && event.step === 1)).toBe(true);
  expectNoPersonalData(events, [phone, phone.slice(-4), code, wrong, 'otp@example.com']);
  expect(watcher.problems).toEqual([]);
});

test('knowledge questions, wrong once: the new questions are the same step', async ({ page }) => {
  const watcher = await watchPage(page);
  const funnel = await recordFunnel(page);
  await startCheckout(page, { email: 'kba@example.com' });
  const first = await newestAnswerKey();
  await answerQuiz(page, first, false);
  await expect(page.locator('verification-flow kba-quiz [role="alert"]')).toContainText('Some of your answers are not right');
  const second = await newestAnswerKey();
  await answerQuiz(page, second, true);
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');

  const events = await funnel();
  expect(sequence(events)).toEqual(['step_shown', 'answers_submitted', 'wrong_answer', 'answers_submitted', 'decided:ALLOW']);
  expect(events.every((event) => event.method === 'KBA' && event.step === 1)).toBe(true);
  const kountText = [...first.answerKey, ...second.answerKey].flatMap((entry) => [entry.questionText, ...entry.correctChoices.map((choice) => choice.choiceText)]);
  expectNoPersonalData(events, ['kba@example.com', ...kountText]);
  expect(watcher.problems).toEqual([]);
});

test('a one-time link moved to the phone and opened there', async ({ page }) => {
  const watcher = await watchPage(page);
  const funnel = await recordFunnel(page);
  const phone = uniquePhone();
  await startCheckout(page, { email: 'oth@example.com', phone });
  await page.locator('verification-flow oth-waiting').getByRole('button', { name: 'Send it by text message instead' }).click();
  await expect(page.locator('verification-flow oth-waiting [part="sent"]')).toBeVisible();
  await openLink(page, await latestLink(phone), 'Yes, it’s me');
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');

  const events = await funnel();
  // Once, before the decision, whether the page saw the link confirmed or only the decision it made.
  expect(sequence(events)).toEqual(['step_shown', 'channel_change:SMS', 'link_opened', 'decided:ALLOW']);
  expect(events.find((event) => event.name === 'link_opened')).toMatchObject({ method: 'OTH', step: 1 });
  expectNoPersonalData(events, [phone, phone.slice(-4), 'oth@example.com']);
  expect(watcher.problems).toEqual([]);
});

test('an ID check followed live on the page: each capture step, then the decision', async ({ page }) => {
  const watcher = await watchPage(page);
  const funnel = await recordFunnel(page);
  await startCheckout(page, { email: 'docv@example.com' });
  const status = page.locator('verification-flow docv-status');
  const link = await status.getByRole('link', { name: /Continue on this device/ }).getAttribute('href');
  const context = await page.context().browser()!.newContext();
  const handset = await context.newPage();
  await handset.goto(link!);
  for (const [button, shown] of [
    ['Begin', "You've opened the link."],
    ['Capture document', 'We have the photos of your ID.'],
    ['Send for processing', 'Checking your ID.'],
  ] as const) {
    await handset.getByRole('button', { name: button }).click();
    await expect(status).toContainText(shown);
  }
  await handset.getByRole('button', { name: 'Result: verified' }).click();
  await context.close();
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');

  const events = await funnel();
  const names = sequence(events).filter((name) => name !== 'capture_progress:VERIFIED');
  expect(names).toEqual(['step_shown', 'capture_progress:BEGUN', 'capture_progress:CAPTURED', 'capture_progress:PROCESSING', 'decided:ALLOW']);
  expect(events.every((event) => event.method === 'DOCV')).toBe(true);
  expectNoPersonalData(events, ['docv@example.com', link!]);
  expect(watcher.problems).toEqual([]);
});

test('a session lost mid-step is an error; a page left mid-step is abandoned', async ({ page }) => {
  const watcher = await watchPage(page);
  const funnel = await recordFunnel(page);
  await startCheckout(page, { email: 'otp@example.com' });
  await expect(otpInput(page)).toBeVisible();
  await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide')));
  await page.context().clearCookies();
  await otpInput(page).fill('123456');
  await expect(page.locator('verification-flow').getByRole('button', { name: 'Start again' })).toBeVisible();

  const events = await funnel();
  expect(sequence(events)).toEqual(['step_shown', 'abandoned', 'code_submitted', 'error:session_missing']);
  expectNoPersonalData(events, ['123456', 'otp@example.com']);
  expect(watcher.problems).toEqual([]);
});
