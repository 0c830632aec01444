import { expect } from '@open-wc/testing';
import { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from '../../../src/elements/shared/events.js';

describe('verify-* events', () => {
  it('carry their detail, bubble and cross shadow roots', () => {
    const events = [
      [new VerifyCompleteEvent({ decision: 'BLOCK' }), 'verify-complete', { decision: 'BLOCK' }],
      [new VerifyErrorEvent({ code: 'session_expired', message: 'gone' }), 'verify-error', { code: 'session_expired', message: 'gone' }],
      [new VerifyStepEvent({ view: { state: 'decided', decision: 'ALLOW', revision: 1 } }), 'verify-step', { view: { state: 'decided', decision: 'ALLOW', revision: 1 } }],
    ] as const;
    for (const [event, type, detail] of events) {
      expect(event.type).to.equal(type);
      expect(event.detail).to.deep.equal(detail);
      expect(event.bubbles, type).to.equal(true);
      expect(event.composed, type).to.equal(true);
    }
  });

  it('reach a listener outside a shadow root', () => {
    const host = document.createElement('div');
    const inner = host.attachShadow({ mode: 'open' }).appendChild(document.createElement('span'));
    document.body.append(host);
    let received: VerifyCompleteEvent | undefined;
    document.addEventListener('verify-complete', (event) => (received = event), { once: true });
    inner.dispatchEvent(new VerifyCompleteEvent({ decision: 'ALLOW' }));
    host.remove();
    expect(received?.detail.decision).to.equal('ALLOW');
  });
});
