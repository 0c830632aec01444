/**
 * Views and answers for the knowledge-based questions (KBA), one-time link (OTH) and document
 * verification (DOCV) actions, and the live-update message. `zod/mini`: these ship in the browser.
 * Ids are strings in the browser; the relay maps them back to what Kount sent.
 */
import * as z from 'zod/mini';

const Channel = z.enum(['SMS', 'EMAIL']);
const Count = z.nullable(z.number());

export const KbaChoiceView = z.object({ id: z.string(), text: z.string() });
export const KbaQuestionView = z.object({
  id: z.string(),
  text: z.string(),
  /** `single` renders radios; anything Kount did not mark as single choice renders checkboxes. */
  selection: z.enum(['single', 'multiple']),
  choices: z.array(KbaChoiceView),
});
export type KbaQuestionView = z.infer<typeof KbaQuestionView>;

export const KbaActionView = z.object({
  method: z.literal('KBA'),
  questions: z.array(KbaQuestionView),
  /** Seconds left to answer when the view was built; null when Kount sets no limit. */
  timeLimitSeconds: Count,
  remainingAttempts: Count,
});
export type KbaActionView = z.infer<typeof KbaActionView>;

export const OthStatus = z.enum([
  'MESSAGE_SENT',
  'VERIFIED',
  'TERMINATED',
  'FAILED_AUTHORIZATION',
  'VERIFICATION_ATTEMPT_FAILED',
  'INVALID',
  'UNKNOWN',
]);
export type OthStatus = z.infer<typeof OthStatus>;

export const OthActionView = z.object({
  method: z.literal('OTH'),
  channel: Channel,
  /** Masked phone number or e-mail address the link went to. */
  destination: z.string(),
  status: OthStatus,
  remainingResends: Count,
  resendAvailableInSeconds: z.number(),
  /** Seconds until the link stops working; null when unknown. */
  expiresInSeconds: Count,
  /** Channels the relay can switch to (it holds that contact). */
  otherChannels: z.array(Channel),
});
export type OthActionView = z.infer<typeof OthActionView>;

export const DocvProgress = z.enum(['SENT', 'BEGUN', 'CAPTURED', 'PROCESSING', 'VERIFIED', 'FAILED', 'NEEDS_RETRY']);
export type DocvProgress = z.infer<typeof DocvProgress>;

export const DocvActionView = z.object({
  method: z.literal('DOCV'),
  /** `SMS`: Kount texted the capture link; `LINK`: the page shows `captureUrl` as a QR code and a link. */
  delivery: z.enum(['SMS', 'LINK']),
  destination: z.nullable(z.string()),
  captureUrl: z.nullable(z.string()),
  progress: DocvProgress,
  retryAllowed: z.boolean(),
  remainingRetries: Count,
});
export type DocvActionView = z.infer<typeof DocvActionView>;

export const KbaAnswer = z.strictObject({
  method: z.literal('KBA'),
  answers: z
    .array(z.strictObject({ questionId: z.string().check(z.minLength(1)), choiceIds: z.array(z.string()).check(z.minLength(1), z.maxLength(20)) }))
    .check(z.minLength(1), z.maxLength(20)),
});
export type KbaAnswer = z.infer<typeof KbaAnswer>;

export const DocvRetry = z.strictObject({ method: z.literal('DOCV'), retry: z.literal(true) });
export type DocvRetry = z.infer<typeof DocvRetry>;

/** Resend on the same channel, or (one-time links) switch to another channel the view offers. */
export const ResendRequestWithChannel = z.strictObject({ channel: z.optional(Channel) });

/** Error codes these actions add; HTTP status alongside, merged into `errorStatus`. */
export const actionErrorStatus = {
  wrong_answers: 422,
  quiz_expired: 422,
  retry_not_allowed: 409,
  channel_unavailable: 409,
} as const;
