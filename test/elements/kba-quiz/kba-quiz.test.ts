import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import { KbaQuiz } from '../../../src/elements/kba-quiz/kba-quiz.js';
import type { VerifyCompleteEvent, VerifyStepEvent } from '../../../src/elements/shared/events.js';
import { decidedView, errorOf, focusedPart, settle, textOf } from '../helpers.js';
import { answerAll, backOf, challengeView, changeButtonsOf, choiceLabelsOf, choose, fakeClient, inputsOf, kbaFixture, labelOf, legendOf, primaryOf, questionOf, reviewOf } from './fixtures.js';
import { kbaAction, question } from '../helpers.js';

describe('<kba-quiz>', () => {
  afterEach(() => sinon.restore());

  describe('rendering', () => {
    it('is registered and shows the first question as a fieldset with radios', async () => {
      const { el } = await kbaFixture();
      expect(customElements.get('kba-quiz')).to.equal(KbaQuiz);
      const fieldset = el.shadowRoot!.querySelector('fieldset')!;
      expect(fieldset.getAttribute('part')).to.equal('question');
      expect(questionOf(el)).to.equal('Question 1 of 3 Which street have you lived on?');
      expect(fieldset.querySelector('legend')).to.equal(legendOf(el));
      const inputs = inputsOf(el);
      expect(inputs.map((input) => input.type)).to.deep.equal(['radio', 'radio', 'radio']);
      expect(new Set(inputs.map((input) => input.name)).size).to.equal(1);
      expect(choiceLabelsOf(el)).to.deep.equal(['Elm Street', 'Oak Avenue', 'None of the above']);
      // Three attempts left is not news: the count shows when one is left, or after wrong answers.
      expect(textOf(el)).not.to.contain('attempt');
      expect(backOf(el)).to.equal(null);
      expect(primaryOf(el).textContent!.trim()).to.equal('Next');
    });

    it('renders checkboxes and "choose all that apply" for a multiple-choice question', async () => {
      const { el } = await kbaFixture({
        action: kbaAction({ questions: [question('m', 'Which cars?', 'multiple', ['A', 'B'])], remainingAttempts: null }),
      });
      expect(inputsOf(el).map((input) => input.type)).to.deep.equal(['checkbox', 'checkbox']);
      // On the legend's meta line, so it is part of the question's name.
      expect(legendOf(el)!.textContent).to.contain('Choose all that apply');
      expect(textOf(el)).not.to.contain('attempt');
      // A single question is also the last: its button leads to the review.
      expect(primaryOf(el).textContent!.trim()).to.equal('Review answers');
    });

    it('is accessible on a question', async () => {
      const { el } = await kbaFixture();
      await expect(el).to.be.accessible();
    });

    it('shows untrusted question and choice text literally, never as markup', async () => {
      const payload = '<img src=x onerror=alert(1)>';
      const { el } = await kbaFixture({
        action: kbaAction({ questions: [question('x', `Where? ${payload}`, 'single', [payload, '<b>bold</b>'])] }),
      });
      expect(questionOf(el)).to.contain(payload);
      expect(choiceLabelsOf(el)).to.deep.equal([payload, '<b>bold</b>']);
      expect(el.shadowRoot!.querySelector('img')).to.equal(null);
      expect(el.shadowRoot!.querySelector('b')).to.equal(null);
      choose(el, payload);
      primaryOf(el).click();
      await el.updateComplete;
      expect(reviewOf(el)!.textContent).to.contain(payload);
      expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    });
  });

  describe('navigation', () => {
    it('Next without a choice shows an inline error, announced, with focus on the first choice', async () => {
      const { el } = await kbaFixture();
      primaryOf(el).click();
      await el.updateComplete;
      expect(questionOf(el)).to.contain('Question 1 of 3');
      const error = errorOf(el);
      expect(error.textContent).to.equal('Choose an answer to continue.');
      expect(error.getAttribute('role')).to.equal('alert');
      expect(el.shadowRoot!.querySelector('fieldset')!.getAttribute('aria-describedby')).to.contain('error');
      expect(inputsOf(el)[0]!.getAttribute('aria-invalid')).to.equal('true');
      expect(focusedPart(el)).to.equal('input:q1-c1');
      // Choosing clears it.
      choose(el, 'Elm Street');
      await el.updateComplete;
      expect(error.textContent).to.equal('');
      expect(inputsOf(el)[0]!.getAttribute('aria-invalid')).to.equal('false');
    });

    it('says "at least one" for a multiple-choice question', async () => {
      const { el } = await kbaFixture();
      choose(el, 'Elm Street');
      primaryOf(el).click();
      await el.updateComplete;
      primaryOf(el).click();
      await el.updateComplete;
      expect(errorOf(el).textContent).to.equal('Choose at least one answer to continue.');
      expect(questionOf(el)).to.contain('Question 2 of 3');
    });

    it('moves focus to the new question legend, and Back keeps the answers', async () => {
      const { el } = await kbaFixture();
      choose(el, 'Oak Avenue');
      primaryOf(el).click();
      await el.updateComplete;
      expect(questionOf(el)).to.equal('Question 2 of 3 Which of these cars have you owned?');
      expect(focusedPart(el)).to.equal('legend');
      expect(legendOf(el)!.tabIndex).to.equal(-1);
      backOf(el)!.click();
      await el.updateComplete;
      expect(questionOf(el)).to.contain('Question 1 of 3');
      expect(focusedPart(el)).to.equal('legend');
      expect(inputsOf(el).map((input) => input.checked)).to.deep.equal([false, true, false]);
    });

    it('works with the keyboard alone: arrows pick a radio, Space ticks a box, Enter takes the step', async () => {
      const client = fakeClient();
      const wrapper = await fixture<HTMLDivElement>(
        html`<div><button id="before">before</button><kba-quiz lang="en" .client=${client} .action=${kbaAction()}></kba-quiz></div>`,
      );
      const el = wrapper.querySelector('kba-quiz')!;
      await el.updateComplete;
      wrapper.querySelector<HTMLButtonElement>('#before')!.focus();

      // Question 1: Tab into the radio group, ArrowDown moves to and selects the next radio.
      await sendKeys({ press: 'Tab' });
      expect(focusedPart(el)).to.equal('input:q1-c1');
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(errorOf(el).textContent).to.equal('Choose an answer to continue.');
      await sendKeys({ press: 'ArrowDown' });
      await el.updateComplete;
      expect(focusedPart(el)).to.equal('input:q1-c2');
      expect(inputsOf(el)[1]!.checked).to.equal(true);
      expect(errorOf(el).textContent).to.equal('');
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(questionOf(el)).to.contain('Question 2 of 3');
      expect(focusedPart(el)).to.equal('legend');

      // Question 2: checkboxes, Tab between them and Space to tick.
      await sendKeys({ press: 'Tab' });
      expect(focusedPart(el)).to.equal('input:q2-c1');
      await sendKeys({ press: 'Space' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Tab' });
      expect(focusedPart(el)).to.equal('input:q2-c3');
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(inputsOf(el).map((input) => input.checked)).to.deep.equal([true, false, true]);
      // Tab on to Back, then Next; Enter on the focused Next button.
      await sendKeys({ press: 'Tab' });
      expect(focusedPart(el)).to.equal('back');
      await sendKeys({ press: 'Tab' });
      expect(focusedPart(el)).to.equal('button');
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(questionOf(el)).to.contain('Question 3 of 3');

      // Question 3: Enter right on the focused legend without a choice says what is missing.
      expect(focusedPart(el)).to.equal('legend');
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(reviewOf(el)).to.exist;
      expect(focusedPart(el)).to.equal('review-title');
      expect(client.answer.called).to.equal(false);

      // Review: Enter on the focused heading submits the step (all answers in one call).
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(client.answer.calledOnce).to.equal(true);
      expect(client.answer.firstCall.args[0]).to.deep.equal({
        method: 'KBA',
        answers: [
          { questionId: 'q1', choiceIds: ['q1-c2'] },
          { questionId: 'q2', choiceIds: ['q2-c1', 'q2-c3'] },
          { questionId: 'q3', choiceIds: ['q3-c2'] },
        ],
      });
    });
  });

  describe('review', () => {
    it('lists every question with its chosen answers and a Change button each', async () => {
      const { el } = await kbaFixture();
      await answerAll(el);
      const review = reviewOf(el)!;
      expect(el.shadowRoot!.querySelector('fieldset')).to.equal(null);
      expect(focusedPart(el)).to.equal('review-title');
      const items = [...review.querySelectorAll(':scope > li')].map((item) => ({
        question: item.querySelector('.review-question')!.textContent!.trim(),
        answers: [...item.querySelectorAll('.review-answers > li')].map((answer) => answer.textContent!.trim()),
        change: item.querySelector('[part="change"]')!.textContent!.trim(),
      }));
      expect(items).to.deep.equal([
        { question: 'Which street have you lived on?', answers: ['Oak Avenue'], change: 'Change' },
        // In the question's order, not the order they were ticked in.
        { question: 'Which of these cars have you owned?', answers: ['Ford Focus', 'Tesla Model 3'], change: 'Change' },
        { question: 'Which bank holds your mortgage?', answers: ['Second Bank'], change: 'Change' },
      ]);
      const changes = changeButtonsOf(el);
      expect(changes.length).to.equal(3);
      // Each Change names its question for screen readers.
      const [first] = changes;
      const ids = first!.getAttribute('aria-labelledby')!.split(' ');
      expect(ids.map((id) => el.shadowRoot!.getElementById(id)!.textContent!.trim())).to.deep.equal([
        'Change',
        'Which street have you lived on?',
      ]);
      expect(labelOf(primaryOf(el))).to.equal('Submit answers');
      await expect(el).to.be.accessible();
    });

    it('Change goes to that question, and its button goes back to the review', async () => {
      const { el, client } = await kbaFixture();
      await answerAll(el);
      changeButtonsOf(el)[1]!.click();
      await el.updateComplete;
      expect(questionOf(el)).to.contain('Question 2 of 3');
      expect(focusedPart(el)).to.equal('legend');
      expect(primaryOf(el).textContent!.trim()).to.equal('Review answers');
      choose(el, 'Ford Focus'); // unticks it
      primaryOf(el).click();
      await el.updateComplete;
      expect(reviewOf(el)!.textContent).not.to.contain('Ford Focus');
      primaryOf(el).click();
      await el.updateComplete;
      expect(client.answer.firstCall.args[0]).to.deep.equal({
        method: 'KBA',
        answers: [
          { questionId: 'q1', choiceIds: ['q1-c2'] },
          { questionId: 'q2', choiceIds: ['q2-c3'] },
          { questionId: 'q3', choiceIds: ['q3-c2'] },
        ],
      });
    });

    it('is busy while submitting and refuses a second submit', async () => {
      const { el, client } = await kbaFixture();
      await answerAll(el);
      const width = primaryOf(el).getBoundingClientRect().width;
      primaryOf(el).click();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('form')!.getAttribute('aria-busy')).to.equal('true');
      // A spinner over the label, which keeps the button's width; its name says what it does.
      expect(labelOf(primaryOf(el))).to.equal('Submitting…');
      expect(primaryOf(el).classList.contains('button--busy')).to.equal(true);
      expect(getComputedStyle(primaryOf(el), '::after').animationName).to.equal('verify-spin');
      expect(primaryOf(el).textContent!.trim()).to.equal('Submit answers');
      expect(primaryOf(el).getBoundingClientRect().width).to.equal(width);
      expect(primaryOf(el).getAttribute('aria-disabled')).to.equal('true');
      expect(backOf(el)!.getAttribute('aria-disabled')).to.equal('true');
      primaryOf(el).click();
      await el.updateComplete;
      expect(client.answer.calledOnce).to.equal(true);
    });
  });

  describe('after the relay answers', () => {
    it('a decided view dispatches verify-step then verify-complete', async () => {
      const client = fakeClient();
      client.answer.resolves(decidedView('ALLOW'));
      const { el } = await kbaFixture({ client });
      await answerAll(el);
      const order: string[] = [];
      el.addEventListener('verify-step', () => order.push('step'));
      el.addEventListener('verify-complete', () => order.push('complete'));
      const complete = oneEvent(el, 'verify-complete') as Promise<VerifyCompleteEvent>;
      primaryOf(el).click();
      expect((await complete).detail.decision).to.equal('ALLOW');
      expect(order).to.deep.equal(['step', 'complete']);
      await el.updateComplete;
      expect(primaryOf(el)).to.equal(null);
    });

    it('a view for another action dispatches verify-step and stops', async () => {
      const client = fakeClient();
      const next = challengeView({
        method: 'OTP',
        channel: 'SMS',
        destination: '+1 *** 4567',
        codeLength: 6,
        remainingAttempts: 3,
        remainingResends: 2,
        resendAvailableInSeconds: 0,
        lockedForSeconds: 0,
        codeExpiresInSeconds: null,
      });
      client.answer.resolves(next);
      const { el } = await kbaFixture({ client });
      await answerAll(el);
      const complete = sinon.spy();
      el.addEventListener('verify-complete', complete);
      const step = oneEvent(el, 'verify-step') as Promise<VerifyStepEvent>;
      primaryOf(el).click();
      expect((await step).detail.view).to.equal(next);
      await settle(el);
      expect(complete.called).to.equal(false);
      expect(el.shadowRoot!.querySelector('fieldset')).to.equal(null);
      expect(reviewOf(el)).to.equal(null);
      expect(primaryOf(el)).to.equal(null);
    });
  });

  describe('standalone with relay/session attributes', () => {
    it('loads the view from the relay and renders it', async () => {
      const fetchStub = sinon.stub(window, 'fetch').resolves(
        new Response(JSON.stringify(challengeView(kbaAction())), { status: 200, headers: { 'content-type': 'application/json' } }),
      );
      const steps: VerifyStepEvent[] = [];
      const el = await fixture<KbaQuiz>(
        html`<kba-quiz lang="en" relay="/verify" session="handle-1" @verify-step=${(event: VerifyStepEvent) => steps.push(event)}></kba-quiz>`,
      );
      await waitUntil(() => el.action !== undefined, 'view not loaded');
      await el.updateComplete;
      const [url, init] = fetchStub.firstCall.args as [string, RequestInit];
      expect(url).to.equal('/verify/session');
      expect((init.headers as Record<string, string>).authorization).to.equal('Bearer handle-1');
      expect(questionOf(el)).to.equal('Question 1 of 3 Which street have you lived on?');
      expect(steps.length).to.equal(1);

      fetchStub.resolves(new Response(JSON.stringify(decidedView('REVIEW')), { status: 200 }));
      await answerAll(el);
      const complete = oneEvent(el, 'verify-complete') as Promise<VerifyCompleteEvent>;
      primaryOf(el).click();
      expect((await complete).detail.decision).to.equal('REVIEW');
      const [answerUrl, answerInit] = fetchStub.secondCall.args as [string, RequestInit];
      expect(answerUrl).to.equal('/verify/session/answer');
      expect(answerInit.method).to.equal('POST');
      expect(JSON.parse(answerInit.body as string)).to.deep.equal({
        method: 'KBA',
        answers: [
          { questionId: 'q1', choiceIds: ['q1-c2'] },
          { questionId: 'q2', choiceIds: ['q2-c1', 'q2-c3'] },
          { questionId: 'q3', choiceIds: ['q3-c2'] },
        ],
      });
    });

    it('offers Try again when the view cannot load', async () => {
      const fetchStub = sinon.stub(window, 'fetch').rejects(new TypeError('Failed to fetch'));
      const el = await fixture<KbaQuiz>(html`<kba-quiz lang="en" relay="/verify"></kba-quiz>`);
      await waitUntil(() => el.errorCode === 'network_error', 'no error shown');
      await el.updateComplete;
      expect(errorOf(el).textContent).to.contain("We can't reach the verification service.");
      const retry = primaryOf(el);
      expect(retry.textContent!.trim()).to.equal('Try again');
      await expect(el).to.be.accessible();
      fetchStub.resolves(new Response(JSON.stringify(challengeView()), { status: 200 }));
      retry.click();
      await waitUntil(() => el.action !== undefined, 'not reloaded');
      await el.updateComplete;
      expect(fetchStub.calledTwice).to.equal(true);
      expect(errorOf(el).textContent).to.equal('');
      expect(questionOf(el)).to.contain('Question 1 of 3');
    });
  });
});
