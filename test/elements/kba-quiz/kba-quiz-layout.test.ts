/**
 * Issue 24, items 7 and 10: one meta line per question, the alert where focus goes, and a
 * legend whose focus ring lines up with the choices.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import type { KbaQuiz } from '../../../src/elements/kba-quiz/kba-quiz.js';
import { errorOf, focusedPart, relayError, settle } from '../helpers.js';
import { answerAll, challengeView, choose, fakeClient, kbaFixture, legendOf, metaOf, primaryOf } from './fixtures.js';
import { freshAction, kbaAction } from '../helpers.js';

describe('<kba-quiz> layout', () => {
  afterEach(() => sinon.restore());

  it('shows one meta line in the legend: the question, the time left when timed, the last attempt, "choose all"', async () => {
    const clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const { el } = await kbaFixture({ action: kbaAction({ timeLimitSeconds: 90, remainingAttempts: 1 }) });
      choose(el, 'Oak Avenue');
      primaryOf(el).click();
      await el.updateComplete;
      const meta = legendOf(el)!.querySelector('.meta')!;
      expect(metaOf(el)).to.equal('Question 2 of 3 · Time left: 1:30 · 1\u00a0attempt left · Choose all that apply');
      // Nothing grey stacks above the question: every meta item is on that one line.
      const hints = [...el.shadowRoot!.querySelectorAll('[part~="hint"], [part~="timer"], [part~="progress"]')];
      expect(hints.length).to.equal(4);
      expect(hints.every((hint) => hint.parentElement === meta)).to.equal(true);
      const lineHeight = parseFloat(getComputedStyle(meta).lineHeight);
      expect(meta.getBoundingClientRect().height).to.be.lessThan(lineHeight * 1.5);
      expect(getComputedStyle(meta).fontSize).to.equal('14px');
    } finally {
      clock.restore();
    }
  });

  it('leaves out the time and the attempts when they do not matter', async () => {
    const { el } = await kbaFixture({ action: kbaAction({ timeLimitSeconds: null, remainingAttempts: 3 }) });
    expect(metaOf(el)).to.equal('Question 1 of 3');
    await expect(el).to.be.accessible();
  });

  it('puts the alert before the question, where focus goes, after wrong answers, and does not repeat the attempts', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('wrong_answers', 422));
    client.view.resolves(challengeView(freshAction({ remainingAttempts: 1 }), 3));
    const { el } = await kbaFixture({ client });
    await answerAll(el);
    primaryOf(el).click();
    await settle(el);
    const fieldset = el.shadowRoot!.querySelector('fieldset')!;
    expect(errorOf(el).textContent).to.contain('Here are new questions. 1\u00a0attempt left.');
    expect(focusedPart(el)).to.equal('legend');
    // Right above the legend that has focus, not under the new choices.
    expect(errorOf(el).nextElementSibling).to.equal(fieldset);
    expect(errorOf(el).compareDocumentPosition(fieldset) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    expect(errorOf(el).getBoundingClientRect().bottom).to.be.at.most(legendOf(el)!.getBoundingClientRect().top);
    // The alert says the attempts: the meta line does not say them again.
    expect(metaOf(el)).to.equal('Question 1 of 2');
    await expect(el).to.be.accessible();

    // Once the alert is gone, the last attempt is on the meta line.
    choose(el, 'Boston');
    primaryOf(el).click();
    await el.updateComplete;
    expect(errorOf(el).textContent).to.equal('');
    expect(metaOf(el)).to.equal('Question 2 of 2 · 1\u00a0attempt left');
  });

  it('puts a missing choice\'s alert before the question too', async () => {
    const { el } = await kbaFixture();
    primaryOf(el).click();
    await el.updateComplete;
    expect(errorOf(el).textContent).to.equal('Choose an answer to continue.');
    expect(errorOf(el).nextElementSibling).to.equal(el.shadowRoot!.querySelector('fieldset'));
  });

  it('on the review, puts a failed submit\'s alert by Submit, where focus stays', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('network_error', 0));
    const { el } = await kbaFixture({ client });
    await answerAll(el);
    const review = el.shadowRoot!.querySelector('[part="review"]')!;
    const error = errorOf(el);
    primaryOf(el).focus();
    primaryOf(el).click();
    await settle(el);
    expect(error.textContent).to.contain('Your answers are kept.');
    // The same node that was there before it spoke, now between the list and the buttons.
    expect(errorOf(el)).to.equal(error);
    expect(review.compareDocumentPosition(error) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    expect(error.nextElementSibling!.classList.contains('actions')).to.equal(true);
    expect(focusedPart(el)).to.equal('button');
  });

  it('says a lockout once: in the alert, not again on the meta line', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('too_many_attempts', 429, { retryAfterSeconds: 90 }));
    const { el } = await kbaFixture({ client, action: kbaAction({ timeLimitSeconds: 600 }) });
    await answerAll(el);
    primaryOf(el).click();
    await settle(el);
    const shown = () => [...el.shadowRoot!.querySelectorAll('p, legend')].filter((line) => line.textContent!.includes('Too many attempts'));
    expect(shown()).to.deep.equal([errorOf(el)]);
    // On a question too, while the alert still says it.
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="change"]')!.click();
    await el.updateComplete;
    expect(shown()).to.deep.equal([errorOf(el)]);
    expect(metaOf(el)).to.match(/^Question 1 of 3 · Time left: \d+:\d\d$/);
  });

  it('draws the legend\'s focus ring on the choices\' edges', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div style="inline-size: 360px"><button id="before">before</button><kba-quiz lang="en" .client=${fakeClient()} .action=${kbaAction()}></kba-quiz></div>`,
    );
    const el = wrapper.querySelector<KbaQuiz>('kba-quiz')!;
    await el.updateComplete;
    wrapper.querySelector<HTMLButtonElement>('#before')!.focus();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(focusedPart(el)).to.equal('legend');
    const legend = legendOf(el)!;
    const style = getComputedStyle(legend);
    expect(style.outlineStyle).to.equal('solid');
    const ring = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
    const box = legend.getBoundingClientRect();
    const choice = el.shadowRoot!.querySelector('[part="choice"]')!.getBoundingClientRect();
    // The ring's outer edge is the choices' outer edge, on both sides.
    expect(Math.abs(box.left - ring - choice.left)).to.be.lessThan(0.5);
    expect(Math.abs(box.right + ring - choice.right)).to.be.lessThan(0.5);
  });
});
