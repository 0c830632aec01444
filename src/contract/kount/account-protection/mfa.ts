/**
 * Multi-factor authentication after a Login or NAO CHALLENGE.
 *
 * Known: resend is a POST with `sessionId` = `mfa.ID` (Login) or `verification.ID` (NAO), and
 * completion is reported by the `MFA.StatusUpdate` webhook (`mfaStatus`, `mfaId`, counters).
 * Not published: the resend path, the resend answer, how a passcode typed into the customer's page
 * is checked, and the values of `mfa.type`. The shapes below are the smallest faithful guess and
 * are what the sandbox implements: the passcode check mirrors resend (`sessionId` plus `otp`, the
 * name Identity Proofing's verify call uses), and both answer with the webhook's own fields.
 */
import * as z from 'zod/mini';
import { KountCounter } from '../counters.js';
import { KountError, VerificationStatus } from '../identity-proofing.js';

export const MfaResendRequest = z.object({ sessionId: z.string().check(z.minLength(1)) });
export type MfaResendRequest = z.infer<typeof MfaResendRequest>;

/** Assumed (see above): checks a passcode the user typed. */
export const MfaVerifyRequest = z.object({
  sessionId: z.string().check(z.minLength(1)),
  otp: z.string().check(z.regex(/^\d{4,10}$/, 'expected 4 to 10 digits')),
});
export type MfaVerifyRequest = z.infer<typeof MfaVerifyRequest>;

/** Answer of resend and of the passcode check: the `MFA.StatusUpdate` fields, all optional. */
export const MfaStatusResponse = z.looseObject({
  mfaId: z.optional(z.string()),
  /** One of `VerificationStatus` so far; a plain string so a new value is surfaced. */
  mfaStatus: z.optional(z.string()),
  sendAttempts: z.optional(KountCounter),
  verificationAttempts: z.optional(KountCounter),
  remainingSendAttempts: z.optional(KountCounter),
  remainingVerificationAttempts: z.optional(KountCounter),
  /** Sandbox assumption: when the current passcode or link stops working (ISO-8601). */
  expiresAt: z.optional(z.string()),
  error: z.optional(KountError),
});
export type MfaStatusResponse = z.infer<typeof MfaStatusResponse>;

export type MfaStatus = z.infer<typeof VerificationStatus>;

/**
 * `mfa.type` / `verification.type` values the sandbox sends: Identity Proofing's channel types
 * (an assumption; Kount documents only `EMAIL` as `workflow.mfaType` / NAO `strategy.type`).
 */
export const MfaChannelType = z.enum(['SMS_OTP', 'EMAIL_OTP', 'SMS_NONCE_OTH', 'EMAIL_NONCE_OTH']);
export type MfaChannelType = z.infer<typeof MfaChannelType>;

export interface MfaKind {
  readonly channel: 'SMS' | 'EMAIL';
  /** `OTP`: a passcode typed into the page (`<otp-entry>`); `OTH`: a one-time link (`<oth-waiting>`); `undefined`: not told. */
  readonly method: 'OTP' | 'OTH' | undefined;
}

/** What an element has to render for an `mfa.type`, or `undefined` for a type it cannot handle. */
export function mfaKind(type: string | undefined): MfaKind | undefined {
  const folded = (type ?? '').trim().toUpperCase();
  const channel = folded.startsWith('SMS') || folded === 'TEXT' ? 'SMS' : folded.startsWith('EMAIL') ? 'EMAIL' : undefined;
  if (channel === undefined) return undefined;
  const method = /(^|_)(NONCE_)?OTH$|LINK$/.test(folded) ? 'OTH' : /(OTP|PIN)$/.test(folded) ? 'OTP' : undefined;
  return { channel, method };
}
