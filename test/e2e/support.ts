import { expect, type Page } from '@playwright/test';

export const demoUrl = (): string => required('DEMO_URL');
export const sandboxUrl = (): string => required('SANDBOX_URL');

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the global setup did not start the demo.`);
  return value;
}

interface InboxMessage {
  id: string;
  channel: 'SMS' | 'EMAIL';
  to: string;
  body: string;
  code: string;
  sentAt: string;
}

/** The newest code the sandbox "sent" to this destination after `since` (ISO time). */
export async function latestCode(to: string, options: { after?: string } = {}): Promise<InboxMessage> {
  let last: InboxMessage | undefined;
  await expect
    .poll(async () => {
      const response = await fetch(`${sandboxUrl()}/sandbox/inbox.json?to=${encodeURIComponent(to)}`);
      const { messages } = (await response.json()) as { messages: InboxMessage[] };
      last = messages.find((message) => !options.after || message.id !== options.after);
      return Boolean(last);
    })
    .toBe(true);
  return last!;
}

export async function setFault(fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandboxUrl()}/sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(response.ok).toBe(true);
}

export async function clearFaults(): Promise<void> {
  await fetch(`${sandboxUrl()}/sandbox/faults`, { method: 'DELETE' });
}

/** Unique phone per test so inbox look-ups never pick another test's code. */
export function uniquePhone(): string {
  return `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}

/** Records CSP violations and console errors so every journey can assert there were none. */
export async function watchPage(page: Page): Promise<{ problems: string[] }> {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`securitypolicyviolation ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    // Chromium logs every non-2xx fetch as an error; the relay's 4xx answers are expected here.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return { problems };
}

export async function startCheckout(page: Page, shopper: { email: string; phone?: string }): Promise<void> {
  await page.goto(`${demoUrl()}/checkout.html`);
  await page.getByLabel('Email').fill(shopper.email);
  await page.getByLabel('Mobile phone').fill(shopper.phone ?? '');
  await page.getByRole('button', { name: /^Pay/ }).click();
}

export const otpInput = (page: Page) => page.locator('verification-flow otp-entry input[autocomplete="one-time-code"]');


/** The newest link the sandbox "sent" to this destination. */
export async function latestLink(to: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(async () => {
      const response = await fetch(`${sandboxUrl()}/sandbox/inbox.json?to=${encodeURIComponent(to)}`);
      const { messages } = (await response.json()) as { messages: { link?: string }[] };
      link = messages.find((message) => message.link)?.link;
      return Boolean(link);
    })
    .toBe(true);
  return link!;
}

/** Opens the link as the shopper would, in another page (another device: nothing is shared but the link). */
export async function openLink(page: Page, link: string, choice: 'Yes, it’s me' | 'This wasn’t me'): Promise<void> {
  const phone = await page.context().browser()!.newContext();
  const other = await phone.newPage();
  await other.goto(link);
  await other.getByRole('button', { name: choice }).click();
  await expect(other.locator('body')).not.toContainText('Yes, it’s me');
  await phone.close();
}

export interface AnswerKey {
  authenticationId: string;
  answerKey: { questionText: string; correctChoices: { choiceText: string }[] }[];
}

/** The newest questionnaire's answer key, from the sandbox inbox (journeys run one at a time). */
export async function newestAnswerKey(after?: string): Promise<AnswerKey> {
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
export async function answerQuiz(page: Page, key: AnswerKey, correctly: boolean): Promise<void> {
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
