/**
 * Kount 360 Identity Proofing: the assessment and the step-up verification call
 * (`POST /business/identity-proofing/v1/verify`), as given in the verification API reference.
 *
 * Response schemas are loose (unknown fields kept) and take enum-like fields as plain strings, so a
 * value Kount adds later is surfaced by the relay instead of failing the whole response. The known
 * values are exported for narrowing.
 */
import * as z from 'zod/mini';
import { KountCounter } from './counters.js';

export const VerificationMethod = z.enum(['OTP', 'KBA', 'OTH', 'DOCV']);
export type VerificationMethod = z.infer<typeof VerificationMethod>;

export { VerificationStatus } from '../verification-status.js';

export const ChannelType = z.enum(['SMS_OTP', 'EMAIL_OTP', 'SMS_NONCE_OTH', 'EMAIL_NONCE_OTH', 'STANDALONE_NONCE_OTH']);
export type ChannelType = z.infer<typeof ChannelType>;

export const ResendStatus = z.enum(['UNKNOWN_RESEND_STATUS', 'SENT', 'FAILED', 'PENDING']);

/**
 * DocV progress. Kount documents `MESSAGE_SENT` and `FLOW_BEGUN`; the rest is our assumption
 * (issue 3 design §1), read as plain strings so an unknown value does not fail a response.
 */
export const DocumentVerificationStatus = z.enum(['MESSAGE_SENT', 'FLOW_BEGUN', 'CAPTURED', 'PROCESSING', 'VERIFIED', 'FAILED', 'NEEDS_RETRY']);
export type DocumentVerificationStatus = z.infer<typeof DocumentVerificationStatus>;

/** `SMS`: Kount texts the capture link; `SYNC`: the response carries it as `captureUrl`. Assumed names. */
export const DocVDeliveryMode = z.enum(['SMS', 'SYNC']);
export type DocVDeliveryMode = z.infer<typeof DocVDeliveryMode>;

/** Known KBA `choiceType.type` values (from an analogue vendor); anything else is possible. */
export const KbaChoiceType = z.enum(['SINGLE_CHOICE', 'MULTIPLE_CHOICE']);
export type KbaChoiceType = z.infer<typeof KbaChoiceType>;

/** Kount ids in the reference are integers; accept strings too rather than reject a real answer. */
const KountId = z.union([z.number(), z.string()]);

export const KbaChoice = z.looseObject({ choiceId: KountId, choiceText: z.string() });
export const KbaQuestion = z.looseObject({
  questionId: KountId,
  questionText: z.string(),
  choiceType: z.optional(z.looseObject({ type: z.optional(z.string()) })),
  choices: z.array(KbaChoice),
});
export type KbaQuestion = z.infer<typeof KbaQuestion>;

export const Characteristic = z.looseObject({
  key: z.optional(z.string()),
  value: z.optional(z.string()),
  text: z.optional(z.string()),
});

export const KountError = z.looseObject({ message: z.optional(z.string()), code: z.optional(z.string()) });

/**
 * `data` of an action in a response. KBA fields come from the reference. For OTP/OTH the reference
 * does not show the response data; we read the same fields the verification webhook carries
 * (`verificationStatus`, counters, `channelType`, `error`), which is what the sandbox sends.
 */
export const ActionData = z.looseObject({
  questionnaireId: z.optional(KountId),
  questions: z.optional(z.array(KbaQuestion)),
  authentication: z.optional(z.looseObject({ characteristics: z.optional(z.array(Characteristic)) })),
  mfaType: z.optional(z.string()),
  channelType: z.optional(z.string()),
  verificationStatus: z.optional(z.string()),
  resendStatus: z.optional(z.string()),
  sendAttempts: z.optional(KountCounter),
  verificationAttempts: z.optional(KountCounter),
  remainingSendAttempts: z.optional(KountCounter),
  remainingVerificationAttempts: z.optional(KountCounter),
  sentTimeStamp: z.optional(z.string()),
  /** Sandbox assumption: when the current passcode or link stops working, or the KBA quiz's time limit (ISO-8601). */
  expiresAt: z.optional(z.string()),
  error: z.optional(KountError),
  /** Assumed (design §1): the step-up service's session id for OTP/OTH/DOCV; webhooks refer to it. */
  sessionId: z.optional(z.string()),
  /** DOCV, assumed (design §1); see `DocumentVerificationStatus`. */
  documentVerificationStatus: z.optional(z.string()),
  /** DOCV, assumed; see `DocVDeliveryMode`. */
  deliveryMode: z.optional(z.string()),
  /** DOCV in `SYNC` mode: the capture link the page shows as a QR code and a link. Kount's field name is unknown. */
  captureUrl: z.optional(z.string()),
  /** DOCV: retries left after a `FAILED`/`NEEDS_RETRY` result. */
  remainingRetries: z.optional(KountCounter),
  /** DOCV: whether a retry (`data.resend: true`) is possible now. */
  retryAllowed: z.optional(z.boolean()),
});
export type ActionData = z.infer<typeof ActionData>;

