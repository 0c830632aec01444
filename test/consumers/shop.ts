/**
 * The shop's own part of every consumer server: `POST /api/checkout` asks Kount (through the
 * relay's Kount client) and hands a challenge to the relay, as the README's "Integrate" section
 * says. Written against the package as a shop installs it.
 */
import { randomUUID } from 'node:crypto';
import type { Relay } from 'k360-verify/relay';

export interface Checkout {
  email: string;
  phone?: string;
}

/** `{ outcome }` for the page, and the `Set-Cookie` that binds this browser to its verification. */
export async function checkout(relay: Relay, shopper: Checkout, clientIp?: string): Promise<{ outcome: string; setCookie: string }> {
  const phoneNumber = shopper.phone;
  const contact = { email: shopper.email, ...(phoneNumber ? { phoneNumber } : {}) };
  // Kount sends the first code with its decision: the relay's limits across sessions are asked first.
  const admission = await relay.admitChallenge({ contact, ...(clientIp ? { clientIp } : {}) });
  const assessment = await relay.kount.assess({
    strategy: 'CheckoutStepUp',
    inquiryId: randomUUID(),
    channel: 'WEB',
    deviceSessionId: randomUUID().replaceAll('-', ''),
    applicant: { email: shopper.email, ...(phoneNumber ? { phoneNumber } : {}) },
  });
  if (assessment.decision.toUpperCase() !== 'CHALLENGE') {
    await admission.release();
    return { outcome: assessment.decision.toUpperCase(), setCookie: '' };
  }
  const { setCookie } = await relay.startChallenge({ assessment, contact, admission });
  return { outcome: 'CHALLENGE', setCookie };
}
