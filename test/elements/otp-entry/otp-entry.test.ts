import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import { VerifyCompleteEvent, VerifyStepEvent } from '../../../src/elements/shared/events.js';
import { OtpEntry } from '../../../src/elements/otp-entry/otp-entry.js';
import { decidedView, errorOf, relayError, settle, statusOf, textOf, focusedPart } from '../helpers.js';
import { challengeView, fakeClient, inputOf, otpFixture, pasteInto, resendButtonOf, webOtp, typeInto, verifyButtonOf } from './fixtures.js';
import { otpAction } from '../helpers.js';

describe('<otp-entry>', () => {
  afterEach(() => sinon.restore());

  describe('rendering', () => {
    it('is registered and renders one labelled one-time-code input', async () => {
      const { el } = await otpFixture();
      expect(customElements.get('otp-entry')).to.equal(OtpEntry);
      const input = inputOf(el);
      const inputs = el.shadowRoot!.querySelectorAll('input');
      expect(inputs.length).to.equal(1);
      expect(input.getAttribute('autocomplete')).to.equal('one-time-code');
      expect(input.getAttribute('inputmode')).to.equal('numeric');
      expect(input.getAttribute('pattern')).to.equal('\\d*');
      expect(input.getAttribute('maxlength')).to.equal('6');
      expect(input.getAttribute('dir')).to.equal('ltr');
      const label = el.shadowRoot!.querySelector('label')!;
      expect(label.htmlFor).to.equal(input.id);
      expect(label.textContent!.trim()).to.equal('Verification code');
      for (const id of input.getAttribute('aria-describedby')!.split(' ')) {
        expect(el.shadowRoot!.getElementById(id), id).to.exist;
      }
    });

    it('shows the masked destination and, while plenty are left, no counts: one line of state at most', async () => {
      const { el } = await otpFixture({ action: otpAction({ remainingAttempts: 3, remainingResends: 2, resendAvailableInSeconds: 0 }) });
      const text = textOf(el);
      expect(text).to.contain('We sent a 6-digit code to');
      expect(text).to.contain('+1 *** *** 4567');
      expect(text).not.to.contain('attempts left');
      expect(text).not.to.contain('new codes left');
      expect(el.shadowRoot!.querySelector('#details')!.textContent).to.equal('');
      expect(el.shadowRoot!.querySelector('#sent svg.icon')).to.exist;
    });

    it('counts the attempts and new codes once few are left', async () => {
      const { el } = await otpFixture({ action: otpAction({ remainingAttempts: 2, remainingResends: 1, resendAvailableInSeconds: 0 }) });
      expect(el.shadowRoot!.querySelector('#details')!.textContent).to.equal('2\u00a0attempts left.');
      expect(el.shadowRoot!.querySelector('#resend-wait')!.textContent).to.equal('1\u00a0new code left.');
    });

    it('follows codeLength and leaves out counts the relay does not know', async () => {
      const { el } = await otpFixture({
        action: otpAction({ codeLength: 8, remainingAttempts: null, remainingResends: null, channel: 'EMAIL', destination: 'o***@example.com' }),
      });
      expect(inputOf(el).getAttribute('maxlength')).to.equal('8');
      const text = textOf(el);
      expect(text).to.contain('We emailed a 8-digit code to');
      expect(text).not.to.contain('attempt');
      expect(text).not.to.contain('new codes left');
    });

    it('shows when the code expires only near the end, in minutes while there are minutes', async () => {
      const clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const { el } = await otpFixture({ action: otpAction({ codeExpiresInSeconds: 600 }) });
      expect(textOf(el)).not.to.contain('expires');
      clock.tick(480_000);
      await el.updateComplete;
      expect(textOf(el)).to.contain('The code expires in 2 minutes.');
      clock.tick(110_000);
      await el.updateComplete;
      expect(textOf(el)).to.contain('The code expires in 10 seconds.');
      clock.tick(10_000);
      await el.updateComplete;
      expect(textOf(el)).to.contain('That code has expired. Request a new code.');
      expect(statusOf(el).textContent).to.contain('That code has expired.');
      clock.restore();
    });

    it('is accessible when idle', async () => {
      const { el } = await otpFixture();
      await expect(el).to.be.accessible();
    });

    it('is themed by --verify-* tokens, --otp-entry-* properties and ::part', async () => {
      const style = document.createElement('style');
      style.textContent = `
        .themed { --verify-color-accent: rgb(1, 2, 3); --verify-color-border: rgb(4, 5, 6); }
        .themed.own { --otp-entry-accent: rgb(7, 8, 9); }
        .themed::part(input) { outline-offset: 7px; }
        .themed::part(slot) { border-radius: 3px; }
      `;
      document.head.append(style);
      try {
        const el = await fixture<OtpEntry>(html`<otp-entry class="themed"></otp-entry>`);
        expect(getComputedStyle(verifyButtonOf(el)).backgroundColor).to.equal('rgb(1, 2, 3)');
        const slot = el.shadowRoot!.querySelector('[part~="slot"]')!;
        expect(getComputedStyle(slot).borderTopColor).to.equal('rgb(4, 5, 6)');
        expect(getComputedStyle(slot).borderTopLeftRadius).to.equal('3px');
        expect(getComputedStyle(inputOf(el)).outlineOffset).to.equal('7px');
        const field = await fixture<OtpEntry>(html`<otp-entry class="themed" appearance="field"></otp-entry>`);
        expect(getComputedStyle(inputOf(field)).borderTopColor).to.equal('rgb(4, 5, 6)');
        // A new element rather than a class change: the button's colour transition would show the old value.
        const own = await fixture<OtpEntry>(html`<otp-entry class="themed own"></otp-entry>`);
        expect(getComputedStyle(verifyButtonOf(own)).backgroundColor).to.equal('rgb(7, 8, 9)');
      } finally {
        style.remove();
      }
    });

    it('forwards the host aria-label to the input', async () => {
      const el = await fixture<OtpEntry>(html`<otp-entry aria-label="Code from your bank"></otp-entry>`);
      expect(inputOf(el).getAttribute('aria-label')).to.equal('Code from your bank');
      await expect(el).to.be.accessible();
    });

    it('uses an outer <label for> as the input name', async () => {
      const wrapper = await fixture<HTMLFormElement>(
        html`<form><label for="otp">Card code</label><otp-entry id="otp"></otp-entry></form>`,
      );
      const el = wrapper.querySelector('otp-entry')!;
      el.requestUpdate();
      await el.updateComplete;
      expect(inputOf(el).getAttribute('aria-label')).to.equal('Card code');
    });
  });

  describe('typing and submitting', () => {
    it('submits automatically once the code is complete', async () => {
      const { el, client } = await otpFixture();
      typeInto(el, '12345');
      await el.updateComplete;
      expect(client.answer.called).to.equal(false);
      typeInto(el, '123456');
      await el.updateComplete;
      expect(client.answer.calledOnce).to.equal(true);
      expect(client.answer.firstCall.args[0]).to.deep.equal({ method: 'OTP', otp: '123456' });
      expect(client.answer.firstCall.args[1]).to.be.instanceOf(AbortSignal);
    });

    it('types with real key events and shows the busy state while submitting', async () => {
      const { el, client } = await otpFixture();
      el.focus();
      expect(focusedPart(el)).to.equal('input');
      await sendKeys({ type: '482913' });
      await el.updateComplete;
      expect(client.answer.calledOnceWith({ method: 'OTP', otp: '482913' })).to.equal(true);
      const input = inputOf(el);
      expect(input.readOnly).to.equal(true);
      expect(el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('aria-busy')).to.equal('true');
      expect(verifyButtonOf(el).getAttribute('aria-disabled')).to.equal('true');
      expect(verifyButtonOf(el).getAttribute('aria-label')).to.equal('Verifying…');
      await expect(el).to.be.accessible();
    });

    it('normalises a pasted "123 456" or "123-456" to digits and submits', async () => {
      for (const pasted of ['123 456', '123-456', ' 12 34 56 ', 'Your code is 123456']) {
        const { el, client } = await otpFixture();
        const notCancelled = pasteInto(el, pasted);
        await el.updateComplete;
        expect(notCancelled, pasted).to.equal(false);
        expect(el.value, pasted).to.equal('123456');
        expect(inputOf(el).value, pasted).to.equal('123456');
        expect(client.answer.calledOnceWith({ method: 'OTP', otp: '123456' }), pasted).to.equal(true);
      }
    });

    it('accepts digits typed on an Arabic keyboard', async () => {
      const { el, client } = await otpFixture();
      typeInto(el, '١٢٣٤٥٦');
      await el.updateComplete;
      expect(client.answer.calledOnceWith({ method: 'OTP', otp: '123456' })).to.equal(true);
    });

    it('says "digits only" for a letter instead of dropping it silently', async () => {
      const { el, client } = await otpFixture();
      typeInto(el, '12a');
      await el.updateComplete;
      expect(errorOf(el).textContent).to.equal('Use digits only.');
      expect(inputOf(el).getAttribute('aria-invalid')).to.equal('true');
      typeInto(el, '12');
      await el.updateComplete;
      expect(errorOf(el).textContent).to.equal('');
      expect(inputOf(el).getAttribute('aria-invalid')).to.equal('false');
      expect(client.answer.called).to.equal(false);
    });

    it('on Enter with an incomplete code, says what is missing and does not submit', async () => {
      const { el, client } = await otpFixture();
      el.focus();
      await sendKeys({ type: '123' });
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(client.answer.called).to.equal(false);
      expect(errorOf(el).textContent).to.equal('Enter all 6 digits.');
      expect(focusedPart(el)).to.equal('input');
    });

    it('is usable with the keyboard alone: Tab goes input, Verify, Resend; Enter retries', async () => {
      const client = fakeClient();
      client.answer.onFirstCall().rejects(new (await import('../../../src/client/index.js')).RelayError('network_error', 'offline'));
      const wrapper = await fixture<HTMLDivElement>(
        html`<div><button id="before">before</button><otp-entry lang="en" .client=${client} .action=${otpAction()}></otp-entry></div>`,
      );
      const el = wrapper.querySelector('otp-entry')!;
      await el.updateComplete;
      wrapper.querySelector<HTMLButtonElement>('#before')!.focus();
      await sendKeys({ press: 'Tab' });
      expect(focusedPart(el)).to.equal('input');
      await sendKeys({ type: '111222' });
      await settle(el);
      expect(client.answer.calledOnce).to.equal(true);
      expect(errorOf(el).textContent).to.contain("We can't reach the verification service.");
      expect(el.value).to.equal('111222');
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(client.answer.calledTwice).to.equal(true);
      await sendKeys({ press: 'Tab' });
      expect(focusedPart(el)).to.equal('button');
      await sendKeys({ press: 'Tab' });
      expect(focusedPart(el)).to.equal('resend');
    });
  });

  describe('after a successful answer', () => {
    it('reports the view and the decision', async () => {
      const client = fakeClient();
      client.answer.resolves(decidedView('ALLOW'));
      const { el } = await otpFixture({ client });
      const step = oneEvent(el, 'verify-step');
      const complete = oneEvent(el, 'verify-complete');
      typeInto(el, '123456');
      const stepEvent = await step;
      const completeEvent = await complete;
      expect(stepEvent).to.be.instanceOf(VerifyStepEvent);
      expect(stepEvent.detail.view).to.deep.equal(decidedView('ALLOW'));
      expect(completeEvent).to.be.instanceOf(VerifyCompleteEvent);
      expect(completeEvent.detail.decision).to.equal('ALLOW');
      expect(completeEvent.bubbles && completeEvent.composed).to.equal(true);
      await el.updateComplete;
      expect(inputOf(el).getAttribute('aria-disabled')).to.equal('true');
    });

    it('takes the next OTP action when the challenge goes on', async () => {
      const client = fakeClient();
      const next = otpAction({ channel: 'EMAIL', destination: 'j***@example.com', codeLength: 8 });
      client.answer.resolves(challengeView(next, 3));
      const { el } = await otpFixture({ client });
      const complete = sinon.spy();
      el.addEventListener('verify-complete', complete);
      typeInto(el, '123456');
      await settle(el);
      expect(el.action).to.deep.equal(next);
      expect(el.value).to.equal('');
      expect(inputOf(el).getAttribute('maxlength')).to.equal('8');
      expect(textOf(el)).to.contain('j***@example.com');
      expect(complete.called).to.equal(false);
    });
  });

  describe('resend', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => clock.restore());

    it('waits out the countdown, then sends a new code and restarts it', async () => {
      const client = fakeClient();
      client.resend.resolves(challengeView(otpAction({ resendAvailableInSeconds: 30, remainingResends: 1 }), 3));
      const { el } = await otpFixture({ client, action: otpAction({ resendAvailableInSeconds: 30, remainingResends: 2 }) });
      const resend = resendButtonOf(el)!;
      expect(resend.getAttribute('aria-disabled')).to.equal('true');
      expect(textOf(el)).to.contain('You can request a new code in 30 seconds.');

      clock.tick(1000);
      await el.updateComplete;
      expect(textOf(el)).to.contain('You can request a new code in 29 seconds.');
      // Milestones only: nothing is announced while counting.
      expect(statusOf(el).textContent!.trim()).to.equal('');

      clock.tick(29_000);
      await el.updateComplete;
      expect(resendButtonOf(el)!.getAttribute('aria-disabled')).to.equal(null);
      expect(statusOf(el).textContent!.trim()).to.equal('You can request a new code now.');

      resendButtonOf(el)!.click();
      await settle(el);
      expect(client.resend.calledOnce).to.equal(true);
      const sent = 'We sent a new 6-digit code to \u2066+1\u00a0***\u00a0***\u00a04567\u2069.';
      expect(statusOf(el).textContent!.trim()).to.equal(`${sent} Only the newest code works.`);
      // Seen as well as heard, in one line above the field: a new code went out, and the old one died.
      expect(el.shadowRoot!.querySelector('#sent')!.textContent).to.equal(`${sent} Only the newest code works.`);
      expect(resendButtonOf(el)!.getAttribute('aria-disabled')).to.equal('true');
      // Beside the button, one line: its countdown now, the new codes left once it has run.
      expect(textOf(el)).to.contain('You can request a new code in 30 seconds.');
      expect(textOf(el)).not.to.contain('new code left');
      clock.tick(30_000);
      await el.updateComplete;
      expect(textOf(el)).to.contain('1 new code left');
      expect(focusedPart(el)).to.equal('input');
    });

    it('ignores clicks while the countdown runs', async () => {
      const { el, client } = await otpFixture({ action: otpAction({ resendAvailableInSeconds: 10 }) });
      // It stays focusable and clickable (aria-disabled), so the click itself must do nothing.
      expect(resendButtonOf(el)!.disabled).to.equal(false);
      resendButtonOf(el)!.click();
      await el.updateComplete;
      expect(client.resend.called).to.equal(false);
    });

    it('hides the button with a message when no sends are left', async () => {
      const { el } = await otpFixture({ action: otpAction({ remainingResends: 0 }) });
      expect(resendButtonOf(el)).to.equal(null);
      expect(textOf(el)).to.contain("You can't request any more codes.");
    });
  });

  describe('WebOTP', () => {
    it('asks for the SMS code and aborts the request on submit', async () => {
      const { el } = await otpFixture();
      expect(webOtp.get.calledOnce).to.equal(true);
      expect(webOtp.get.firstCall.args[0]).to.deep.include({ otp: { transport: ['sms'] } });
      expect(webOtp.signals[0]!.aborted).to.equal(false);
      typeInto(el, '123456');
      await el.updateComplete;
      expect(webOtp.signals[0]!.aborted).to.equal(true);
    });

    it('aborts the request when the element leaves the page', async () => {
      const { el } = await otpFixture();
      expect(webOtp.signals[0]!.aborted).to.equal(false);
      el.remove();
      expect(webOtp.signals[0]!.aborted).to.equal(true);
    });

    it('fills and submits the code it receives', async () => {
      const { el, client } = await otpFixture();
      webOtp.resolveLatest('654321');
      await settle(el);
      expect(inputOf(el).value).to.equal('654321');
      expect(client.answer.calledOnceWith({ method: 'OTP', otp: '654321' })).to.equal(true);
    });

    it('does not listen for e-mailed codes', async () => {
      await otpFixture({ action: otpAction({ channel: 'EMAIL', destination: 'o***@example.com' }) });
      expect(webOtp.get.called).to.equal(false);
    });

    it('listens again after a new code was sent', async () => {
      const client = fakeClient();
      client.answer.rejects(relayError('wrong_code', 422));
      client.resend.resolves(challengeView(otpAction({ resendAvailableInSeconds: 30 }), 3));
      const { el } = await otpFixture({ client });
      typeInto(el, '000000');
      await settle(el);
      expect(webOtp.signals[0]!.aborted).to.equal(true);
      resendButtonOf(el)!.click();
      await settle(el);
      expect(webOtp.get.calledTwice).to.equal(true);
      expect(webOtp.signals[1]!.aborted).to.equal(false);
    });
  });

  describe('standalone with relay/session attributes', () => {
    it('loads the view from the relay and renders it', async () => {
      const fetchStub = sinon.stub(window, 'fetch').resolves(
        new Response(JSON.stringify(challengeView(otpAction({ destination: '+44 **** 999' }))), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
      );
      const el = await fixture<OtpEntry>(html`<otp-entry relay="/verify" session="handle-1"></otp-entry>`);
      await waitUntil(() => el.action !== undefined, 'view not loaded');
      await el.updateComplete;
      const [url, init] = fetchStub.firstCall.args as [string, RequestInit];
      expect(url).to.equal('/verify/session');
      expect((init.headers as Record<string, string>).authorization).to.equal('Bearer handle-1');
      expect(textOf(el)).to.contain('+44 **** 999');
    });

    it('offers Try again when the view cannot load', async () => {
      const fetchStub = sinon.stub(window, 'fetch').rejects(new TypeError('Failed to fetch'));
      const el = await fixture<OtpEntry>(html`<otp-entry relay="/verify"></otp-entry>`);
      await waitUntil(() => el.errorCode === 'network_error', 'no error shown');
      await el.updateComplete;
      const retry = verifyButtonOf(el);
      expect(retry.textContent!.trim()).to.equal('Try again');
      fetchStub.resolves(new Response(JSON.stringify(challengeView()), { status: 200 }));
      retry.click();
      await waitUntil(() => el.action !== undefined, 'not reloaded');
      expect(fetchStub.calledTwice).to.equal(true);
    });
  });

  describe('without a relay (a plain form field)', () => {
    it('submits its form once the code is complete', async () => {
      const form = await fixture<HTMLFormElement>(html`<form><otp-entry name="otp"></otp-entry></form>`);
      const el = form.querySelector('otp-entry')!;
      const submitted = new Promise<FormData>((resolve) =>
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          resolve(new FormData(form));
        }),
      );
      typeInto(el, '246810');
      const data = await Promise.race([submitted, aTimeout(1000).then(() => null)]);
      expect(data?.get('otp')).to.equal('246810');
    });
  });
});
