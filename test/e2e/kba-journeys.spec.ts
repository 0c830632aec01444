import { expect, test, type Page } from '@playwright/test';
import { demoUrl, latestCode, otpInput, sandboxUrl, startCheckout, uniquePhone, watchPage } from './support.js';

interface AnswerKey {
  authenticationId: string;
  answerKey: { questionText: string; correctChoices: { choiceText: string }[] }[];
}

/** The newest questionnaire's answer key, from the sandbox inbox (journeys run one at a time). */
async function newestAnswerKey(after?: string): Promise<AnswerKey> {
  let newest: AnswerKey | undefined;
  await expect
    .poll(async () => {
      const { quizzes } = (await (await fetch(`${sandboxUrl()}/sandbox/inbox.json`)).json()) as { quizzes: AnswerKey[] };
      newest = quizzes[0];
      return newest !== undefined && newest.authenticationId !== after;
    })
    .toBe(true);
  return newest!;
}

const quiz = (page: Page) => page.locator('verification-flow kba-quiz');

/** Answers every question of the quiz on screen, right or wrong, with the keyboard and the mouse as a shopper would. */
async function answerQuiz(page: Page, key: AnswerKey, correctly: boolean): Promise<void> {
  const questions = key.answerKey.length;
  for (let index = 1; index <= questions; index++) {
    const legend = quiz(page).locator('[part="legend"]');
    await expect(legend).toContainText(`Question ${index} of ${questions}`);
    const text = (await quiz(page).locator('[part="question-text"]').textContent())!.trim();
    const question = key.answerKey.find((candidate) => candidate.questionText === text);
    expect(question, `no answer key for "${text}"`).toBeDefined();
    const correct = new Set(question!.correctChoices.map((choice) => choice.choiceText));
    const choices = quiz(page).locator('[part="choice"]');
    const labels = (await choices.allTextContents()).map((label) => label.trim());
    const picks = correctly ? labels.filter((label) => correct.has(label)) : [labels.find((label) => !correct.has(label))!];
    for (const label of picks) await quiz(page).getByLabel(label, { exact: true }).check();
    await quiz(page)
      .getByRole('button', { name: index === questions ? 'Review answers' : 'Next' })
      .click();
  }
  await expect(quiz(page).getByRole('heading', { name: 'Check your answers' }).or(quiz(page).getByText('Check your answers'))).toBeVisible();
  await quiz(page).getByRole('button', { name: 'Submit answers' }).click();
}

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
  await answerQuiz(page, await newestAnswerKey(), true);
  await expect(page.locator('#result')).toContainText('Order confirmed');
  expect(watcher.problems).toEqual([]);
});
