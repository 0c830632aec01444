/**
 * What the relay tells the shop's backend about each journey (`onEvent`): a closed set of moments,
 * each with values from closed sets only. A name the browser's funnel (`verify-analytics`) has too
 * means the same there; `challenge_started` and `send_refused` only the relay sees, and its
`abandoned` is the session's end undecided (the browser's is the page leaving an open step). Never a
 * contact, a code, an answer, a session id, a handle or an address: `inquiryId` is the shop's own
 * id for the inquiry, which it gave Kount.
 */
import * as z from 'zod/mini';
// `browser.ts` sets zod's global configuration; load it first so it holds for these schemas too.
import { FinalDecision, OtpChannel, SendLimit } from './browser.js';
import { VerificationMethod } from './kount/identity-proofing.js';

export const JourneyEventName = z.enum([
  'challenge_started',
  'code_submitted',
  'answers_submitted',
  'wrong_answer',
  'lockout',
  'resend',
  'retry',
  'send_refused',
  'decided',
  'abandoned',
]);
export type JourneyEventName = z.infer<typeof JourneyEventName>;

/** Which Kount product the challenge came from: Identity Proofing's strategy, or Account Protection's MFA. */
export const JourneyProduct = z.enum(['identity_proofing', 'account_protection']);
export type JourneyProduct = z.infer<typeof JourneyProduct>;

export const JourneyEvent = z.strictObject({
  name: JourneyEventName,
  /** When the relay stored the change, ISO 8601 in UTC. */
  at: z.string(),
  /** The shop's own id for the inquiry (Kount's `inquiryId`, which the shop chose). */
  inquiryId: z.string(),
  product: JourneyProduct,
  /** The step's method; null for a step Kount added later that this version does not know. */
  method: z.nullable(VerificationMethod),
  /** `challenge_started`, `resend`, `retry` and `send_refused`: the channel the message went, or would have gone, by. */
  channel: z.optional(OtpChannel),
  /** `decided`: Kount's final decision. */
  decision: z.optional(FinalDecision),
  /** `send_refused`: which limit refused it, the requesting network's or the destination's (as the 429's `error.limit`). */
  limit: z.optional(SendLimit),
  /** `lockout`: how long answers are refused. */
  lockedForSeconds: z.optional(z.number()),
});
export type JourneyEvent = z.infer<typeof JourneyEvent>;
