/**
 * The shared button styles' small promises (issue 24, item 10): in forced colours the main action
 * is the most prominent button, never a link waiting out its countdown; a link that wraps starts
 * where the text around it starts; and the flow's errors are as bold as the steps'.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import sinon from 'sinon';
import type { RelayClient } from '../../../src/client/index.js';
import { RelayError } from '../../../src/client/index.js';
import '../../../src/elements/verification-flow/define.js';
import type { VerificationFlow } from '../../../src/elements/verification-flow/verification-flow.js';
import { otpFixture, resendButtonOf, verifyButtonOf } from '../otp-entry/fixtures.js';
import { otpAction } from '../helpers.js';

/** The colour a system colour keyword resolves to on this page. */
async function systemColour(keyword: string): Promise<string> {
  const probe = await fixture<HTMLElement>(html`<span></span>`);
  probe.style.color = keyword;
  return getComputedStyle(probe).color;
}

describe('shared button styles', () => {
  afterEach(async () => {
    await emulateMedia({ forcedColors: 'none' });
    await setViewport({ width: 800, height: 600 });
  });

  it('in forced colours, fills the main action with the highlight pair and leaves a waiting link borderless', async () => {
    await emulateMedia({ forcedColors: 'active' });
    const { el } = await otpFixture({ action: otpAction({ resendAvailableInSeconds: 30 }) });
    const verify = getComputedStyle(verifyButtonOf(el));
    expect(verify.backgroundColor).to.equal(await systemColour('Highlight'));
    expect(verify.color).to.equal(await systemColour('HighlightText'));
    const resend = resendButtonOf(el)!;
    expect(resend.getAttribute('aria-disabled')).to.equal('true');
    const waiting = getComputedStyle(resend);
    // Its border in the page's own colour: none to see.
    expect(waiting.borderTopColor).to.equal(await systemColour('Canvas'));
    expect(waiting.backgroundColor, 'no fill').to.match(/^rgba\(.*, 0\)$/);
    expect(waiting.color).to.equal(await systemColour('GrayText'));
  });

  it('starts a wrapped link button at the start of its line, as the text around it', async () => {
    await setViewport({ width: 320, height: 640 });
    const { el } = await otpFixture({ lang: 'de', action: otpAction({ resendAvailableInSeconds: 0 }) });
    await waitUntil(() => resendButtonOf(el)?.textContent?.trim() !== 'Send a new code', 'German strings');
    const resend = resendButtonOf(el)!;
    resend.style.maxInlineSize = '8rem';
    expect(getComputedStyle(resend).textAlign).to.equal('start');
    expect(getComputedStyle(resend).justifyContent).to.equal('flex-start');
  });

  it('sets the flow\'s own errors in the same weight as the steps\'', async () => {
    const client = { view: sinon.stub().rejects(new RelayError('session_expired', 'gone', { status: 410 })) } as unknown as RelayClient;
    const flow = await fixture<VerificationFlow>(html`<verification-flow lang="en" .client=${client}></verification-flow>`);
    await waitUntil(() => flow.shadowRoot!.querySelector('[part="error"] p'));
    const { el } = await otpFixture();
    el.shadowRoot!.querySelector('[part="error"]')!.textContent = 'x';
    const stepWeight = getComputedStyle(el.shadowRoot!.querySelector('[part="error"]')!).fontWeight;
    expect(getComputedStyle(flow.shadowRoot!.querySelector('[part="error"] p')!).fontWeight).to.equal(stepWeight);
    expect(Number(stepWeight)).to.be.at.least(600);
  });
});
