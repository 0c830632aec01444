import { fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import type { ActionView, KbaActionView, KbaQuestionView, SessionView } from '../../../src/contract/browser.js';
import '../../../src/elements/kba-quiz/define.js';
import type { KbaQuiz, KbaQuizClient } from '../../../src/elements/kba-quiz/kba-quiz.js';
import { challengeViewOf } from '../helpers.js';
export { decidedView, relayError } from '../helpers.js';

export function question(id: string, text: string, selection: 'single' | 'multiple', choices: string[]): KbaQuestionView {
  return { id, text, selection, choices: choices.map((choiceText, index) => ({ id: `${id}-c${index + 1}`, text: choiceText })) };
}

/** Three questions: single, multiple, single. Choice ids are `<question>-c<n>`. */
export function kbaAction(overrides: Partial<KbaActionView> = {}): KbaActionView {
  return {
    method: 'KBA',
    questions: [
      question('q1', 'Which street have you lived on?', 'single', ['Elm Street', 'Oak Avenue', 'None of the above']),
      question('q2', 'Which of these cars have you owned?', 'multiple', ['Ford Focus', 'Honda Civic', 'Tesla Model 3']),
      question('q3', 'Which bank holds your mortgage?', 'single', ['First Bank', 'Second Bank']),
    ],
    timeLimitSeconds: null,
    remainingAttempts: 3,
    ...overrides,
  };
}

/** A questionnaire Kount drew after a failed attempt. */
export function freshAction(overrides: Partial<KbaActionView> = {}): KbaActionView {
  return kbaAction({
    questions: [
      question('n1', 'In which city was your first job?', 'single', ['Austin', 'Boston']),
      question('n2', 'Which phone number have you had?', 'single', ['555-0100', '555-0199']),
    ],
    remainingAttempts: 2,
    ...overrides,
  });
}

export const challengeView = (action: ActionView = kbaAction(), revision = 2): SessionView => challengeViewOf(action, revision);

export type FakeClient = {
  [K in keyof KbaQuizClient]: sinon.SinonStub<Parameters<KbaQuizClient[K]>, ReturnType<KbaQuizClient[K]>>;
};

/** A client whose calls never settle unless a test says otherwise. */
export function fakeClient(): FakeClient {
  const pending = () => new Promise<SessionView>(() => {});
  return {
    view: sinon.stub<Parameters<KbaQuizClient['view']>, Promise<SessionView>>().callsFake(pending),
    answer: sinon.stub<Parameters<KbaQuizClient['answer']>, Promise<SessionView>>().callsFake(pending),
  };
}

export async function kbaFixture(
  options: { action?: KbaActionView; client?: FakeClient; lang?: string } = {},
): Promise<{ el: KbaQuiz; client: FakeClient }> {
  const client = options.client ?? fakeClient();
  const action = options.action ?? kbaAction();
  const el = await fixture<KbaQuiz>(html`<kba-quiz lang=${options.lang ?? 'en'} .client=${client} .action=${action}></kba-quiz>`);
  return { el, client };
}

const root = (el: KbaQuiz) => el.shadowRoot!;
export const legendOf = (el: KbaQuiz) => root(el).querySelector<HTMLElement>('[part="legend"]');
export const inputsOf = (el: KbaQuiz) => [...root(el).querySelectorAll<HTMLInputElement>('[part="input"]')];
export const choiceLabelsOf = (el: KbaQuiz) =>
  [...root(el).querySelectorAll<HTMLElement>('[part="choice"]')].map((label) => label.textContent!.trim());
export const primaryOf = (el: KbaQuiz) => root(el).querySelector<HTMLButtonElement>('[part="button"]')!;
export const backOf = (el: KbaQuiz) => root(el).querySelector<HTMLButtonElement>('[part="back"]');
export const changeButtonsOf = (el: KbaQuiz) => [...root(el).querySelectorAll<HTMLButtonElement>('[part="change"]')];
export const reviewOf = (el: KbaQuiz) => root(el).querySelector<HTMLElement>('[part="review"]');
export const errorOf = (el: KbaQuiz) => root(el).querySelector<HTMLElement>('[part="error"]')!;
export const statusOf = (el: KbaQuiz) => root(el).querySelector<HTMLElement>('[part="status"]')!;
export const timerOf = (el: KbaQuiz) => root(el).querySelector<HTMLElement>('[part="timer"]');
export const textOf = (el: KbaQuiz) => root(el).querySelector('[part="base"]')!.textContent!.replace(/\s+/g, ' ');
/** The legend's text: "Question 2 of 4 <question>". */
export const questionOf = (el: KbaQuiz) => legendOf(el)?.textContent!.replace(/\s+/g, ' ').trim() ?? '';

/** Chooses a choice by its visible text, as a click would (fires `change`). */
export function choose(el: KbaQuiz, text: string): void {
  const label = [...root(el).querySelectorAll<HTMLElement>('[part="choice"]')].find((candidate) => candidate.textContent!.trim() === text);
  if (!label) throw new Error(`no choice "${text}"`);
  label.querySelector('input')!.click();
}

/** Lets settled promises and the resulting Lit updates run. */
export async function settle(el: KbaQuiz): Promise<void> {
  for (let i = 0; i < 8; i++) {
    await Promise.resolve();
    await el.updateComplete;
  }
}

/** Answers every question of `kbaAction()` with the mouse and opens the review. */
export async function answerAll(el: KbaQuiz): Promise<void> {
  choose(el, 'Oak Avenue');
  primaryOf(el).click();
  await el.updateComplete;
  choose(el, 'Tesla Model 3');
  choose(el, 'Ford Focus');
  primaryOf(el).click();
  await el.updateComplete;
  choose(el, 'Second Bank');
  primaryOf(el).click();
  await el.updateComplete;
}

/**
 * Where focus is inside the element, as text: failing comparisons of elements with chai can spend
 * minutes describing them, so focus assertions compare descriptions instead.
 */
export function focusedPart(el: KbaQuiz): string {
  const active = root(el).activeElement;
  if (!active) return 'nothing';
  const part = active.getAttribute('part') ?? active.tagName.toLowerCase();
  return part === 'input' ? `input:${(active as HTMLInputElement).value}` : part;
}
