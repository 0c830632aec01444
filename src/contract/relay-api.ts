/**
 * The relay's browser API, the half only the relay validates: request bodies and the HTTP status
 * of each error code. Kept apart from `browser.ts` so that none of it is bundled into the
 * elements (the client sends these shapes, typed by `import type`, but never parses them).
 */
import * as z from 'zod/mini';
// `browser.ts` sets zod's global configuration; load it first so it holds for these schemas too.
import { OtpChannel } from './browser.js';

export const OtpAnswer = z.strictObject({
  method: z.literal('OTP'),
  otp: z.string().check(z.regex(/^\d{4,10}$/)),
});
export type OtpAnswer = z.infer<typeof OtpAnswer>;

/** All questions answered in one call; ids are the view's strings. */
export const KbaAnswer = z.strictObject({
  method: z.literal('KBA'),
  answers: z
    .array(
      z.strictObject({
        questionId: z.string().check(z.minLength(1), z.maxLength(200)),
        choiceIds: z.array(z.string().check(z.maxLength(200))).check(z.minLength(1), z.maxLength(20)),
      }),
    )
    .check(z.minLength(1), z.maxLength(20)),
});
export type KbaAnswer = z.infer<typeof KbaAnswer>;

/** Start document verification again after a failed or unclear capture, when the view allows it. */
export const DocvRetry = z.strictObject({ method: z.literal('DOCV'), retry: z.literal(true) });
export type DocvRetry = z.infer<typeof DocvRetry>;

export const AnswerRequest = z.discriminatedUnion('method', [OtpAnswer, KbaAnswer, DocvRetry]);
export type AnswerRequest = z.infer<typeof AnswerRequest>;

/** Without `channel`: send again on the same channel. With it (one-time links): switch to that channel. */
export const ResendRequest = z.strictObject({ channel: z.optional(OtpChannel) });
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
  retry_not_allowed: 409,
  channel_unavailable: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  // "Unknown session", "wrong code" and "expired code" share status and shape (no enumeration).
  session_unknown: 422,
  wrong_code: 422,
  code_expired: 422,
  /** KBA answers failed; the new view carries a fresh questionnaire and the attempts left. */
  wrong_answers: 422,
  quiz_expired: 422,
  session_missing: 401,
  session_invalid: 401,
  session_expired: 401,
  too_many_attempts: 429,
  resend_too_soon: 429,
  resend_limit_reached: 429,
  /** Limits across sessions: too many codes or links to one destination, or challenges from one client IP. Nothing was sent. */
  send_limited: 429,
  internal_error: 500,
  /** The host's body parser read the request before the relay (a deployment to fix; the message says how). */
  body_consumed: 500,
  upstream_auth_failed: 502,
  upstream_error: 502,
  upstream_invalid_response: 502,
  upstream_unavailable: 503,
  upstream_timeout: 504,
  /**
   * The relay's session store (Redis) is down, slow or failing over. Nothing half-written is left;
   * rarely (an answer lost as the primary died) the change was stored all the same: read the view
   * again, and confirm again with the same `confirmationKey`.
   */
  store_unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorStatus;
export const ErrorCode = z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]);
