import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { docvAction, errorOf, settle, textOf } from '../helpers.js';
import { buttonOf, challengeView, docvFixture, fakeClient, stepsOf } from './fixtures.js';
import type { DocvStatus } from '../../../src/elements/docv-status/docv-status.js';

const resendOf = (el: DocvStatus) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="resend"]');
const sentOf = (el: DocvStatus) => el.shadowRoot!.querySelector<HTMLElement>('[part="sent"]');

describe('<docv-status> ways forward', () => {
  afterEach(() => sinon.restore());

  it('after a failed check with a retry allowed, offers Try again and marks the failed step', async () => {
    const { el } = await docvFixture({ action: docvAction({ progress: 'FAILED', retryAllowed: true, remainingRetries: 1 }) });
    expect(errorOf(el).textContent).to.equal("We couldn't verify your ID.");
    expect(buttonOf(el)!.textContent!.trim()).to.equal('Try again');
    expect(textOf(el)).to.contain('1 try left.');
    const failed = stepsOf(el).find((step) => step.getAttribute('part')!.includes('step-failed'));
    expect(failed?.dataset.step).to.equal('PROCESSING');
    await expect(el).to.be.accessible();
  });

  it('starts a Try again that the relay would refuse as too soon disabled, with the one countdown', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const client = fakeClient();
    const { el } = await docvFixture({ client, action: docvAction({ progress: 'NEEDS_RETRY', retryAllowed: true, remainingRetries: 1, sendAvailableInSeconds: 20 }) });
    expect(buttonOf(el)!.getAttribute('aria-disabled')).to.equal('true');
    expect(textOf(el).match(/You can try again in [^.]+\./g)).to.deep.equal(['You can try again in 20 seconds.']);
    buttonOf(el)!.click();
    expect(client.answer.callCount, 'nothing is sent while it waits').to.equal(0);
    await clock.tickAsync(20_000);
    await settle(el);
    expect(buttonOf(el)!.hasAttribute('aria-disabled')).to.equal(false);
    expect(textOf(el)).not.to.contain('You can try again in');
    buttonOf(el)!.click();
    expect(client.answer.callCount).to.equal(1);
  });

  it('texts the capture link again when asked, after the interval, and says only the newest link works', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const client = fakeClient({ resend: true });
    const action = docvAction({ resendAllowed: true, sendAvailableInSeconds: 30 });
    client.resend!.resolves(challengeView(docvAction({ resendAllowed: true, sendAvailableInSeconds: 30 }), 5));
    const { el } = await docvFixture({ client, action });
    expect(resendOf(el)!.textContent!.trim()).to.equal('Text me a new link');
    expect(resendOf(el)!.getAttribute('aria-disabled')).to.equal('true');
    expect(textOf(el)).to.contain('You can ask for a new link in 30 seconds.');
    resendOf(el)!.click();
    expect(client.resend!.callCount).to.equal(0);

    await clock.tickAsync(30_000);
    await settle(el);
    expect(resendOf(el)!.hasAttribute('aria-disabled')).to.equal(false);
    resendOf(el)!.click();
    await settle(el);
    expect(client.resend!.callCount).to.equal(1);
    expect(sentOf(el)!.textContent).to.equal('We texted a new link to \u2066+1\u00a0***\u00a0***\u00a04567\u2069. Only the newest link works.');
    // In the instructions, in place of the first line: where the link is, said once.
    expect(sentOf(el)!.closest('[part="instructions"]')!.textContent).to.equal(sentOf(el)!.textContent);
    expect(textOf(el)).not.to.contain('We texted a link');
    // The new link restarts the interval.
    expect(resendOf(el)!.getAttribute('aria-disabled')).to.equal('true');
    clock.restore();
    await expect(el).to.be.accessible();
  });

  it('offers no resend once the capture has begun, or for a link shown on the page', async () => {
    const begun = await docvFixture({ client: fakeClient({ resend: true }), action: docvAction({ progress: 'BEGUN', resendAllowed: false }) });
    expect(resendOf(begun.el)).to.equal(null);
    const shown = await docvFixture({ client: fakeClient({ resend: true }), action: docvAction({ delivery: 'LINK', destination: null, captureUrl: 'https://capture.kount.test/c/1' }) });
    expect(resendOf(shown.el)).to.equal(null);
  });
});

describe('<docv-status> look', () => {
  it('draws step labels and the state line on the small scale, and a tick once the ID is checked', async () => {
    const { el } = await docvFixture({ action: docvAction({ progress: 'PROCESSING' }) });
    const result = el.shadowRoot!.querySelector<HTMLElement>('[part="result"]')!;
    expect(getComputedStyle(stepsOf(el)[0]!).fontSize).to.equal('14px');
    expect(getComputedStyle(result).fontSize).to.equal('14px');
    expect(result.querySelector('[part="icon"]')).to.equal(null);
    el.action = docvAction({ progress: 'VERIFIED' });
    await settle(el);
    const verified = el.shadowRoot!.querySelector<HTMLElement>('[part="result"]')!;
    expect(verified.textContent!.trim()).to.equal("We've checked your ID.");
    expect(verified.querySelector('[part="icon"]')!.getAttribute('aria-hidden')).to.equal('true');
    expect(getComputedStyle(verified).fontSize).to.equal('16px');
  });
});
