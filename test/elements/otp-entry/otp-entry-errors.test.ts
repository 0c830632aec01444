import { expect, oneEvent } from '@open-wc/testing';
import sinon from 'sinon';
import { VerifyErrorEvent } from '../../../src/elements/shared/events.js';
import { errorOf, relayError, settle, statusOf, textOf, focusedPart } from '../helpers.js';
import { challengeView, fakeClient, inputOf, otpFixture, resendButtonOf, typeInto, verifyButtonOf } from './fixtures.js';
import { otpAction } from '../helpers.js';

describe('<otp-entry> errors', () => {
  afterEach(() => sinon.restore());

  describe('wrong code', () => {
    it('says so with the attempts left, clears and focuses the input, and refreshes the counts', async () => {
      const client = fakeClient();
      client.answer.rejects(relayError('wrong_code', 422));
      const refreshed = challengeView(otpAction({ remainingAttempts: 2 }), 3);
      client.view.resolves(refreshed);
      const { el } = await otpFixture({ client, action: otpAction({ remainingAttempts: 3 }) });
      const steps: unknown[] = [];
      el.addEventListener('verify-step', (event) => steps.push(event.detail.view));
      // Submitted with the Verify button, so focus has to come back to the field.
      el.value = '000000';
      await el.updateComplete;
      verifyButtonOf(el).focus();
      verifyButtonOf(el).click();
      await settle(el);

      const input = inputOf(el);
      expect(client.answer.calledOnceWith({ method: 'OTP', otp: '000000' })).to.equal(true);
      expect(errorOf(el).textContent).to.equal("That code isn't right. 2\u00a0attempts left.");
      expect(errorOf(el).getAttribute('role')).to.equal('alert');
      expect(input.value).to.equal('');
      expect(input.readOnly).to.equal(false);
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      expect(focusedPart(el)).to.equal('input');
      expect(el.errorCode).to.equal('wrong_code');
      expect(client.view.calledOnce).to.equal(true);
      expect(steps).to.deep.equal([refreshed]);
      expect(textOf(el)).to.contain('2 attempts left.');
      await expect(el).to.be.accessible();
    });

    it('corrects the count when the relay knows better than the estimate', async () => {
      const client = fakeClient();
      client.answer.rejects(relayError('wrong_code', 422));
      client.view.resolves(challengeView(otpAction({ remainingAttempts: 1 }), 3));
      const { el } = await otpFixture({ client, action: otpAction({ remainingAttempts: 3 }) });
      typeInto(el, '000000');
      await settle(el);
      expect(errorOf(el).textContent).to.equal("That code isn't right. 1\u00a0attempt left.");
    });

    it('never guesses the attempts left: one alert, once the session has read the view again', async () => {
      const client = fakeClient();
      client.answer.rejects(relayError('wrong_code', 422));
      let answerView!: (view: ReturnType<typeof challengeView>) => void;
      client.view.callsFake(() => new Promise((resolve) => (answerView = resolve)));
      const { el } = await otpFixture({ client, action: otpAction({ remainingAttempts: 3 }) });
      typeInto(el, '000000');
      await settle(el);
      expect(client.view.calledOnce).to.equal(true);
      expect(errorOf(el).textContent).to.equal('');
      answerView(challengeView(otpAction({ remainingAttempts: 2 }), 3));
      await settle(el);
      expect(errorOf(el).textContent).to.equal("That code isn't right. 2\u00a0attempts left.");
    });

    it('says what happened without a count when the view cannot be read again', async () => {
      const client = fakeClient();
      client.answer.rejects(relayError('wrong_code', 422));
      client.view.rejects(relayError('network_error', 0));
      const { el } = await otpFixture({ client, action: otpAction({ remainingAttempts: 3 }) });
      typeInto(el, '000000');
      await settle(el);
      expect(errorOf(el).textContent).to.equal("That code isn't right.");
    });

    it('clears the alert while submitting, so the same message is announced again', async () => {
      const client = fakeClient();
      client.answer.rejects(relayError('wrong_code', 422));
      const { el } = await otpFixture({ client, action: otpAction({ remainingAttempts: null }) });
      typeInto(el, '000000');
      await settle(el);
      expect(errorOf(el).textContent).to.equal("That code isn't right.");
      client.answer.resetBehavior();
      client.answer.callsFake(() => new Promise(() => {}));
      typeInto(el, '111111');
      await el.updateComplete;
      expect(errorOf(el).textContent).to.equal('');
    });
  });

  it('re-announces a repeated validation error by dropping role="alert" for one frame', async () => {
    const { el, client } = await otpFixture();
    typeInto(el, '12');
    verifyButtonOf(el).click();
    await el.updateComplete;
    expect(errorOf(el).textContent).to.equal('Enter all 6 digits.');
    expect(errorOf(el).getAttribute('role')).to.equal('alert');
    verifyButtonOf(el).click();
    await el.updateComplete;
    expect(errorOf(el).textContent).to.equal('Enter all 6 digits.');
    expect(errorOf(el).getAttribute('role')).to.equal('none');
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await el.updateComplete;
    expect(errorOf(el).getAttribute('role')).to.equal('alert');
    expect(client.answer.called).to.equal(false);
  });

  it('expired code: tells the shopper to get a new one and takes focus to Resend', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('code_expired', 422));
    const { el } = await otpFixture({ client });
    typeInto(el, '123456');
    await settle(el);
    expect(errorOf(el).textContent).to.equal('That code has expired. Request a new code.');
    expect(inputOf(el).value).to.equal('');
    expect(focusedPart(el)).to.equal('resend');
    await expect(el).to.be.accessible();
  });

  describe('lockout', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => clock.restore());

    it('after 429 too_many_attempts: refuses input, counts the wait down, then re-enables', async () => {
      const client = fakeClient();
      client.answer.rejects(relayError('too_many_attempts', 429, { retryAfterSeconds: 300 }));
      const { el } = await otpFixture({ client });
      el.focus();
      typeInto(el, '999999');
      await settle(el);

      const input = inputOf(el);
      expect(errorOf(el).textContent).to.equal('Too many wrong codes.');
      expect(input.getAttribute('aria-disabled')).to.equal('true');
      expect(input.readOnly).to.equal(true);
      expect(verifyButtonOf(el).getAttribute('aria-disabled')).to.equal('true');
      expect(textOf(el)).to.contain('You can try again in 5 minutes.');
      expect(statusOf(el).textContent!.trim()).to.equal('You can try again in 5\u00a0minutes.');
      // Focus stays on the field (it is inert, not disabled), so keyboard users are not lost.
      expect(focusedPart(el)).to.equal('input');

      typeInto(el, '123456');
      verifyButtonOf(el).click();
      await el.updateComplete;
      expect(client.answer.calledOnce).to.equal(true);

      clock.tick(1000);
      await el.updateComplete;
      expect(textOf(el)).to.contain('You can try again in 4 minutes 59 seconds.');
      expect(statusOf(el).textContent!.trim()).to.equal('You can try again in 5\u00a0minutes.');
      clock.tick(59_000);
      await el.updateComplete;
      expect(statusOf(el).textContent!.trim()).to.equal('You can try again in 4\u00a0minutes.');

      clock.tick(240_000);
      await el.updateComplete;
      expect(input.getAttribute('aria-disabled')).to.equal(null);
      expect(input.readOnly).to.equal(false);
      expect(errorOf(el).textContent).to.equal('');
      expect(statusOf(el).textContent!.trim()).to.equal('You can enter a code again. One more wrong code starts another wait.');
      typeInto(el, '123456');
      await el.updateComplete;
      expect(client.answer.calledTwice).to.equal(true);
    });

    it('when the view says the session is locked', async () => {
      const { el, client } = await otpFixture({ action: otpAction({ lockedForSeconds: 45 }) });
      expect(inputOf(el).getAttribute('aria-disabled')).to.equal('true');
      expect(textOf(el)).to.contain('You can try again in 45 seconds.');
      typeInto(el, '123456');
      await el.updateComplete;
      expect(client.answer.called).to.equal(false);
      clock.tick(45_000);
      await el.updateComplete;
      expect(inputOf(el).getAttribute('aria-disabled')).to.equal(null);
    });
  });

  it('is accessible while locked', async () => {
    const { el } = await otpFixture({ action: otpAction({ lockedForSeconds: 120 }) });
    await expect(el).to.be.accessible();
  });

  describe('resend errors', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => clock.restore());

    it('resend_too_soon: counts down from retryAfterSeconds', async () => {
      const client = fakeClient();
      client.resend.rejects(relayError('resend_too_soon', 429, { retryAfterSeconds: 20 }));
      const { el } = await otpFixture({ client });
      resendButtonOf(el)!.click();
      await settle(el);
      expect(errorOf(el).textContent).to.equal('Please wait a moment before requesting another code.');
      expect(resendButtonOf(el)!.getAttribute('aria-disabled')).to.equal('true');
      expect(textOf(el)).to.contain('You can request a new code in 20 seconds.');
      clock.tick(20_000);
      await el.updateComplete;
      expect(resendButtonOf(el)!.getAttribute('aria-disabled')).to.equal(null);
    });

    it('resend_limit_reached: the button goes, with a message', async () => {
      const client = fakeClient();
      client.resend.rejects(relayError('resend_limit_reached', 429));
      const { el } = await otpFixture({ client });
      resendButtonOf(el)!.focus();
      resendButtonOf(el)!.click();
      await settle(el);
      expect(resendButtonOf(el)).to.equal(null);
      expect(errorOf(el).textContent).to.equal("You can't request any more codes.");
      expect(textOf(el)).to.contain('Use the last code we sent.');
      expect(focusedPart(el)).to.equal('input');
    });
  });

  for (const [code, status, expected] of [
    ['network_error', 0, "We can't reach the verification service."],
    ['timeout', 0, 'This is taking too long.'],
    ['upstream_unavailable', 503, 'The verification service is busy right now.'],
    ['upstream_timeout', 504, 'The verification service took too long to answer.'],
    ['internal_error', 500, 'Something went wrong on our side.'],
  ] as const) {
    it(`${code}: explains, keeps the code and the typed error, and Verify tries again`, async () => {
      const client = fakeClient();
      client.answer.onFirstCall().rejects(relayError(code, status));
      const { el } = await otpFixture({ client });
      typeInto(el, '123456');
      await settle(el);
      expect(errorOf(el).textContent).to.contain(expected);
      expect(el.errorCode).to.equal(code);
      expect(inputOf(el).value).to.equal('123456');
      expect(inputOf(el).readOnly).to.equal(false);
      verifyButtonOf(el).click();
      await el.updateComplete;
      expect(client.answer.calledTwice).to.equal(true);
      expect(client.answer.secondCall.args[0]).to.deep.equal({ method: 'OTP', otp: '123456' });
    });
  }

  for (const code of ['session_expired', 'session_invalid', 'session_missing'] as const) {
    it(`${code}: explains and emits verify-error`, async () => {
      const client = fakeClient();
      client.answer.rejects(relayError(code, 401));
      const { el } = await otpFixture({ client });
      const event = oneEvent(el, 'verify-error');
      typeInto(el, '123456');
      const error = await event;
      expect(error).to.be.instanceOf(VerifyErrorEvent);
      expect(error.detail.code).to.equal(code);
      expect(error.detail.message).to.match(/start again/);
      expect(error.bubbles && error.composed).to.equal(true);
      await settle(el);
      expect(errorOf(el).textContent).to.equal(error.detail.message);
      expect(inputOf(el).getAttribute('aria-disabled')).to.equal('true');
      expect(resendButtonOf(el)).to.equal(null);
      await expect(el).to.be.accessible();
    });
  }

  it('action_mismatch: refreshes the view to where the session is now', async () => {
    const client = fakeClient();
    client.answer.rejects(relayError('action_mismatch', 409));
    client.view.resolves({ state: 'decided', decision: 'REVIEW', revision: 5 });
    const { el } = await otpFixture({ client });
    const complete = oneEvent(el, 'verify-complete');
    typeInto(el, '123456');
    expect((await complete).detail.decision).to.equal('REVIEW');
  });

  describe('untrusted text', () => {
    it('shows markup in the destination literally', async () => {
      const destination = '<img src=x onerror="window.__pwned=1">';
      const { el } = await otpFixture({ action: otpAction({ destination }) });
      expect(el.shadowRoot!.querySelector('img')).to.equal(null);
      expect(textOf(el)).to.contain(destination);
      expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
    });

    it("never renders the relay's own error message, even with markup", async () => {
      const client = fakeClient();
      const { RelayError } = await import('../../../src/client/index.js');
      client.answer.rejects(new RelayError('brand_new_code', '<img src=x onerror="window.__pwned=1">', { status: 400 }));
      const { el } = await otpFixture({ client });
      typeInto(el, '123456');
      await settle(el);
      expect(errorOf(el).textContent).to.equal('Something went wrong. Please try again.');
      expect(el.errorCode).to.equal('brand_new_code');
      expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    });

    it('shows markup in page-supplied strings literally', async () => {
      const { el } = await otpFixture();
      el.messages = { otpLabel: '<b>Code</b>' };
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('b')).to.equal(null);
      expect(el.shadowRoot!.querySelector('label')!.textContent).to.equal('<b>Code</b>');
    });
  });
});
