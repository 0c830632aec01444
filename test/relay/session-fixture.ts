/** A stored session as the store tests write it: an open OTP step, both contacts, nothing decided. */
import type { Session } from '../../src/relay/sessions.js';

export const FIXTURE_PHONE = '+14155554567';
export const FIXTURE_EMAIL = 'olivia.shopper@example.com';

export function sessionFixture(id: string, overrides: Partial<Session> = {}): Session {
  const now = Date.now();
  return {
    id,
    inquiryId: `inquiry-${id}`,
    authenticationId: `auth-${id}`,
    actions: [{ method: 'OTP', status: 'challenge', data: { channelType: 'SMS_OTP', sessionId: `stepup-${id}` } }],
    contact: { phoneNumber: FIXTURE_PHONE, email: FIXTURE_EMAIL },
    failedOtpAttempts: 0,
    resendCount: 0,
    lastSendAt: now,
    lockedUntil: null,
    decision: null,
    revision: 0,
    createdAt: now,
    expiresAt: now + 900_000,
    crossOrigin: false,
    ...overrides,
  };
}
