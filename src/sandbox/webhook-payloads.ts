import { randomUUID } from 'node:crypto';
import type { OutgoingWebhook } from './webhook-dispatcher.js';

/**
 * The webhook bodies the sandbox sends (issue 3 design §1). Kount's step-up service posts bare
 * `*EventRequest` shapes; the DocV status arrives wrapped in the customer-webhook envelope.
 * Counters are strings holding integers, as in Kount's references.
 */

export interface OthStatusFields {
  readonly authenticationId: string;
  readonly sessionId: string;
  readonly channelType: string;
  readonly verificationStatus: string;
  readonly sendAttempts: number;
  readonly verificationAttempts: number;
  readonly remainingSendAttempts: number;
  readonly sentTimeStamp: string;
  readonly error?: { readonly code: string; readonly message: string } | undefined;
}

/** Bare `WebhookEventRequest`, sent when a one-time link session ends (confirmed, refused, expired, out of sends). */
export function othStatusWebhook(fields: OthStatusFields): OutgoingWebhook {
  const { authenticationId, sessionId, error } = fields;
  return {
    kind: 'WebhookEventRequest',
    authenticationId,
    sessionId,
    payload: {
      sessionId,
      mfaType: 'NONCE_OTH',
      channelType: fields.channelType,
      verificationStatus: fields.verificationStatus,
      sendAttempts: String(fields.sendAttempts),
      verificationAttempts: String(fields.verificationAttempts),
      remainingSendAttempts: String(fields.remainingSendAttempts),
      sentTimeStamp: fields.sentTimeStamp,
      ...(error === undefined ? {} : { error: { ...error } }),
    },
  };
}

export interface DocvStatusFields {
  readonly clientId: string;
  readonly authenticationId: string;
  readonly sessionId: string;
  readonly documentVerificationStatus: string;
  readonly sendAttempts: number;
  readonly verificationAttempts: number;
}

/** Wrapped `DOCVerification.StatusUpdate`, sent on every DocV status change. No personal data. */
export function docvStatusWebhook(fields: DocvStatusFields): OutgoingWebhook {
  const { authenticationId, sessionId } = fields;
  return {
    kind: 'DOCVerification.StatusUpdate',
    authenticationId,
    sessionId,
    payload: {
      id: randomUUID(),
      eventType: 'DOCVerification.StatusUpdate',
      apiVersion: 'v1',
      clientId: fields.clientId,
      documentVerificationStatus: fields.documentVerificationStatus,
      authenticationId,
      sessionId,
      sendAttempts: String(fields.sendAttempts),
      verificationAttempts: String(fields.verificationAttempts),
    },
  };
}

/** Bare `DocVOnboardingEventRequest`, sent when the shopper begins the capture flow. */
export function docvOnboardingWebhook(authenticationId: string, sessionId: string, status: string): OutgoingWebhook {
  return { kind: 'DocVOnboardingEventRequest', authenticationId, sessionId, payload: { sessionId, status } };
}

export type DocvResult = 'VERIFIED' | 'FAILED' | 'NEEDS_RETRY';

export interface DocvResultsFields {
  readonly authenticationId: string;
  readonly sessionId: string;
  readonly result: DocvResult;
  readonly firstName: string;
  readonly lastName: string;
  readonly capturedAt: string;
}

const SCORES: Readonly<Record<DocvResult, Readonly<Record<string, unknown>>>> = {
  VERIFIED: { overall: 0.97, documentAuthenticity: 0.98, faceMatch: 0.96, liveness: 0.99 },
  FAILED: { overall: 0.12, documentAuthenticity: 0.08, faceMatch: 0.41, liveness: 0.93 },
  NEEDS_RETRY: { overall: null, reason: 'IMAGE_TOO_BLURRY' },
};

/**
 * Bare `DocVResultsEventRequest`, sent with the result. It carries what a real one does (OCR with
 * personal data, scores, temporary image links) so tests can check none of it reaches a browser.
 * Image links use the reserved `.invalid` domain: they look real and never resolve.
 */
export function docvResultsWebhook(fields: DocvResultsFields): OutgoingWebhook {
  const { authenticationId, sessionId, result } = fields;
  const ocr =
    result === 'NEEDS_RETRY'
      ? {}
      : {
          documentType: 'DRIVERS_LICENSE',
          issuingCountry: 'US',
          firstName: fields.firstName,
          lastName: fields.lastName,
          dateOfBirth: '1990-04-12',
          documentNumber: 'S5550104',
          expirationDate: '2031-04-12',
        };
  const imageBase = `https://docv-images.sandbox.invalid/${encodeURIComponent(sessionId)}`;
  return {
    kind: 'DocVResultsEventRequest',
    authenticationId,
    sessionId,
    payload: {
      sessionId,
      ocr,
      score: { ...SCORES[result] },
      image: { front: `${imageBase}/front.jpg`, back: `${imageBase}/back.jpg`, selfie: `${imageBase}/selfie.jpg`, capturedAt: fields.capturedAt },
    },
  };
}
