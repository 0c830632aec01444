/**
 * The relay's server-to-server API (`/admin/v1/…` on the admin listener): what a shop's backend in
 * any language sends and gets back. Each operation is the twin of a Node method of the same name
 * (`relay.startAssessment(…)` ⇄ `POST /admin/v1/assessments`), so these schemas type the library's
 * inputs too, and the OpenAPI document is generated from them. Never bundled into the elements.
 */
import * as z from 'zod/mini';
import { ErrorBody, FinalDecision, SessionView } from './browser.js';
import {
  AssessmentRequest,
  AssessmentResponse,
  FailedAttemptV2Request,
  LoginV2Request,
  LoginV2Response,
  NewAccountOpeningV2Request,
  NewAccountOpeningV2Response,
} from './kount/index.js';

/** Where Kount may send a code or link: every contact the shop passes to Kount. Shown to shoppers only masked. */
export const Contact = z.strictObject({
  phoneNumber: z.optional(z.string().check(z.minLength(1), z.maxLength(32))),
  email: z.optional(z.string().check(z.minLength(1), z.maxLength(254))),
});
export type Contact = z.infer<typeof Contact>;

/**
 * The shopper's address as the shop saw it (behind a proxy, the client's, not the proxy's: read
 * `X-Forwarded-For` from the right past your own proxies only). Counted by network: an IPv4
 * address, or the IPv6 /64 it is in; `::ffff:a.b.c.d` is `a.b.c.d`.
 */
const ClientIp = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[0-9A-Fa-f:.%\w-]+$/, 'must be an IP address'));

/** The page talks to a relay on another origin: no cookie is set, the page passes `handle` to the element. */
const CrossOrigin = z.optional(z.boolean());

/** What every one-call start takes besides Kount's request. */
const StartBase = {
  clientIp: z.optional(ClientIp),
  contact: Contact,
  crossOrigin: CrossOrigin,
};

export const StartAssessmentRequest = z.strictObject({ ...StartBase, assessment: AssessmentRequest });
export type StartAssessmentRequest = z.input<typeof StartAssessmentRequest>;

export const StartLoginRequest = z.strictObject({ ...StartBase, login: LoginV2Request });
export type StartLoginRequest = z.input<typeof StartLoginRequest>;

export const StartNewAccountOpeningRequest = z.strictObject({ ...StartBase, newAccountOpening: NewAccountOpeningV2Request });
export type StartNewAccountOpeningRequest = z.input<typeof StartNewAccountOpeningRequest>;

/** A verification session the relay started: bind the browser to it with `setCookie` (or `handle`, cross-origin). */
export const StartedChallenge = z.object({
  /** Signed, short-lived handle of the session (the cookie's value). */
  handle: z.string(),
  /** The `Set-Cookie` header value to pass on to the browser; empty when `crossOrigin`. */
  setCookie: z.string(),
  view: SessionView,
});
export type StartedChallenge = z.infer<typeof StartedChallenge>;

/** Kount's decision in any casing, as the relay reads it; a value it does not know reads as REVIEW. */
export const StartDecision = z.enum(['ALLOW', 'BLOCK', 'REVIEW', 'CHALLENGE']);
export type StartDecision = z.infer<typeof StartDecision>;

function startAnswer<Kount extends z.ZodMiniType>(kount: Kount) {
  return z.object({
    decision: StartDecision,
    /** The inquiry the decision is for: confirm the outcome against it. */
    inquiryId: z.string(),
    /** The session the page finishes; null when Kount did not ask for a challenge the page can finish. */
    challenge: z.nullable(StartedChallenge),
    /** Kount's own answer, for what the shop records. */
    kount,
  });
}

export const StartAssessmentAnswer = startAnswer(AssessmentResponse);
export type StartAssessmentAnswer = z.infer<typeof StartAssessmentAnswer>;

/** Login v2 and NAO v2 answers add Kount's correlation id, for a Challenge Outcome the shop reports itself. */
function accountProtectionAnswer<Kount extends z.ZodMiniType>(kount: Kount) {
  return z.extend(startAnswer(kount), { decisionCorrelationId: z.string() });
}

export const StartLoginAnswer = accountProtectionAnswer(LoginV2Response);
export type StartLoginAnswer = z.infer<typeof StartLoginAnswer>;

