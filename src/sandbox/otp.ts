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

/** A fresh code; never the one it replaces, so "the old code is dead" holds even on a 1-in-a-million draw. */
export function generateOtp(replacing?: string): string {
  for (;;) {
    const code = randomInt(0, 10 ** OTP_POLICY.digits)
      .toString()
      .padStart(OTP_POLICY.digits, '0');
    if (code !== replacing) return code;
  }
}

export function otpMatches(expected: string, given: string): boolean {
  return constantTimeEqual(expected, given.trim());
}
