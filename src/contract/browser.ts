/**
 * The relay's browser API, the half the browser needs: the views `<verification-flow>` and the
 * leaf elements read, the error body, and the paths and header names. Written with `zod/mini`
 * because these schemas ship in every checkout page's bundle; the relay builds its views with the
 * same types. What only the relay validates (request bodies, the error status map) lives in
 * `relay-api.ts`, which browser code must not import, so none of it reaches the bundle.
 *
 * Bytes matter here: prefer the schema kinds that say the same thing for less of zod's core.
 * - `z.literal([...])` for a closed set of strings, not `z.enum` (a second schema kind).
 * - `z.union` of objects told apart by a literal field, not `z.discriminatedUnion`: it accepts and
 *   refuses exactly the same values (the literals are disjoint) and the browser only asks
 *   whether a view is valid, never which branch's error to show.
 * - no string formats or regex checks: the relay built these views itself.
 */
import * as z from 'zod/mini';
import { VerificationStatus } from './verification-status.js';

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

export const OtpChannel = z.literal(['SMS', 'EMAIL']);
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

export const KbaChoiceView = z.object({ id: z.string(), text: z.string() });
export type KbaChoiceView = z.infer<typeof KbaChoiceView>;

export const KbaQuestionView = z.object({
  /** Kount's ids as strings; the relay maps them back to Kount's own values. */
  id: z.string(),
  /** Untrusted text from Kount: render as text only. */
  text: z.string(),
  /** `single` renders radios; anything Kount did not mark as single choice renders checkboxes. */
  selection: z.literal(['single', 'multiple']),
  choices: z.array(KbaChoiceView),
});
export type KbaQuestionView = z.infer<typeof KbaQuestionView>;

export const KbaActionView = z.object({
  method: z.literal('KBA'),
  questions: z.array(KbaQuestionView),
  /** Seconds left to answer when the view was built; null when Kount sets no limit. */
  timeLimitSeconds: z.nullable(Seconds),
  remainingAttempts: Count,
});
export type KbaActionView = z.infer<typeof KbaActionView>;

/** A one-time link's status: Kount's verification status, as it sends it. */
export const OthStatus = VerificationStatus;
export type OthStatus = VerificationStatus;

/** A one-time link ("one-time hyperlink") sent by SMS or e-mail; it completes outside the page. */
export const OthActionView = z.object({
  method: z.literal('OTH'),
  channel: OtpChannel,
  /** Masked phone number or e-mail address the link went to. */
  destination: z.string(),
  status: OthStatus,
  remainingResends: Count,
  resendAvailableInSeconds: Seconds,
  /** Seconds until the link stops working; null when unknown. */
  expiresInSeconds: z.nullable(Seconds),
  /** Channels the relay can switch to (it holds that contact): resend with `{ channel }`. */
  otherChannels: z.array(OtpChannel),
  /**
   * 0 when a change to the other channel is allowed now. The resend interval is per channel: the
   * first message to the other channel never waits for this one's.
   */
  channelChangeAvailableInSeconds: Seconds,
});
export type OthActionView = z.infer<typeof OthActionView>;

export const DocvProgress = z.literal(['SENT', 'BEGUN', 'CAPTURED', 'PROCESSING', 'VERIFIED', 'FAILED', 'NEEDS_RETRY']);
export type DocvProgress = z.infer<typeof DocvProgress>;

/** Document verification. OCR, scores and images never reach the browser. */
export const DocvActionView = z.object({
  method: z.literal('DOCV'),
  /** `SMS`: Kount texted the capture link; `LINK`: the page shows `captureUrl` as a QR code and a link. */
  delivery: z.literal(['SMS', 'LINK']),
  /** Masked phone number for `SMS`; null for `LINK`. */
  destination: z.nullable(z.string()),
  /** An https URL (http only on localhost), or null. */
  captureUrl: z.nullable(z.string()),
  progress: DocvProgress,
  /** After `FAILED` or `NEEDS_RETRY`: Kount and the relay allow another capture. */
  retryAllowed: z.boolean(),
  remainingRetries: Count,
  /** Before the capture starts, by SMS: the link can be texted again. */
  resendAllowed: z.boolean(),
  /** 0 when a send (a resend or a retry, both send a new link) is allowed now. */
  sendAvailableInSeconds: Seconds,
});
export type DocvActionView = z.infer<typeof DocvActionView>;

/** An action Kount asked for that this version cannot render; the flow says so instead of guessing. */
export const UnsupportedActionView = z.object({
  method: z.literal('UNSUPPORTED'),
  name: z.string(),
});
export type UnsupportedActionView = z.infer<typeof UnsupportedActionView>;

/**
 * A step Kount has in a status this version does not know (one it added later): nothing can be done
 * in the page yet. The flow says so and offers to look again; Kount's decision, once it gives one, ends it.
 */
export const UnavailableActionView = z.object({ method: z.literal('UNAVAILABLE') });
export type UnavailableActionView = z.infer<typeof UnavailableActionView>;

export const ActionView = z.union([OtpActionView, KbaActionView, OthActionView, DocvActionView, UnsupportedActionView, UnavailableActionView]);
export type ActionView = z.infer<typeof ActionView>;

export const FinalDecision = z.literal(['ALLOW', 'BLOCK', 'REVIEW']);
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

export const SessionView = z.union([ChallengeView, DecidedView]);
export type SessionView = z.infer<typeof SessionView>;

/**
 * Which limit refused a `send_limited` (429): `network`, the challenges started from the client's
 * network; `destination`, the sends to a phone number or e-mail address (from that network, or the
 * hard cap over all networks). The shopper's copy differs: new details help only with the second.
 */
export const SendLimit = z.literal(['network', 'destination']);
export type SendLimit = z.infer<typeof SendLimit>;

export const ErrorBody = z.object({
  error: z.object({
    /** One of `ErrorCode` (relay-api.ts); kept a string so a newer relay's code does not break an older element. */
    code: z.string(),
    message: z.string(),
    /** The request field that failed validation, for `invalid_body`. */
    field: z.optional(z.string()),
    retryAfterSeconds: z.optional(Seconds),
    /** For `send_limited`: the limit that refused. */
    limit: z.optional(SendLimit),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * Refusals after which the session's view is not the one the page holds (a wrong code spent an
 * attempt, a lock started, the questions were drawn again, the step moved on, the channels
 * changed): the page reads the view again, once, instead of guessing. Every other refusal leaves
 * the view as it was (or ends the session). Codes of `errorStatus` in relay-api.ts.
 */
export const refusalChangesView = [
  'wrong_code',
  'code_expired',
  'too_many_attempts',
  'wrong_answers',
  'quiz_expired',
  'action_mismatch',
  'retry_not_allowed',
  'channel_unavailable',
] as const;
export type ViewChangingRefusal = (typeof refusalChangesView)[number];
