import { fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import type { ActionView, KbaActionView, SessionView } from '../../../src/contract/browser.js';
import '../../../src/elements/kba-quiz/define.js';
import type { KbaQuiz, KbaQuizClient } from '../../../src/elements/kba-quiz/kba-quiz.js';
import { challengeViewOf, kbaAction, pendingStub } from '../helpers.js';

export const challengeView = (action: ActionView = kbaAction(), revision = 2): SessionView => challengeViewOf(action, revision);

export type FakeClient = {
  [K in keyof KbaQuizClient]: sinon.SinonStub<Parameters<KbaQuizClient[K]>, ReturnType<KbaQuizClient[K]>>;
};

/** A client whose calls never settle unless a test says otherwise. */
export function fakeClient(): FakeClient {
  return { view: pendingStub(), answer: pendingStub() };
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
export const timerOf = (el: KbaQuiz) => root(el).querySelector<HTMLElement>('[part="timer"]');
/** Where the quiz is and what it asks: "Question 2 of 4 <question>" (the rest of the legend's meta line left out). */
export const questionOf = (el: KbaQuiz) =>
  legendOf(el)
    ? [...legendOf(el)!.querySelectorAll('[part="progress"], [part="question-text"]')].map((part) => part.textContent!.trim()).join(' ')
    : '';
/** The legend's meta line, as shown: "Question 1 of 3 · Time left: 1:30" (the dots are drawn by CSS). */
export const metaOf = (el: KbaQuiz) => [...legendOf(el)!.querySelectorAll('.meta > *')].map((item) => item.textContent!.trim()).join(' · ');
/** A button's name: its `aria-label` while busy (a spinner over its label), else its text. */
export const labelOf = (button: HTMLButtonElement) => button.getAttribute('aria-label') ?? button.textContent!.trim();

/** Chooses a choice by its visible text, as a click would (fires `change`). */
export function choose(el: KbaQuiz, text: string): void {
  const label = [...root(el).querySelectorAll<HTMLElement>('[part="choice"]')].find((candidate) => candidate.textContent!.trim() === text);
  if (!label) throw new Error(`no choice "${text}"`);
  label.querySelector('input')!.click();
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

