import { expect, test, type Page } from '@playwright/test';
import { answerQuiz, demoUrl, latestCode, newestAnswerKey, otpInput, startCheckout, uniquePhone, watchPage } from './support.js';

const quiz = (page: Page) => page.locator('verification-flow kba-quiz');


test('knowledge questions answered right complete the checkout, starting from the landing page', async ({ page }) => {
  const watcher = await watchPage(page);
  await page.goto(demoUrl());
  await page.getByRole('link', { name: 'kba@example.com', exact: true }).click();
  await expect(page.getByLabel('Email')).toHaveValue('kba@example.com');
  await page.getByRole('button', { name: /^Pay/ }).click();
  await expect(quiz(page)).toBeVisible();
  await answerQuiz(page, await newestAnswerKey(), true);
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'ALLOW');
  await expect(page.locator('#result')).toContainText('Order confirmed');
  expect(watcher.problems).toEqual([]);
});

test('wrong answers bring new questions with the attempts left, and wrong again declines', async ({ page }) => {
  const watcher = await watchPage(page);
  await startCheckout(page, { email: 'kba@example.com' });
  await expect(quiz(page)).toBeVisible();
  const first = await newestAnswerKey();
  await answerQuiz(page, first, false);
  await expect(quiz(page).locator('[role="alert"]')).toContainText('Some of your answers are not right');
  await expect(quiz(page).locator('[part="legend"]')).toBeFocused();

  // The sandbox drew a fresh questionnaire for the same case: its answer key replaced the first one.
  const second = await newestAnswerKey();
  await answerQuiz(page, second, false);
  await expect(page.locator('#result')).toHaveAttribute('data-decision', 'BLOCK');
  expect(watcher.problems).toEqual([]);
});

test('a passcode then knowledge questions: two steps, one decision', async ({ page }) => {
  const watcher = await watchPage(page);
  const phone = uniquePhone();
  await startCheckout(page, { email: 'otp-kba@example.com', phone });
  // Kount reveals the next action only once this one passes, so the first step shows no count.
  await expect(otpInput(page)).toBeVisible();
  await otpInput(page).fill((await latestCode(phone)).code);

  await expect(quiz(page)).toBeVisible();
  await expect(page.locator('verification-flow [part="step"]')).toHaveText('Step 2 of 2');
  // The passcode field that had the keyboard is gone: it moves to the first question.
  await expect(quiz(page).locator('[part="legend"]')).toBeFocused();
  await answerQuiz(page, await newestAnswerKey(), true);
  await expect(page.locator('#result')).toContainText('Order confirmed');
  expect(watcher.problems).toEqual([]);
});
