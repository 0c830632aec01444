import { randomInt } from 'node:crypto';
import { constantTimeEqual } from './constant-time.js';

/**
 * Kount does not publish its OTP length, lifetime or limits (they seem to be portal settings).
 * The sandbox follows NIST SP 800-63B for out-of-band codes and the counters in Kount's examples:
 * the first send reports `remainingSendAttempts: "3"` and `remainingVerificationAttempts: "10"`.
 */
export const OTP_POLICY = {
  digits: 6,
  lifetimeMs: 10 * 60 * 1000,
  maxVerificationAttempts: 10,
  /** The first send plus three resends. */
  maxSends: 4,
} as const;

export function generateOtp(): string {
  return randomInt(0, 10 ** OTP_POLICY.digits)
    .toString()
    .padStart(OTP_POLICY.digits, '0');
}

export function otpMatches(expected: string, given: string): boolean {
  return constantTimeEqual(expected, given.trim());
}
