/** English strings of `<otp-entry>`: they travel with the element, so a page pays for them only when it uses it. */
import type { OtpEntryMessages } from '../shared/locales/en.js';
import { duration, plural } from '../shared/locales/en-steps.js';

export const otpEntryStrings: OtpEntryMessages = {
  otpLabel: 'Verification code',
  otpSentTo: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `We emailed a ${codeLength}-digit code to ${destination}.`
      : `We sent a ${codeLength}-digit code to ${destination}.`,
  otpHint: (codeLength) => `Enter the ${codeLength}-digit code.`,
  otpVerify: 'Verify',
  otpVerifying: 'Verifying…',
  otpExpiresIn: (seconds) => `The code expires in ${duration(seconds)}.`,
  otpResend: 'Send a new code',
  otpResendIn: (seconds) => `You can request a new code in ${duration(seconds)}.`,
  resendsLeft: (count) => `${plural(count, 'new code', 'new codes')} left.`,
  otpResendSent: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `We emailed a new ${codeLength}-digit code to ${destination}.`
      : `We sent a new ${codeLength}-digit code to ${destination}.`,
  otpOnlyNewest: 'Only the newest code works.',
  otpResendSending: 'Sending a new code…',
  otpNoResendsLeft: "You can't request any more codes. Use the last code we sent.",
  otpLockedWait: (seconds) => `You can try again in ${duration(seconds)}.`,
  otpUnlocked: 'You can enter a code again.',
  otpOneMoreLocks: 'One more wrong code starts another wait.',
  otpResendReady: 'You can request a new code now.',
  otpValueMissing: (codeLength) => `Enter the ${codeLength}-digit code.`,
  otpTooShort: (codeLength) => `Enter all ${codeLength} digits.`,
  otpPatternMismatch: 'Use digits only.',
};
