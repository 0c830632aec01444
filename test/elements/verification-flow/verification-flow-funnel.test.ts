/**
 * What `<verification-flow>` tells the shopper and the shop about the journey as a whole: the step
 * it is on ("Step 1 of 2", said from the first step on), and the funnel moments a step alone could
 * miss (a wrong code that locks, a link that decides the step before the step sees it opened).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import sinon from 'sinon';
import type { RelayClient } from '../../../src/client/index.js';
import type { SessionView } from '../../../src/contract/browser.js';
import '../../../src/elements/verification-flow/define.js';
import type { VerificationFlow } from '../../../src/elements/verification-flow/verification-flow.js';
import { VerifyAnalyticsEvent, type VerifyAnalyticsDetail } from '../../../src/elements/shared/events.js';
import type { OtpEntry } from '../../../src/elements/otp-entry/otp-entry.js';
import { challengeViewOf, decidedView, otpAction, pendingStub, relayError } from '../helpers.js';
import { typeInto } from '../otp-entry/fixtures.js';

const twoStepView = (revision = 1): SessionView => ({ ...challengeViewOf(otpAction(), revision), step: { index: 1, total: 2 } });

async function mount(client: Partial<Record<'view' | 'answer' | 'resend' | 'events', sinon.SinonStub>>, lang = 'en'): Promise<VerificationFlow> {
  const full = { view: pendingStub(), answer: pendingStub(), resend: pendingStub(), events: pendingStub(), relay: '/verify', ...client };
  return fixture<VerificationFlow>(html`<verification-flow lang=${lang} .client=${full as unknown as RelayClient}></verification-flow>`);
}

const statusOf = (flow: VerificationFlow) => flow.shadowRoot!.querySelector<HTMLElement>('[part="base"] > [part="status"]')!;
const sequence = (events: VerifyAnalyticsDetail[]) => events.map((event) => (event.value ? `${event.name}:${event.value}` : event.name));

/** What the page hears on `document`, until `stop()`. */
function record(): { events: VerifyAnalyticsDetail[]; stop: () => void } {
  const events: VerifyAnalyticsDetail[] = [];
  const listener = (event: Event) => events.push((event as VerifyAnalyticsEvent).detail);
  document.addEventListener(VerifyAnalyticsEvent.eventName, listener);
  return { events, stop: () => document.removeEventListener(VerifyAnalyticsEvent.eventName, listener) };
}

