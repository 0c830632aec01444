/**
 * Whether a code is a valid value for the form `<otp-entry>` belongs to, and what to say when it
 * is not: the constraint-validation half of the field, kept pure (after Material's
 * `TextFieldValidator`) so that it is tested without an element and the element only applies it
 * with `ElementInternals.setValidity`.
 */
import type { OtpEntryMessages } from '../shared/locales/en.js';

type ValidityMessages = Pick<OtpEntryMessages, 'otpValueMissing' | 'otpPatternMismatch' | 'otpTooShort'>;

export interface OtpValidity {
  /** The flags for `setValidity`: empty when the code is valid. */
  readonly flags: ValidityStateFlags;
  /** What the form (and the element's alert) says; empty when valid. */
  readonly message: string;
}

const valid: OtpValidity = { flags: {}, message: '' };

/** Anything but ASCII digits: what `normalizeCode` leaves in to be pointed out, not dropped. */
export function hasNonDigits(code: string): boolean {
  return /\D/.test(code);
}

/** The validity of `code` for a code of `length` digits, in the messages' language. */
export function otpValidity(code: string, length: number, messages: ValidityMessages): OtpValidity {
  if (!code) return { flags: { valueMissing: true }, message: messages.otpValueMissing(length) };
  if (hasNonDigits(code)) return { flags: { patternMismatch: true }, message: messages.otpPatternMismatch };
  if (code.length < length) return { flags: { tooShort: true }, message: messages.otpTooShort(length) };
  return valid;
}
