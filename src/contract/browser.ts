/**
 * The relay's browser API: what `<verification-flow>` and the leaf elements read and send.
 * Written with `zod/mini` because the same schemas ship in the browser bundle. The relay builds
 * views from Kount data and validates requests with these; the elements validate responses.
 */
import * as z from 'zod/mini';

// Zod compiles object parsers with `new Function` unless told not to, and merely probing for it
// fires a `securitypolicyviolation` under a strict page policy (SECURITY item 27). This must run
// before any schema below is built, because each schema decides when it is created.
z.config({ jitless: true });

/** Paths under the relay's mount point (e.g. `/verify` + `/session`). */
export const RelayPath = {
  view: '/session',
  answer: '/session/answer',
  resend: '/session/resend',
  events: '/session/events',
  webhook: '/webhooks/kount',
} as const;

/** Every state-changing request carries this header (CSRF defence: a form post cannot set it). */
export const CSRF_HEADER = 'x-k360-verify';
/** Same-origin relays keep the handle in this cookie; the `__Host-` prefix pins it to the origin. */
export const SESSION_COOKIE = '__Host-k360-verify';

// Plain numbers: integer/range checks would pull zod's number formats into every checkout page,
// and the relay builds these views itself from counters it has already validated.
const Seconds = z.number();
const Count = z.nullable(z.number());

export const OtpChannel = z.enum(['SMS', 'EMAIL']);
export type OtpChannel = z.infer<typeof OtpChannel>;

export const OtpActionView = z.object({
  method: z.literal('OTP'),
  channel: OtpChannel,
  /** Masked phone number or e-mail address (`+1 *** *** 4567`, `o***@example.com`). */
  destination: z.string(),
  codeLength: z.number(),
  /** Kount's `remainingVerificationAttempts`, when it sends one. */
  remainingAttempts: Count,
  remainingResends: Count,
  /** 0 when a resend is allowed now. */
  resendAvailableInSeconds: Seconds,
  /** Above 0 while the relay refuses answers after too many wrong codes. */
  lockedForSeconds: Seconds,
  codeExpiresInSeconds: z.nullable(Seconds),
});
export type OtpActionView = z.infer<typeof OtpActionView>;

/** An action Kount asked for that this version cannot render; the flow says so instead of guessing. */
export const UnsupportedActionView = z.object({
  method: z.literal('UNSUPPORTED'),
  name: z.string(),
});
export type UnsupportedActionView = z.infer<typeof UnsupportedActionView>;

export const ActionView = z.discriminatedUnion('method', [OtpActionView, UnsupportedActionView]);
export type ActionView = z.infer<typeof ActionView>;

export const FinalDecision = z.enum(['ALLOW', 'BLOCK', 'REVIEW']);
export type FinalDecision = z.infer<typeof FinalDecision>;

export const ChallengeView = z.object({
  state: z.literal('challenge'),
  /** 1-based position of the open action among the strategy's actions. */
  step: z.object({ index: z.number(), total: z.number() }),
  action: ActionView,
  /** Grows with every change, so a stale view can be told from a fresh one. */
  revision: z.number(),
});
export type ChallengeView = z.infer<typeof ChallengeView>;

export const DecidedView = z.object({
  state: z.literal('decided'),
  decision: FinalDecision,
  revision: z.number(),
});
export type DecidedView = z.infer<typeof DecidedView>;

export const SessionView = z.discriminatedUnion('state', [ChallengeView, DecidedView]);
export type SessionView = z.infer<typeof SessionView>;

export const OtpAnswer = z.strictObject({
  method: z.literal('OTP'),
  otp: z.string().check(z.regex(/^\d{4,10}$/)),
});
export type OtpAnswer = z.infer<typeof OtpAnswer>;

export const AnswerRequest = z.discriminatedUnion('method', [OtpAnswer]);
export type AnswerRequest = z.infer<typeof AnswerRequest>;

export const ResendRequest = z.strictObject({});
export type ResendRequest = z.infer<typeof ResendRequest>;

/** Stable error codes and the HTTP status each one is sent with. */
export const errorStatus = {
  bad_json: 400,
  invalid_body: 400,
  csrf_rejected: 403,
  origin_rejected: 403,
  not_found: 404,
  method_not_allowed: 405,
  action_mismatch: 409,
  session_finished: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  // "Unknown session", "wrong code" and "expired code" share status and shape (no enumeration).
  session_unknown: 422,
  wrong_code: 422,
  code_expired: 422,
  session_missing: 401,
  session_invalid: 401,
  session_expired: 401,
  too_many_attempts: 429,
  resend_too_soon: 429,
  resend_limit_reached: 429,
  internal_error: 500,
  upstream_auth_failed: 502,
  upstream_error: 502,
  upstream_invalid_response: 502,
  upstream_unavailable: 503,
  upstream_timeout: 504,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorStatus;
export const ErrorCode = z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]);

export const ErrorBody = z.object({
  error: z.object({
    /** One of `ErrorCode`; kept a string so a newer relay's code does not break an older element. */
    code: z.string(),
    message: z.string(),
    /** The request field that failed validation, for `invalid_body`. */
    field: z.optional(z.string()),
    retryAfterSeconds: z.optional(Seconds),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