describe('<verification-flow> steps and funnel', () => {
  afterEach(() => sinon.restore());

  it('shows and announces "Step 1 of 2" on the first step of a two-step strategy', async () => {
    const flow = await mount({ view: sinon.stub().resolves(twoStepView()) });
    await waitUntil(() => flow.shadowRoot!.querySelector('otp-entry'));
    expect(flow.shadowRoot!.querySelector('[part="step"]')!.textContent).to.equal('Step 1 of 2');
    await waitUntil(() => statusOf(flow).textContent === 'Step 1 of 2', `status says "${statusOf(flow).textContent}"`);
    await expect(flow).to.be.accessible();
  });

  it('announces the first step in the page\'s language, also when the page gave the view', async () => {
    const flow = await fixture<VerificationFlow>(
      html`<verification-flow lang="de" .client=${{ view: pendingStub(), answer: pendingStub(), resend: pendingStub() } as unknown as RelayClient} .initialView=${twoStepView()}></verification-flow>`,
    );
    // The region is on the page, empty, before the text arrives: a region born with its text is not read.
    await waitUntil(() => statusOf(flow).textContent === 'Schritt 1 von 2', `status says "${statusOf(flow).textContent}"`);
    expect(flow.shadowRoot!.querySelector('[part="step"]')!.textContent).to.equal('Schritt 1 von 2');
  });

  it('says nothing about steps for a single-action strategy', async () => {
    const flow = await mount({ view: sinon.stub().resolves(challengeViewOf(otpAction(), 1)) });
    await waitUntil(() => flow.shadowRoot!.querySelector('otp-entry'));
    await new Promise((done) => requestAnimationFrame(done));
    await flow.updateComplete;
    expect(flow.shadowRoot!.querySelector('[part="step"]')).to.equal(null);
    expect(statusOf(flow).textContent).to.equal('');
  });

  it('reports lockout once when a wrong code spends the last attempt (the view read after the refusal is locked)', async () => {
    const answer = sinon.stub().rejects(relayError('wrong_code', 422));
    const view = sinon.stub();
    view.onFirstCall().resolves(challengeViewOf(otpAction({ remainingAttempts: 1 }), 2));
    // The re-read after the refusal answers over the network, a task later, as a real one does.
    const locked = challengeViewOf(otpAction({ remainingAttempts: 0, lockedForSeconds: 300 }), 3);
    view.onSecondCall().callsFake(() => new Promise((done) => setTimeout(() => done(locked))));
    const { events, stop } = record();
    try {
      const flow = await mount({ view, answer });
      await waitUntil(() => flow.shadowRoot!.querySelector('otp-entry'));
      const entry = flow.shadowRoot!.querySelector<OtpEntry>('otp-entry')!;
      await entry.updateComplete;
      typeInto(entry, '000000');
      await waitUntil(() => sequence(events).includes('lockout'), 'no lockout event');
      await new Promise((done) => setTimeout(done, 20));
      expect(sequence(events)).to.deep.equal(['step_shown', 'code_submitted', 'wrong_answer', 'lockout']);
      expect(events.every((event) => event.method === 'OTP' && event.step === 1)).to.equal(true);
    } finally {
      stop();
    }
  });

  it('reports one lockout for a refusal as too_many_attempts followed by the locked view', async () => {
    const answer = sinon.stub().rejects(relayError('too_many_attempts', 429, { retryAfterSeconds: 300 }));
    const view = sinon.stub();
    view.onFirstCall().resolves(challengeViewOf(otpAction({ remainingAttempts: 2 }), 2));
    const locked = challengeViewOf(otpAction({ remainingAttempts: 0, lockedForSeconds: 300 }), 3);
    view.onSecondCall().callsFake(() => new Promise((done) => setTimeout(() => done(locked))));
    const { events, stop } = record();
    try {
      const flow = await mount({ view, answer });
      await waitUntil(() => flow.shadowRoot!.querySelector('otp-entry'));
      const entry = flow.shadowRoot!.querySelector<OtpEntry>('otp-entry')!;
      await entry.updateComplete;
      typeInto(entry, '000000');
      await waitUntil(() => view.callCount === 2, 'no re-read');
      await new Promise((done) => setTimeout(done, 20));
      expect(sequence(events)).to.deep.equal(['step_shown', 'code_submitted', 'lockout']);
    } finally {
      stop();
    }
  });

  it('reports no lockout for a step that was already locked when shown', async () => {
    const { events, stop } = record();
    try {
      const flow = await mount({ view: sinon.stub().resolves(challengeViewOf(otpAction({ remainingAttempts: 0, lockedForSeconds: 60 }), 2)) });
      await waitUntil(() => flow.shadowRoot!.querySelector('otp-entry'));
      await flow.shadowRoot!.querySelector<OtpEntry>('otp-entry')!.updateComplete;
      expect(sequence(events)).to.deep.equal(['step_shown']);
    } finally {
      stop();
    }
  });

  it('reports link_opened when the decision arrives while the one-time link is still waiting', async () => {
    const oth = challengeViewOf({ method: 'OTH', channel: 'EMAIL', destination: 'j***@example.com', status: 'MESSAGE_SENT', remainingResends: 2, resendAvailableInSeconds: 0, expiresInSeconds: 600, otherChannels: [], channelChangeAvailableInSeconds: 0 }, 2);
    const view = sinon.stub();
    view.onFirstCall().resolves(oth);
    view.resolves(decidedView('ALLOW', 3));
    const { events, stop } = record();
    try {
      const flow = await mount({ view });
      await waitUntil(() => flow.shadowRoot!.querySelector('oth-waiting'));
      // The relay heard the link (a webhook) and decided: the page reads the decided view.
      flow.reload();
      await waitUntil(() => flow.decision === 'ALLOW');
      expect(sequence(events)).to.deep.equal(['step_shown', 'link_opened', 'decided:ALLOW']);
      expect(events[1]!.method).to.equal('OTH');
    } finally {
      stop();
    }
  });
});
