/**
 * Issue 24, items 7 and 8: one instruction (with the channel's icon), one state line, the error,
 * the actions; meta text on the small scale, icons for the channel and the outcomes.
 */
import { expect, oneEvent } from '@open-wc/testing';
import sinon from 'sinon';
import { errorOf, settle } from '../helpers.js';
import { decided, fakeClient, othAction, othFixture, progressOf, resendButtonOf } from './fixtures.js';
import type { OthWaiting } from '../../../src/elements/oth-waiting/oth-waiting.js';

/** The path an icon draws: which icon it is, whatever its markup. */
const pathOf = (root: Element | null) => root?.querySelector('[part="icon"] path')?.getAttribute('d') ?? null;
/** The lines of the step, top to bottom, by part. */
const lines = (el: OthWaiting) => [...el.shadowRoot!.querySelector('[part="base"]')!.children].filter((child) => child instanceof HTMLElement && child.offsetHeight > 0 && !child.classList.contains('visually-hidden')).map((child) => child.getAttribute('part') ?? child.className);

describe('<oth-waiting> look', () => {
  afterEach(() => sinon.restore());

  it('waiting: the instruction with the channel icon, one state line, then the actions', async () => {
    const { el } = await othFixture({ action: othAction({ expiresInSeconds: 600, resendAvailableInSeconds: 30, otherChannels: ['SMS'] }) });
    expect(lines(el)).to.deep.equal(['message', 'progress', 'actions']);
    const message = el.shadowRoot!.querySelector<HTMLElement>('[part="message"]')!;
    const email = pathOf(message);
    expect(email).to.be.a('string');
    // The instruction reads at full size in the text colour; the state line is meta: small, muted.
    expect(getComputedStyle(message).fontSize).to.equal('16px');
    expect(getComputedStyle(progressOf(el)!).fontSize).to.equal('14px');
    expect(getComputedStyle(progressOf(el)!).color).to.not.equal(getComputedStyle(message).color);
    expect(getComputedStyle(el.shadowRoot!.querySelector('.resend [part="hint"]')!).fontSize).to.equal('14px');

    const sms = await othFixture({ action: othAction({ channel: 'SMS', destination: '+1 *** *** 4567' }) });
    expect(pathOf(sms.el.shadowRoot!.querySelector('[part="message"]'))).to.not.equal(email);
  });

  it('a failed link: its status once, in the alert with a failure icon, and no state line above it', async () => {
    const { el } = await othFixture({ action: othAction({ status: 'INVALID' }) });
    expect(lines(el)).to.deep.equal(['message', 'error', 'actions']);
    expect(pathOf(errorOf(el))).to.be.a('string');
  });

  it('an expired link, and a verified one: the outcome\'s icon on the state line', async () => {
    const expired = await othFixture({ action: othAction({ expiresInSeconds: 0 }) });
    const verified = await othFixture({ action: othAction({ status: 'VERIFIED' }) });
    const cross = pathOf(progressOf(expired.el));
    const tick = pathOf(progressOf(verified.el));
    expect(cross).to.equal(pathOf(errorOf((await othFixture({ action: othAction({ status: 'TERMINATED' }) })).el)));
    expect(tick).to.be.a('string').and.not.equal(cross);
    expect(verified.el.shadowRoot!.querySelector('[part="indicator"]')).to.equal(null);
  });

  it('decided: the decision with its icon, in place of the waiting indicator', async () => {
    const client = fakeClient();
    client.resend.resolves(decided(8));
    const { el } = await othFixture({ client });
    const complete = oneEvent(el, 'verify-complete');
    resendButtonOf(el)!.click();
    await complete;
    await settle(el);
    expect(progressOf(el)!.textContent).to.contain("You're verified");
    expect(pathOf(progressOf(el))).to.be.a('string');
    expect(el.shadowRoot!.querySelector('[part="indicator"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
