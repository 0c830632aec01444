import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import type { OthStatus } from '../../../src/contract/browser.js';
import { OthWaiting } from '../../../src/elements/oth-waiting/oth-waiting.js';
import { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from '../../../src/elements/shared/events.js';
import { errorOf, focusedPart, relayError, settle, statusOf, textOf } from '../helpers.js';
import { channelButtonsOf, eventStream, fakeClient, othFixture, progressOf, resendButtonOf, viewEvent } from './fixtures.js';
import { decided, othAction, othView } from '../helpers.js';

describe('<oth-waiting>', () => {
  afterEach(() => sinon.restore());

  describe('rendering', () => {
    it('is registered and says where the link went, isolated left to right, and that it is waiting', async () => {
      const { el } = await othFixture();
      expect(customElements.get('oth-waiting')).to.equal(OthWaiting);
      const sent = el.shadowRoot!.querySelector('#sent')!;
      expect(sent.textContent).to.contain('We emailed a link to \u2066j***@example.com\u2069');
      expect(textOf(el)).to.contain('Open the link on any device to continue.');
      // One instruction line, with the channel's icon; one state line under it.
      expect(sent.querySelectorAll('p').length).to.equal(0);
      expect(sent.querySelector('[part="icon"]')!.getAttribute('aria-hidden')).to.equal('true');
      expect(progressOf(el)!.textContent).to.contain('Waiting for you to open the link…');
      expect(el.shadowRoot!.querySelector('[part="indicator"]')!.getAttribute('aria-hidden')).to.equal('true');
      expect(textOf(el)).to.contain('2 new links left');
      expect(resendButtonOf(el)!.textContent!.trim()).to.equal('Send a new link');
      // Nothing said yet: the first status is on screen, read with the rest.
      expect(statusOf(el).textContent!.trim()).to.equal('');
      await expect(el).to.be.accessible();
    });

    it('texts: says so for SMS and offers e-mail instead', async () => {
      const { el } = await othFixture({ action: othAction({ channel: 'SMS', destination: '+1 *** *** 4567', otherChannels: ['EMAIL'] }) });
      expect(textOf(el)).to.contain('We texted a link to \u2066+1 *** *** 4567\u2069');
      expect(channelButtonsOf(el).map((button) => button.textContent!.trim())).to.deep.equal(['Send it by email instead']);
      await expect(el).to.be.accessible();
    });

    const statuses: Array<[OthStatus, string, boolean]> = [
      ['MESSAGE_SENT', 'Waiting for you to open the link…', false],
      ['VERIFIED', 'Link confirmed. Finishing…', false],
      ['UNKNOWN', 'Checking the link…', false],
      ['TERMINATED', 'This link was cancelled.', true],
      ['FAILED_AUTHORIZATION', "We couldn't confirm it was you with this link.", true],
      ['VERIFICATION_ATTEMPT_FAILED', "That link didn't work.", true],
      ['INVALID', 'This link is no longer valid.', true],
    ];
    for (const [status, text, failed] of statuses) {
      it(`shows ${status}${failed ? ' as a failure with the way forward, said once' : ''}`, async () => {
        const { el } = await othFixture({ action: othAction({ status }) });
        if (failed) {
          // The alert is the state line: the status is not repeated above it.
          expect(progressOf(el)).to.equal(null);
          expect(textOf(el).split(text).length - 1).to.equal(1);
          expect(errorOf(el).textContent).to.equal(`${text} Send a new link to try again.`);
          expect(errorOf(el).querySelector('[part="icon"]')!.getAttribute('aria-hidden')).to.equal('true');
          expect(errorOf(el).getAttribute('role')).to.equal('alert');
          expect(resendButtonOf(el)!.classList.contains('button--primary')).to.equal(true);
          expect(el.shadowRoot!.querySelector('[part="indicator"]')).to.equal(null);
        } else {
          expect(progressOf(el)!.textContent).to.contain(text);
          expect(errorOf(el).textContent).to.equal('');
        }
        await expect(el).to.be.accessible();
      });
    }

    it('says to start again when a failed link cannot be replaced', async () => {
      const { el } = await othFixture({ action: othAction({ status: 'TERMINATED', remainingResends: 0 }) });
      expect(errorOf(el).textContent).to.equal("This link was cancelled. We can't send any more links. Please start again.");
      expect(resendButtonOf(el)).to.equal(null);
      expect(textOf(el)).to.contain("You can't request any more links.");
      await expect(el).to.be.accessible();
    });

    it('keeps the waiting indicator still when the shopper asks for reduced motion', async () => {
      const { el } = await othFixture();
      const indicator = () => el.shadowRoot!.querySelector<HTMLElement>('[part="indicator"]')!;
      expect(getComputedStyle(indicator()).animationName).to.equal('oth-waiting-spin');
      await emulateMedia({ reducedMotion: 'reduce' });
      try {
        expect(getComputedStyle(indicator()).animationName).to.equal('none');
      } finally {
        await emulateMedia({ reducedMotion: 'no-preference' });
      }
    });

    it('renders untrusted text literally', async () => {
      const destination = '<img src=x onerror="window.__pwned=1">@<script>window.__pwned=2</script>';
      const { el } = await othFixture({ action: othAction({ destination }) });
      expect(el.shadowRoot!.querySelector('img, script')).to.equal(null);
      // As text, its spaces made no-break so a contact never wraps.
      expect(el.shadowRoot!.querySelector('#sent')!.textContent).to.contain(destination.replace(/ /g, '\u00a0'));
      expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
    });

    it('is themed by --verify-* tokens, --oth-waiting-* properties and ::part', async () => {
      const style = document.createElement('style');
      style.textContent = `
        .themed { --verify-color-accent: rgb(1, 2, 3); }
        .themed.own { --oth-waiting-accent: rgb(7, 8, 9); }
        .themed::part(progress) { outline-offset: 7px; }
      `;
      document.head.append(style);
      try {
        const client = fakeClient();
        const el = await fixture<OthWaiting>(html`<oth-waiting class="themed" .client=${client} .action=${othAction()}></oth-waiting>`);
        expect(getComputedStyle(resendButtonOf(el)!).color).to.equal('rgb(1, 2, 3)');
        expect(getComputedStyle(progressOf(el)!).outlineOffset).to.equal('7px');
        const own = await fixture<OthWaiting>(html`<oth-waiting class="themed own" .client=${client} .action=${othAction()}></oth-waiting>`);
        expect(getComputedStyle(resendButtonOf(own)!).color).to.equal('rgb(7, 8, 9)');
      } finally {
        style.remove();
      }
    });
  });

  describe('countdowns', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => {
      try {
        clock.restore();
      } catch {
        // Restored by the test already.
      }
    });

    it('waits before a resend on the same channel is allowed, then says it is; the other channel does not wait', async () => {
      const { el } = await othFixture({ action: othAction({ resendAvailableInSeconds: 30, otherChannels: ['SMS'] }) });
      expect(resendButtonOf(el)!.disabled).to.equal(true);
      expect(channelButtonsOf(el)[0]!.disabled).to.equal(false);
      expect(textOf(el)).to.contain('You can request a new link in 30 seconds.');
      await clock.tickAsync(29_000);
      await el.updateComplete;
      expect(textOf(el)).to.contain('You can request a new link in 1 second.');
      await clock.tickAsync(1_000);
      await el.updateComplete;
      expect(resendButtonOf(el)!.disabled).to.equal(false);
      expect(channelButtonsOf(el)[0]!.disabled).to.equal(false);
      expect(statusOf(el).textContent).to.contain('You can request a new link now.');
    });

    it('makes a change of channel wait only for that channel\'s own interval', async () => {
      const { el } = await othFixture({ action: othAction({ otherChannels: ['SMS'], channelChangeAvailableInSeconds: 12 }) });
      expect(channelButtonsOf(el)[0]!.disabled).to.equal(true);
      expect(resendButtonOf(el)!.disabled).to.equal(false);
      await clock.tickAsync(12_000);
      await el.updateComplete;
      expect(channelButtonsOf(el)[0]!.disabled).to.equal(false);
    });

    it('shows the link life on the state line in its last two minutes only, then offers a new link', async () => {
      const { el } = await othFixture({ action: othAction({ expiresInSeconds: 600 }) });
      expect(textOf(el)).not.to.contain('expires in');
      await clock.tickAsync(479_000);
      await el.updateComplete;
      expect(textOf(el)).not.to.contain('expires in');
      await clock.tickAsync(1_000);
      await el.updateComplete;
      expect(progressOf(el)!.textContent!.replace(/\s+/g, ' ')).to.contain('Waiting for you to open the link… The link expires in 2 minutes.');
      await clock.tickAsync(110_000);
      await el.updateComplete;
      expect(progressOf(el)!.textContent!.replace(/\s+/g, ' ')).to.contain('The link expires in 10 seconds.');
      await clock.tickAsync(10_000);
      await settle(el);
      expect(progressOf(el)!.textContent).to.contain('This link has expired.');
      expect(statusOf(el).textContent).to.contain('This link has expired.');
      expect(textOf(el)).not.to.contain('expires in');
      expect(resendButtonOf(el)!.classList.contains('button--primary')).to.equal(true);
      // axe schedules its own timers.
      clock.restore();
      await expect(el).to.be.accessible();
    });
  });

  describe('resend', () => {
    it('asks for a new link, shows the new view, says so and keeps the keyboard on the news', async () => {
      const client = fakeClient();
      client.resend.resolves(othView(5, { remainingResends: 1, resendAvailableInSeconds: 30 }));
      const { el } = await othFixture({ client });
      const steps: VerifyStepEvent[] = [];
      el.addEventListener('verify-step', (event) => steps.push(event));
      resendButtonOf(el)!.click();
      await settle(el);
      expect(client.resend.callCount).to.equal(1);
      expect(client.resend.firstCall.args.length).to.equal(1);
      expect(steps.map((event) => event.detail.view.revision)).to.deep.equal([5]);
      // Beside the waiting button, the wait is what matters now, not the links left.
      expect(textOf(el)).to.contain('You can request a new link in 30 seconds.');
      expect(textOf(el)).not.to.contain('new link left');
      expect(resendButtonOf(el)!.disabled).to.equal(true);
      expect(statusOf(el).textContent).to.contain('We emailed a new link to \u2066j***@example.com\u2069. Only the newest link works.');
      expect(focusedPart(el)).to.equal('message');
    });

    it('says where the new link went in place of the first sent line, not under it', async () => {
      const client = fakeClient();
      client.resend.resolves(othView(5, { remainingResends: 1 }));
      const { el } = await othFixture({ client });
      resendButtonOf(el)!.click();
      await settle(el);
      const message = el.shadowRoot!.querySelector('[part="message"]')!;
      expect(message.textContent!.replace(/\s+/g, ' ').trim()).to.equal('We emailed a new link to \u2066j***@example.com\u2069. Only the newest link works.');
      expect(message.querySelector('[part="sent"]')).to.exist;
      expect(textOf(el)).not.to.contain('We emailed a link');
      // Once on screen (the status region says it to screen readers, hidden).
      const shown = [...el.shadowRoot!.querySelectorAll('p')].filter((line) => line.textContent!.includes('We emailed'));
      expect(shown).to.deep.equal([message]);
      await expect(el).to.be.accessible();
    });

    it('sends by another channel with { channel }', async () => {
      const client = fakeClient();
      client.resend.resolves(othView(5, { channel: 'SMS', destination: '+1 *** *** 4567', otherChannels: ['EMAIL'] }));
      const { el } = await othFixture({ client, action: othAction({ otherChannels: ['SMS'] }) });
      const [bySms] = channelButtonsOf(el);
      expect(bySms!.textContent!.trim()).to.equal('Send it by text message instead');
      bySms!.click();
      await el.updateComplete;
      expect(bySms!.textContent!.trim()).to.equal('Sending a new link…');
      await settle(el);
      expect(client.resend.firstCall.args[1]).to.equal('SMS');
      expect(textOf(el)).to.contain('We texted a new link to \u2066+1 *** *** 4567\u2069');
      expect(textOf(el)).not.to.contain('We texted a link');
      expect(el.shadowRoot!.querySelector('[part="message"] [part="icon"]')).to.exist;
      expect(statusOf(el).textContent!.replace(/\s+/g, ' ')).to.contain('We texted a new link to');
      expect(channelButtonsOf(el).map((button) => button.textContent!.trim())).to.deep.equal(['Send it by email instead']);
    });

    it('does not send twice while a resend is on its way', async () => {
      const { el, client } = await othFixture({ action: othAction({ otherChannels: ['SMS'] }) });
      resendButtonOf(el)!.click();
      await el.updateComplete;
      resendButtonOf(el)!.click();
      channelButtonsOf(el)[0]!.click();
      expect(client.resend.callCount).to.equal(1);
      expect(resendButtonOf(el)!.getAttribute('aria-disabled')).to.equal('true');
    });

    it('shows resend_too_soon with the wait, resend_limit_reached without the button', async () => {
      const client = fakeClient();
      client.resend.onFirstCall().rejects(relayError('resend_too_soon', 429, { retryAfterSeconds: 20 }));
      const { el } = await othFixture({ client });
      resendButtonOf(el)!.click();
      await settle(el);
      expect(errorOf(el).textContent).to.equal('Please wait a moment before requesting another code.');
      expect(textOf(el)).to.contain('You can request a new link in 20 seconds.');
      expect(resendButtonOf(el)!.disabled).to.equal(true);

      const other = await othFixture({ client: fakeClient() });
      other.client.resend.rejects(relayError('resend_limit_reached', 429));
      resendButtonOf(other.el)!.click();
      await settle(other.el);
      expect(resendButtonOf(other.el)).to.equal(null);
      expect(textOf(other.el)).to.contain("You can't request any more links.");
      expect(other.el.errorCode).to.equal('resend_limit_reached');
    });

    it('re-reads the view when a channel is no longer available', async () => {
      const client = fakeClient();
      client.resend.rejects(relayError('channel_unavailable', 409));
      const { el } = await othFixture({ client, action: othAction({ otherChannels: ['SMS'] }) });
      channelButtonsOf(el)[0]!.click();
      await settle(el);
      expect(errorOf(el).textContent).to.equal("We can't send it that way. Choose another way.");
      expect(client.view.callCount).to.equal(1);
    });

    it('ends with verify-error when the session is gone', async () => {
      const client = fakeClient();
      client.resend.rejects(relayError('session_expired', 401));
      const { el } = await othFixture({ client });
      const errorEvent = oneEvent(el, 'verify-error');
      resendButtonOf(el)!.click();
      const event = (await errorEvent) as VerifyErrorEvent;
      expect(event.detail).to.deep.equal({ code: 'session_expired', message: 'Your verification session has expired. Please start again.' });
      await settle(el);
      expect(resendButtonOf(el)).to.equal(null);
      expect(client.events.firstCall.args[0].signal.aborted).to.equal(true);
      await expect(el).to.be.accessible();
    });
  });

  describe('keyboard', () => {
    it('reaches and uses the resend and channel buttons with Tab, Enter and Space alone', async () => {
      const client = fakeClient();
      client.resend.resolves(othView(5, { resendAvailableInSeconds: 0, otherChannels: ['SMS'] }));
      const before = document.createElement('button');
      before.textContent = 'before';
      document.body.prepend(before);
      try {
        const { el } = await othFixture({ client, action: othAction({ otherChannels: ['SMS'] }) });
        before.focus();
        await sendKeys({ press: 'Tab' });
        expect(focusedPart(el)).to.equal('resend');
        await sendKeys({ press: 'Enter' });
        await settle(el);
        expect(client.resend.callCount).to.equal(1);
        expect(focusedPart(el)).to.equal('message');
        await sendKeys({ press: 'Tab' });
        expect(focusedPart(el)).to.equal('resend');
        await sendKeys({ press: 'Tab' });
        expect(focusedPart(el)).to.equal('channel');
        await sendKeys({ press: 'Space' });
        await settle(el);
        expect(client.resend.callCount).to.equal(2);
        expect(client.resend.secondCall.args[1]).to.equal('SMS');
      } finally {
        before.remove();
      }
    });
  });

  describe('languages', () => {
    it('lays out right to left in Arabic, with the destination isolated left to right', async () => {
      const { el } = await othFixture({ lang: 'ar', action: othAction({ channel: 'SMS', destination: '+1 *** *** 4567', otherChannels: ['EMAIL'] }) });
      expect(el.getAttribute('dir')).to.equal('rtl');
      expect(getComputedStyle(el).direction).to.equal('rtl');
      expect(el.shadowRoot!.querySelector('#sent')!.textContent).to.contain('أرسلنا رابطًا في رسالة نصية إلى \u2066+1\u00a0***\u00a0***\u00a04567\u2069');
      expect(resendButtonOf(el)!.textContent!.trim()).to.equal('إرسال رابط جديد');
      expect(channelButtonsOf(el)[0]!.textContent!.trim()).to.equal('أرسله عبر البريد الإلكتروني بدلًا من ذلك');
      expect(textOf(el)).to.contain('يتبقّى رابطان جديدان');
      await expect(el).to.be.accessible();
    });

    it('speaks Spanish', async () => {
      const { el } = await othFixture({ lang: 'es', action: othAction({ status: 'INVALID', remainingResends: 1 }) });
      expect(textOf(el)).to.contain('Enviamos un enlace por correo electrónico a');
      expect(errorOf(el).textContent).to.equal('Este enlace ya no es válido. Envía un enlace nuevo para intentarlo de nuevo.');
      expect(textOf(el)).to.contain('Queda 1 enlace nuevo');
    });
  });

  it('stops and leaves the step to the flow when the strategy moves on', async () => {
    const client = fakeClient();
    const stream = eventStream();
    client.events.resolves(stream.response);
    const { el } = await othFixture({ client });
    const steps: VerifyStepEvent[] = [];
    el.addEventListener('verify-step', (event) => steps.push(event));
    await settle(el);
    stream.push(
      viewEvent({
        state: 'challenge',
        step: { index: 2, total: 2 },
        revision: 6,
        action: { method: 'KBA', questions: [], timeLimitSeconds: null, remainingAttempts: null },
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await settle(el);
    expect(steps.map((event) => event.detail.view.revision)).to.deep.equal([6]);
    expect(stream.cancelled).to.equal(true);
    expect(resendButtonOf(el)).to.equal(null);
  });

  it('completes with a decided view from resend too', async () => {
    const client = fakeClient();
    client.resend.resolves(decided(8));
    const { el } = await othFixture({ client });
    const complete = oneEvent(el, 'verify-complete');
    resendButtonOf(el)!.click();
    expect(((await complete) as VerifyCompleteEvent).detail.decision).to.equal('ALLOW');
  });
});
