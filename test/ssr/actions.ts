/** The OTP action both SSR suites render: a code sent by SMS, a resend countdown, an expiry. */
import type { OtpActionView } from 'k360-verify/contract';

export const otpAction: OtpActionView = {
  method: 'OTP',
  channel: 'SMS',
  destination: '+1 *** *** 4567',
  codeLength: 6,
  remainingAttempts: null,
  remainingResends: 3,
  resendAvailableInSeconds: 30,
  lockedForSeconds: 0,
  codeExpiresInSeconds: 600,
};