export const StrategyAction = z.looseObject({
  method: z.string(),
  /** `challenge` while open; anything else means the action is finished. */
  status: z.optional(z.string()),
  data: z.optional(ActionData),
});
export type StrategyAction = z.infer<typeof StrategyAction>;

export const ResponseStrategy = z.looseObject({
  strategyName: z.optional(z.string()),
  description: z.optional(z.string()),
  status: z.optional(z.string()),
  actions: z._default(z.array(StrategyAction), []),
  nextAction: z.optional(z.unknown()),
});
export type ResponseStrategy = z.infer<typeof ResponseStrategy>;

/** Response of both the assessment and the verification call. */
export const VerificationResponse = z.looseObject({
  inquiryId: z.string(),
  authenticationId: z.string(),
  deviceSessionId: z.optional(z.string()),
  decision: z.string(),
  strategy: z.optional(ResponseStrategy),
  /**
   * Where Kount's webhook model (and some of its pages) report a verify call's result: at the top
   * level instead of in the acted action's `data`. Read from either place.
   */
  verificationStatus: z.optional(z.string()),
  remainingVerificationAttempts: z.optional(KountCounter),
});
export type VerificationResponse = z.infer<typeof VerificationResponse>;

export const AssessmentResponse = VerificationResponse;
export type AssessmentResponse = VerificationResponse;

const Name = z.looseObject({ first: z.optional(z.string()), last: z.optional(z.string()) });

/** Applicant fields are not published; these are the ones the step-up needs (phone, e-mail). */
export const Applicant = z.looseObject({
  name: z.optional(Name),
  email: z.optional(z.string()),
  phoneNumber: z.optional(z.string()),
});

export const AssessmentRequest = z.object({
  strategy: z.string().check(z.regex(/^\S+$/)),
  inquiryId: z.string().check(z.minLength(1)),
  channel: z.optional(z.string()),
  deviceSessionId: z.string().check(z.minLength(1)),
  creationDateTime: z.optional(z.string()),
  userIp: z.optional(z.string()),
  account: z.optional(z.looseObject({ id: z.optional(z.string()) })),
  applicant: z.optional(Applicant),
  coApplicant: z.optional(Applicant),
  product: z.optional(z.looseObject({})),
  customFields: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
  memberId: z.optional(z.string()),
});
export type AssessmentRequest = z.infer<typeof AssessmentRequest>;

export const VerifyActionData = z.object({
  resend: z.optional(z.boolean()),
  questions: z.optional(z.array(z.object({ questionId: KountId, answers: z.array(KountId) }))),
  otp: z.optional(z.string()),
});

export const VerifyRequest = z.object({
  inquiryId: z.string().check(z.minLength(1)),
  authenticationId: z.string().check(z.minLength(1)),
  strategy: z.object({
    strategyName: z.optional(z.string()),
    actions: z.array(z.object({ method: z.string(), data: VerifyActionData })).check(z.minLength(1)),
    nextAction: z.optional(z.boolean()),
  }),
  phoneNumber: z.optional(z.string()),
  email: z.optional(z.string()),
});
export type VerifyRequest = z.infer<typeof VerifyRequest>;

/** Upper-cased known method, or `undefined` when Kount sent one we cannot render. */
export function knownMethod(raw: string): VerificationMethod | undefined {
  const parsed = VerificationMethod.safeParse(raw.trim().toUpperCase());
  return parsed.success ? parsed.data : undefined;
}

/**
 * An action's `status`. Kount documents `challenge` (open) only; the words for a step that is
 * finished or not reached yet are the ones met so far (the sandbox's, the relay's own for an MFA).
 * Any other word is one Kount added later (see `unknownActionStatus`).
 */
export const ActionStatus = z.enum(['challenge', 'pending', 'passed', 'failed', 'verified', 'completed']);
export type ActionStatus = z.infer<typeof ActionStatus>;

/** The action's status when it is a word this version does not know; undefined for a known one, or none. */
export function unknownActionStatus(action: StrategyAction): string | undefined {
  const { status } = action;
  return status === undefined || ActionStatus.safeParse(status.trim().toLowerCase()).success ? undefined : status;
}

/** The step Kount asks the shopper to do now. */
export const isChallengeAction = (action: StrategyAction): boolean => (action.status ?? '').trim().toLowerCase() === 'challenge';

/**
 * Still Kount's to finish: the step it asks for, or one in a status Kount added later, which is not
 * taken as finished (that would guess a decision, or refuse a new challenge): the session waits in
 * it for Kount, and the page says so with a way forward.
 */
export const isOpenAction = (action: StrategyAction): boolean => isChallengeAction(action) || unknownActionStatus(action) !== undefined;
