import { expect, oneEvent } from '@open-wc/testing';
import sinon from 'sinon';
import type { SessionView } from '../../../src/contract/browser.js';
import type { VerifyErrorEvent, VerifyStepEvent } from '../../../src/elements/shared/events.js';
import { decidedView, errorOf, focusedPart, relayError, settle, statusOf, textOf } from '../helpers.js';
import { answerAll, challengeView, choose, fakeClient, inputsOf, kbaFixture, labelOf, primaryOf, questionOf, reviewOf } from './fixtures.js';
import { freshAction, kbaAction } from '../helpers.js';

const allAnswers = {
  method: 'KBA',
  answers: [
    { questionId: 'q1', choiceIds: ['q1-c2'] },
    { questionId: 'q2', choiceIds: ['q2-c1', 'q2-c3'] },
    { questionId: 'q3', choiceIds: ['q3-c2'] },
  ],
};

describe('<kba-quiz> errors', () => {
  afterEach(() => sinon.restore());

  it('wrong_answers: re-reads the view and starts again at question 1 with the new questions', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('wrong_answers', 422));
    const fresh = challengeView(freshAction({ remainingAttempts: 2 }), 3);
    client.view.resolves(fresh);
    const { el } = await kbaFixture({ client });
    const steps: SessionView[] = [];
    el.addEventListener('verify-step', (event: VerifyStepEvent) => steps.push(event.detail.view));
    await answerAll(el);
    primaryOf(el).click();
    await settle(el);

    expect(client.view.calledOnce).to.equal(true);
    expect(steps).to.deep.equal([fresh]);
    expect(errorOf(el).textContent).to.equal('Some of your answers are not right. Here are new questions. 2\u00a0attempts left.');
    expect(errorOf(el).getAttribute('role')).to.equal('alert');
    expect(reviewOf(el)).to.equal(null);
    expect(questionOf(el)).to.equal('Question 1 of 2 In which city was your first job?');
    expect(inputsOf(el).every((input) => !input.checked)).to.equal(true);
    expect(focusedPart(el)).to.equal('legend');
    expect(textOf(el)).to.contain('2 attempts left.');
    expect(el.errorCode).to.equal('wrong_answers');
    await expect(el).to.be.accessible();

    // A missing choice replaces the relay's message; choosing clears it.
    primaryOf(el).click();
    await el.updateComplete;
    expect(errorOf(el).textContent).to.equal('Choose an answer to continue.');
    // The new questionnaire is answered and sent with its own ids.
    client.answer.resolves(decidedView('ALLOW'));
    choose(el, 'Boston');
    await el.updateComplete;
    expect(errorOf(el).textContent).to.equal('');
    primaryOf(el).click();
    await el.updateComplete;
    choose(el, '555-0199');
    primaryOf(el).click();
    await el.updateComplete;
    primaryOf(el).click();
    await settle(el);
    expect(client.answer.secondCall.args[0]).to.deep.equal({
      method: 'KBA',
      answers: [
        { questionId: 'n1', choiceIds: ['n1-c2'] },
        { questionId: 'n2', choiceIds: ['n2-c2'] },
      ],
    });
  });

  it('wrong_answers: starts over even when the new questionnaire repeats the question ids', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('wrong_answers', 422));
    client.view.resolves(challengeView(kbaAction({ remainingAttempts: 1 }), 3));
    const { el } = await kbaFixture({ client });
    await answerAll(el);
    primaryOf(el).click();
    await settle(el);
    expect(errorOf(el).textContent).to.equal('Some of your answers are not right. Here are new questions. 1\u00a0attempt left.');
    expect(questionOf(el)).to.contain('Question 1 of 3');
    expect(inputsOf(el).every((input) => !input.checked)).to.equal(true);
  });

  it('quiz_expired: says time ran out and starts again with the new questions', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('quiz_expired', 422));
    client.view.resolves(challengeView(freshAction({ remainingAttempts: 2 }), 3));
    const { el } = await kbaFixture({ client });
    await answerAll(el);
    primaryOf(el).click();
    await settle(el);
    expect(errorOf(el).textContent).to.equal('Time ran out for these questions. Here are new questions. 2\u00a0attempts left.');
    expect(questionOf(el)).to.equal('Question 1 of 2 In which city was your first job?');
    expect(focusedPart(el)).to.equal('legend');
  });

  it('action_mismatch: the questions changed elsewhere; shows the current ones', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('action_mismatch', 409));
    client.view.resolves(challengeView(freshAction(), 4));
    const { el } = await kbaFixture({ client });
    await answerAll(el);
    primaryOf(el).click();
    await settle(el);
    expect(errorOf(el).textContent).to.equal('Here are new questions.');
    expect(questionOf(el)).to.contain('In which city was your first job?');
  });

  it('wrong_answers and the attempts are used up: the re-read view is the decision', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('wrong_answers', 422));
    client.view.resolves(decidedView('BLOCK'));
    const { el } = await kbaFixture({ client });
    await answerAll(el);
    const complete = oneEvent(el, 'verify-complete');
    primaryOf(el).click();
    expect((await complete).detail.decision).to.equal('BLOCK');
  });

  describe('too_many_attempts', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => clock.restore());

    it('keeps the answers, refuses Submit during the wait, counts down at milestones, then allows it', async () => {
      const client = fakeClient();
      client.answer.rejects(relayError('too_many_attempts', 429, { retryAfterSeconds: 90 }));
      const { el } = await kbaFixture({ client });
      await answerAll(el);
      primaryOf(el).click();
      await settle(el);
      expect(errorOf(el).textContent).to.equal('Too many attempts. You can try again in 1\u00a0minute 30\u00a0seconds.');
      expect(textOf(el)).to.contain('Too many attempts. You can try again in 1 minute 30 seconds.');
      expect(primaryOf(el).getAttribute('aria-disabled')).to.equal('true');
      expect(reviewOf(el)!.textContent).to.contain('Oak Avenue');
      primaryOf(el).click();
      await el.updateComplete;
      expect(client.answer.calledOnce).to.equal(true);
      clock.tick(30_000);
      await el.updateComplete;
      expect(statusOf(el).textContent!.trim()).to.equal('Too many attempts. You can try again in 1\u00a0minute.');
      clock.tick(60_000);
      await el.updateComplete;
      expect(errorOf(el).textContent).to.equal('');
      expect(statusOf(el).textContent!.trim()).to.equal('You can submit your answers again.');
      expect(primaryOf(el).getAttribute('aria-disabled')).to.equal(null);
      client.answer.resetBehavior();
      client.answer.resolves(decidedView('ALLOW'));
      primaryOf(el).click();
      await settle(el);
      expect(client.answer.calledTwice).to.equal(true);
      expect(client.answer.secondCall.args[0]).to.deep.equal(allAnswers);
    });
  });

  it('too_many_attempts without a wait: says so and re-reads the view', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('too_many_attempts', 429));
    const { el } = await kbaFixture({ client });
    await answerAll(el);
    primaryOf(el).click();
    await settle(el);
    expect(errorOf(el).textContent).to.equal('Too many attempts.');
    expect(client.view.calledOnce).to.equal(true);
  });

  for (const code of ['session_expired', 'session_invalid', 'session_unknown', 'session_finished', 'session_missing']) {
    it(`${code} ends the quiz with verify-error`, async () => {
      const client = fakeClient();
      client.answer.rejects(relayError(code, code === 'session_finished' ? 409 : 401));
      const { el } = await kbaFixture({ client });
      await answerAll(el);
      const failed = oneEvent(el, 'verify-error') as Promise<VerifyErrorEvent>;
      primaryOf(el).click();
      const { detail } = await failed;
      expect(detail.code).to.equal(code);
      await el.updateComplete;
      expect(detail.message).to.equal(errorOf(el).textContent);
      expect(detail.message).to.match(/start again|already finished/);
      expect(reviewOf(el)).to.equal(null);
      expect(primaryOf(el)).to.equal(null);
      if (code === 'session_expired') await expect(el).to.be.accessible();
    });
  }

  for (const [code, status, text] of [
    ['network_error', 0, "We can't reach the verification service."],
    ['timeout', 0, 'This is taking too long.'],
    ['upstream_unavailable', 503, 'The verification service is busy right now.'],
    ['upstream_timeout', 504, 'The verification service took too long to answer.'],
    ['internal_error', 500, 'Something went wrong on our side.'],
  ] as const) {
    it(`${code}: keeps every answer and offers Try again, which sends them again`, async () => {
      const client = fakeClient();
      client.answer.onFirstCall().rejects(relayError(code, status));
      client.answer.onSecondCall().resolves(decidedView('ALLOW'));
      const { el } = await kbaFixture({ client });
      await answerAll(el);
      primaryOf(el).click();
      await settle(el);
      expect(errorOf(el).textContent).to.contain(text);
      expect(errorOf(el).textContent).to.contain('Your answers are kept.');
      expect(reviewOf(el)!.textContent).to.contain('Oak Avenue');
      expect(reviewOf(el)!.textContent).to.contain('Tesla Model 3');
      expect(labelOf(primaryOf(el))).to.equal('Try again');
      expect(client.view.called).to.equal(false);
      if (code === 'network_error') await expect(el).to.be.accessible();
      const complete = oneEvent(el, 'verify-complete');
      primaryOf(el).click();
      await complete;
      expect(client.answer.secondCall.args[0]).to.deep.equal(allAnswers);
    });
  }

  it('a failed re-read after wrong answers offers Try again, which loads the new questions', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('wrong_answers', 422));
    client.view.onFirstCall().rejects(relayError('network_error', 0));
    client.view.onSecondCall().resolves(challengeView(freshAction(), 3));
    const { el } = await kbaFixture({ client });
    await answerAll(el);
    primaryOf(el).click();
    await settle(el);
    expect(errorOf(el).textContent).to.contain("We can't reach the verification service.");
    expect(primaryOf(el).textContent!.trim()).to.equal('Try again');
    expect(reviewOf(el)).to.equal(null);
    primaryOf(el).click();
    await settle(el);
    expect(questionOf(el)).to.contain('In which city was your first job?');
    expect(errorOf(el).textContent).to.equal('');
  });
});
