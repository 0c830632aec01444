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
/** The legend's text: "Question 2 of 4 <question>". */
export const questionOf = (el: KbaQuiz) => legendOf(el)?.textContent!.replace(/\s+/g, ' ').trim() ?? '';

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

