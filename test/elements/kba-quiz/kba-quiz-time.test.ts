import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { errorOf, focusedPart, settle, statusOf } from '../helpers.js';
import { challengeView, choose, fakeClient, inputsOf, kbaFixture, primaryOf, questionOf, timerOf } from './fixtures.js';
import { freshAction, kbaAction } from '../helpers.js';

describe('<kba-quiz> time limit', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    clock.restore();
    sinon.restore();
  });

  it('has no countdown without a limit', async () => {
    const { el } = await kbaFixture({ action: kbaAction({ timeLimitSeconds: null }) });
    expect(timerOf(el)).to.equal(null);
    clock.tick(600_000);
    await el.updateComplete;
    expect(statusOf(el).textContent!.trim()).to.equal('');
  });

  it('counts down visibly every second but announces only each minute, 30 s and 10 s', async () => {
    const { el } = await kbaFixture({ action: kbaAction({ timeLimitSeconds: 150 }) });
    expect(timerOf(el)!.textContent).to.equal('Time left: 2:30');
    const said: string[] = [];
    const record = async () => {
      await el.updateComplete;
      const text = statusOf(el).textContent!.trim();
      if (text && said.at(-1) !== text) said.push(text);
    };
    for (let second = 1; second < 150; second++) {
      clock.tick(1000);
      await record();
      if (second === 1) expect(timerOf(el)!.textContent).to.equal('Time left: 2:29');
      if (second === 31) expect(timerOf(el)!.textContent).to.equal('Time left: 1:59');
    }
    expect(timerOf(el)!.textContent).to.equal('Time left: 0:01');
    expect(said).to.deep.equal([
      '2\u00a0minutes left to answer.',
      '1\u00a0minute left to answer.',
      '30\u00a0seconds left to answer.',
      '10\u00a0seconds left to answer.',
    ]);
  });

  it('at 0 says time is up and refreshes the view; new questions start at question 1', async () => {
    const client = fakeClient();
    client.view.resolves(challengeView(freshAction({ timeLimitSeconds: 120 }), 5));
    const { el } = await kbaFixture({ client, action: kbaAction({ timeLimitSeconds: 20 }) });
    choose(el, 'Oak Avenue');
    primaryOf(el).click();
    await el.updateComplete;
    clock.tick(20_000);
    await settle(el);
    expect(client.view.calledOnce).to.equal(true);
    expect(errorOf(el).textContent).to.equal("Time's up for these questions. Here are new questions.");
    expect(questionOf(el)).to.equal('Question 1 of 2 In which city was your first job?');
    expect(focusedPart(el)).to.equal('legend');
    expect(timerOf(el)!.textContent).to.equal('Time left: 2:00');
  });

  it('a view whose time is already up says so at once, without a countdown', async () => {
    const { el, client } = await kbaFixture({ action: kbaAction({ timeLimitSeconds: 0 }) });
    expect(errorOf(el).textContent).to.equal("Time's up for these questions.");
    expect(timerOf(el)).to.equal(null);
    expect(client.view.called).to.equal(false);
  });

  it('at 0 when the relay still gives time for the same questions: the countdown goes on, the alert goes', async () => {
    const client = fakeClient();
    client.view.resolves(challengeView(kbaAction({ timeLimitSeconds: 3 }), 3));
    const { el } = await kbaFixture({ client, action: kbaAction({ timeLimitSeconds: 5 }) });
    choose(el, 'Oak Avenue');
    clock.tick(5_000);
    await settle(el);
    expect(client.view.calledOnce).to.equal(true);
    expect(errorOf(el).textContent).to.equal('');
    expect(timerOf(el)!.textContent).to.equal('Time left: 0:03');
    expect(inputsOf(el)[1]!.checked).to.equal(true);
  });

  it('at 0 with the same (expired) questionnaire: says time is up and keeps the answers', async () => {
    const client = fakeClient();
    client.view.resolves(challengeView(kbaAction({ timeLimitSeconds: 0 }), 3));
    const { el } = await kbaFixture({ client, action: kbaAction({ timeLimitSeconds: 5 }) });
    choose(el, 'Oak Avenue');
    clock.tick(5_000);
    await settle(el);
    expect(client.view.calledOnce).to.equal(true);
    expect(errorOf(el).textContent).to.equal("Time's up for these questions.");
    expect(errorOf(el).getAttribute('role')).to.equal('alert');
    expect(timerOf(el)).to.equal(null);
    expect(inputsOf(el)[1]!.checked).to.equal(true);
    // axe schedules its work with setTimeout: real timers for it.
    clock.restore();
    await expect(el).to.be.accessible();
  });
});