export const StartNewAccountOpeningAnswer = accountProtectionAnswer(NewAccountOpeningV2Response);
export type StartNewAccountOpeningAnswer = z.infer<typeof StartNewAccountOpeningAnswer>;

/** The lower-level steps: the limits first, then a challenge from an answer the shop got from Kount itself. */
export const AdmitChallengeRequest = z.strictObject({ clientIp: z.optional(ClientIp), contact: Contact });
export type AdmitChallengeRequest = z.input<typeof AdmitChallengeRequest>;

/** An admission as a sealed, opaque token: pass it to a start, or release it when no challenge started. */
const AdmissionToken = z.string().check(z.minLength(1), z.maxLength(4096));

export const AdmissionAnswer = z.object({ admission: AdmissionToken });
export type AdmissionAnswer = z.infer<typeof AdmissionAnswer>;

export const ReleaseAdmissionRequest = z.strictObject({ admission: AdmissionToken });

export const StartChallengeRequest = z.strictObject({
  /** Kount's Identity Proofing answer whose decision is CHALLENGE. */
  assessment: AssessmentResponse,
  contact: Contact,
  admission: z.optional(AdmissionToken),
  crossOrigin: CrossOrigin,
});

/** A Login v2 or NAO v2 CHALLENGE the shop got from Kount itself, with what the relay needs to report its outcome. */
export const StartMfaChallengeRequest = z.strictObject({
  product: z.enum(['login', 'newAccountOpening']),
  /** Kount's answer body. */
  response: z.union([LoginV2Response, NewAccountOpeningV2Response]),
  /** The request's inquiry id and device session id (Kount's answer repeats neither). */
  inquiryId: z.string().check(z.minLength(1), z.maxLength(64)),
  deviceSessionId: z.string().check(z.maxLength(32)),
  /** The answer's `x-correlation-id` header, for Challenge Outcome. */
  decisionCorrelationId: z.string().check(z.minLength(1), z.maxLength(128)),
  contact: Contact,
  method: z.optional(z.enum(['OTP', 'OTH'])),
  admission: z.optional(AdmissionToken),
  crossOrigin: CrossOrigin,
});
export type StartMfaChallengeRequest = z.input<typeof StartMfaChallengeRequest>;

export { FailedAttemptV2Request };

const ConfirmationKey = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'));

/** Which session: the browser's `Cookie` header as the shop received it, or the handle (bearer mode). */
export const OutcomeRequest = z.strictObject({
  cookie: z.optional(z.string().check(z.maxLength(16_384))),
  handle: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  /** The inquiry of the order or sign-in being confirmed: a handle of another inquiry is refused. */
  inquiryId: z.string().check(z.minLength(1), z.maxLength(128)),
  /** Confirmations: the shop's key for this confirmation, sent again on a retry; the same key gets the same answer again. */
  confirmationKey: z.optional(ConfirmationKey),
});
export type OutcomeRequest = z.input<typeof OutcomeRequest>;

export const OutcomeAnswer = z.object({
  state: z.enum(['pending', 'decided']),
  decision: z.nullable(FinalDecision),
  inquiryId: z.string(),
  authenticationId: z.string(),
});
export type OutcomeAnswer = z.infer<typeof OutcomeAnswer>;

export const ConfirmAnswer = z.object({
  state: z.literal('decided'),
  decision: FinalDecision,
  inquiryId: z.string(),
  authenticationId: z.string(),
});

export const HealthAnswer = z.object({
  status: z.enum(['alive', 'ready', 'unavailable']),
  /** Why the relay is not ready (`store_unavailable`, `shutting_down`). */
  reason: z.optional(z.string()),
  checks: z.optional(z.record(z.string(), z.object({ ok: z.boolean(), durationMs: z.optional(z.number()), message: z.optional(z.string()) }))),
});
export type HealthAnswer = z.infer<typeof HealthAnswer>;

export { ErrorBody };

/** Admin error codes beyond the browser API's (`errorStatus`), with their HTTP status. */
export const adminErrorStatus = {
  unauthorized: 401,
  inquiry_mismatch: 409,
  outcome_pending: 409,
  outcome_consumed: 409,
} as const;
