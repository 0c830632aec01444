/**
 * Issue 24, item 6: "Send a new code" stays a Tab stop while it counts down (`aria-disabled`, its
 * activation ignored), and the countdown is its description, in all its states.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import type { OtpEntry } from '../../../src/elements/otp-entry/otp-entry.js';
import { focusedPart, otpAction, settle } from '../helpers.js';
import { challengeView, fakeClient, resendButtonOf, type FakeClient } from './fixtures.js';

/** The text a screen reader reads as the button's description. */
function descriptionOf(el: OtpEntry, button: HTMLElement): string {
  const ids = (button.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids.map((id) => el.shadowRoot!.getElementById(id)?.textContent ?? '').join(' ').trim();
}

async function mount(client: FakeClient, resendAvailableInSeconds: number): Promise<{ el: OtpEntry; before: HTMLButtonElement }> {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div><button id="before">before</button><otp-entry lang="en" .client=${client} .action=${otpAction({ resendAvailableInSeconds })}></otp-entry></div>`,
  );
  const el = wrapper.querySelector<OtpEntry>('otp-entry')!;
  await el.updateComplete;
  return { el, before: wrapper.querySelector<HTMLButtonElement>('#before')! };
}

describe('<otp-entry> resend reachable', () => {
  afterEach(() => sinon.restore());

  it('is a Tab stop during its countdown, aria-disabled, described by the countdown, and ignores Enter and Space', async () => {
    const client = fakeClient();
    const { el, before } = await mount(client, 30);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(focusedPart(el)).to.equal('input');
    await sendKeys({ press: 'Tab' });
    expect(focusedPart(el)).to.equal('button');
    await sendKeys({ press: 'Tab' });
    expect(focusedPart(el)).to.equal('resend');

    const resend = resendButtonOf(el)!;
    expect(resend.disabled).to.equal(false);
    expect(resend.getAttribute('aria-disabled')).to.equal('true');
    expect(descriptionOf(el, resend)).to.equal('You can request a new code in 30\u00a0seconds.');

    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Space' });
    resend.click();
    await settle(el);
    expect(client.resend.called).to.equal(false);
    expect(focusedPart(el)).to.equal('resend');
    await expect(el).to.be.accessible();
  });

  it('keeps its description when ready and while sending, and sends on Enter once ready', async () => {
    const client = fakeClient();
    const { el, before } = await mount(client, 0);
    const resend = resendButtonOf(el)!;
    const describedBy = resend.getAttribute('aria-describedby');
    expect(describedBy).to.be.a('string').and.not.equal('');
    expect(el.shadowRoot!.getElementById(describedBy!)).to.not.equal(null);
    expect(resend.getAttribute('aria-disabled')).to.equal(null);

    before.focus();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(focusedPart(el)).to.equal('resend');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(client.resend.calledOnce).to.equal(true);
    // Sending: still reachable and described, activation ignored.
    expect(resendButtonOf(el)!.getAttribute('aria-disabled')).to.equal('true');
    expect(resendButtonOf(el)!.getAttribute('aria-describedby')).to.equal(describedBy);
    await sendKeys({ press: 'Enter' });
    expect(client.resend.calledOnce).to.equal(true);
  });

  it('after a resend, counts down again on the same reachable button', async () => {
    const client = fakeClient();
    client.resend.resolves(challengeView(otpAction({ resendAvailableInSeconds: 45 }), 3));
    const { el } = await mount(client, 0);
    resendButtonOf(el)!.click();
    await settle(el);
    const resend = resendButtonOf(el)!;
    expect(resend.disabled).to.equal(false);
    expect(resend.getAttribute('aria-disabled')).to.equal('true');
    expect(descriptionOf(el, resend)).to.equal('You can request a new code in 45\u00a0seconds.');
  });
});
