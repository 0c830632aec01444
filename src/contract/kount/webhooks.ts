/**
 * Webhook payloads. The step-up service posts the bare `*EventRequest` shapes to a callback URI;
 * customer webhooks wrap status in an envelope (`id`, `eventType`, `apiVersion`, `clientId`).
 * Counters arrive as strings holding integers.
 */
import * as z from 'zod/mini';
import { KountCounter } from './counters.js';
import { KountError } from './identity-proofing.js';

export const DocVOnboardingEventRequest = z.looseObject({ sessionId: z.string(), status: z.string() });
export type DocVOnboardingEventRequest = z.infer<typeof DocVOnboardingEventRequest>;

/** OCR, scores and images stay on the server: the relay never forwards this payload's content. */
export const DocVResultsEventRequest = z.looseObject({
  sessionId: z.string(),
  ocr: z.optional(z.looseObject({})),
  score: z.optional(z.looseObject({})),
  image: z.optional(z.looseObject({})),
});
export type DocVResultsEventRequest = z.infer<typeof DocVResultsEventRequest>;

export const WebhookEventRequest = z.looseObject({
  sessionIdHash: z.optional(z.string()),
  mfaType: z.optional(z.string()),
  sendAttempts: z.optional(KountCounter),
  verificationStatus: z.optional(z.string()),
  error: z.optional(KountError),
  sessionId: z.optional(z.string()),
  verificationAttempts: z.optional(KountCounter),
  resendStatus: z.optional(z.string()),
  autoTrustDevice: z.optional(z.boolean()),
  sentTimeStamp: z.optional(z.string()),
  channelType: z.optional(z.string()),
  docVerification: z.optional(z.boolean()),
  remainingSendAttempts: z.optional(KountCounter),
  remainingVerificationAttempts: z.optional(KountCounter),
});
export type WebhookEventRequest = z.infer<typeof WebhookEventRequest>;

/**
 * The event id: documented as a UUID, but Kount's own sample is not one, so any non-empty string
 * or whole number is taken, and read as a string (the de-duplication key).
 */
export const WebhookEventId = z.pipe(
  z.union([z.string().check(z.trim(), z.minLength(1), z.maxLength(200)), z.int()]),
  z.transform((value) => String(value)),
);

const Envelope = {
  id: WebhookEventId,
  apiVersion: z.optional(z.string()),
  clientId: z.optional(z.string()),
};

export const MfaStatusUpdateEvent = z.looseObject({
  ...Envelope,
  eventType: z.literal('MFA.StatusUpdate'),
  mfaStatus: z.string(),
  mfaId: z.string(),
  sendAttempts: z.optional(KountCounter),
  verificationAttempts: z.optional(KountCounter),
});
export type MfaStatusUpdateEvent = z.infer<typeof MfaStatusUpdateEvent>;

export const DocVerificationStatusUpdateEvent = z.looseObject({
  ...Envelope,
  eventType: z.literal('DOCVerification.StatusUpdate'),
  documentVerificationStatus: z.string(),
  authenticationId: z.string(),
  sessionId: z.optional(z.string()),
  sendAttempts: z.optional(KountCounter),
  verificationAttempts: z.optional(KountCounter),
});
export type DocVerificationStatusUpdateEvent = z.infer<typeof DocVerificationStatusUpdateEvent>;

export const WrappedWebhookEvent = z.discriminatedUnion('eventType', [MfaStatusUpdateEvent, DocVerificationStatusUpdateEvent]);
export type WrappedWebhookEvent = z.infer<typeof WrappedWebhookEvent>;
