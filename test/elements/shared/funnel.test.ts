import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import sinon from 'sinon';
import type { RelayClient } from '../../../src/client/index.js';
import { VerifyAnalyticsEvent, type VerifyAnalyticsDetail } from '../../../src/elements/shared/events.js';
import { Funnel } from '../../../src/elements/shared/funnel.js';
import '../../../src/elements/verification-flow/define.js';
import type { VerificationFlow } from '../../../src/elements/verification-flow/verification-flow.js';
import { challengeViewOf, otpAction } from '../helpers.js';

function record(target: EventTarget): VerifyAnalyticsDetail[] {
  const events: VerifyAnalyticsDetail[] = [];
  target.addEventListener(VerifyAnalyticsEvent.eventName, (event) => events.push((event as VerifyAnalyticsEvent).detail));
  return events;
}

describe('funnel events', () => {
  afterEach(() => sinon.restore());

  it('say which step, how long after it was shown, and one correlation id per journey', () => {
    const clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    const target = new EventTarget();
    const events = record(target);
    const funnel = new Funnel(target);
    funnel.emit('error', 'network_error');
    funnel.show('OTP', 1);
    funnel.show('OTP', 1);
    clock.tick(2_500);
    funnel.emit('code_submitted');
    funnel.failure('wrong_code');
    funnel.failure('too_many_attempts');
    funnel.failure('aborted');
    funnel.show('KBA', 2);
    expect(events.map((event) => [event.name, event.method, event.step, event.elapsedMs, event.value])).to.deep.equal([
      ['error', null, null, 0, 'network_error'],
      ['step_shown', 'OTP', 1, 0, undefined],
      ['code_submitted', 'OTP', 1, 2500, undefined],
      ['wrong_answer', 'OTP', 1, 2500, undefined],
      ['lockout', 'OTP', 1, 2500, undefined],
      ['step_shown', 'KBA', 2, 0, undefined],
    ]);
    expect(new Set(events.map((event) => event.correlationId)).size).to.equal(1);
    expect(events[0]!.correlationId).to.match(/^[0-9a-f]{32}$/);
    expect(new Funnel(target).correlationId).not.to.equal(funnel.correlationId);
  });

  it('reach the page from <verification-flow> as the journey\'s, the steps\' own re-sent with the flow\'s step and id', async () => {
    const view = challengeViewOf(otpAction(), 1);
    const client = { view: sinon.stub().resolves({ ...view, step: { index: 2, total: 3 } }), answer: sinon.stub().returns(new Promise(() => {})), resend: sinon.stub() } as unknown as RelayClient;
    const flow = await fixture<VerificationFlow>(html`<verification-flow lang="en" .client=${client}></verification-flow>`);
    const events = record(document);
    await waitUntil(() => flow.shadowRoot!.querySelector('otp-entry'));
    const otp = flow.shadowRoot!.querySelector('otp-entry')!;
    await (otp as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    // A step element's own event stops at the flow, which tells it again.
    otp.dispatchEvent(new VerifyAnalyticsEvent({ name: 'code_submitted', method: null, step: null, elapsedMs: 0, correlationId: 'leaf' }));
    otp.dispatchEvent(new VerifyAnalyticsEvent({ name: 'step_shown', method: 'OTP', step: 7, elapsedMs: 0, correlationId: 'leaf' }));
    dispatchEvent(new PageTransitionEvent('pagehide'));
    const names = events.map((event) => [event.name, event.method, event.step]);
    expect(names).to.deep.equal([
      ['code_submitted', 'OTP', 2],
      ['abandoned', 'OTP', 2],
    ]);
    expect(events.every((event) => event.correlationId !== 'leaf' && /^[0-9a-f]{32}$/.test(event.correlationId))).to.equal(true);
  });
});

describe('lockout', () => {
  afterEach(() => sinon.restore());

  it('is reported by a standalone <otp-entry> once, when the view read after a wrong code is locked', async () => {
    const { fixture: mount, html: template } = await import('@open-wc/testing');
    await import('../../../src/elements/otp-entry/define.js');
    const { relayError } = await import('../helpers.js');
    const { typeInto } = await import('../otp-entry/fixtures.js');
    const locked = challengeViewOf(otpAction({ remainingAttempts: 0, lockedForSeconds: 300 }), 3);
    const client = {
      view: sinon.stub().callsFake(() => new Promise((done) => setTimeout(() => done(locked)))),
      answer: sinon.stub().rejects(relayError('wrong_code', 422)),
      resend: sinon.stub().returns(new Promise(() => {})),
    };
    const el = await mount(template`<otp-entry lang="en" .client=${client} .action=${otpAction({ remainingAttempts: 1 })}></otp-entry>`);
    const events = record(el);
    typeInto(el as never, '000000');
    await waitUntil(() => client.view.called, 'no re-read');
    await waitUntil(() => events.some((event) => event.name === 'lockout'), 'no lockout');
    await new Promise((done) => setTimeout(done, 20));
    expect(events.map((event) => event.name).filter((name) => name !== 'step_shown')).to.deep.equal(['code_submitted', 'wrong_answer', 'lockout']);
  });
});
