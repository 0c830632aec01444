/**
 * What a verified webhook body says, read with the contract's Kount schemas. Four shapes arrive
 * (issue 3 design §1): the bare step-up `WebhookEventRequest` (one-time link / passcode status),
 * `DocVOnboardingEventRequest` and `DocVResultsEventRequest`, and the wrapped
 * `DOCVerification.StatusUpdate` / `MFA.StatusUpdate` events with an envelope `id`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  DocVOnboardingEventRequest,
  DocVResultsEventRequest,
  DocVerificationStatusUpdateEvent,
  DocumentVerificationStatus,
  MfaStatusUpdateEvent,
  VerificationStatus,
  WebhookEventId,
  WebhookEventRequest,
  type ActionData,
  type MfaStatusUpdateEvent as MfaStatusUpdate,
} from '../contract/kount/index.js';
import { defined, isRecord } from './objects.js';

/** A change to one step-up action, found by Kount's step-up `sessionId` or by the case's `authenticationId`. */
export interface StepUpdate {
  kind: 'step';
  shape: 'WebhookEventRequest' | 'DocVOnboardingEventRequest' | 'DocVResultsEventRequest' | 'DOCVerification.StatusUpdate';
  stepUpSessionId: string | undefined;
  authenticationId: string | undefined;
  /** Fields to lay over the action's `data`; empty when the event only says "ask Kount again" (DocV results). */
  patch: Partial<ActionData>;
}

/** What a webhook did to the session it names. */
export type WebhookApplication = 'applied' | 'unchanged' | 'unknown_session' | 'finished';

/**
 * Account Protection's `MFA.StatusUpdate` (Login/NAO one-time links): the relay verifies and
 * de-duplicates it, then hands it here. Called after the answer to Kount has gone; a throw or rejection is logged.
 */
export type MfaStatusHandler = (event: MfaStatusUpdate) => void | Promise<void>;

/**
 * What the webhook receiver changes: the sessions. Each call resolves once the change is stored,
 * and rejects when it could not be (Kount down for the refresh, store down), so the receiver can
 * answer 5xx and Kount re-sends.
 */
export interface WebhookTarget {
  applyWebhook(update: StepUpdate): Promise<WebhookApplication>;
  applyMfaStatus(event: MfaStatusUpdate): Promise<WebhookApplication>;
  /** Resolves once work started by applied webhooks (Challenge Outcome reports) is done. */
  settled(): Promise<void>;
}

/**
 * A webhook whose change could not be completed, answered 503 so that Kount sends it again:
 * `kount_unavailable` (the refresh failed), `session_unreadable` (the index names a session this
 * instance cannot read: a secret not rolled out here, SECURITY 38).
 */
export class WebhookNotApplied extends Error {
  override readonly name = 'WebhookNotApplied';

  constructor(
    readonly reason: 'kount_unavailable' | 'session_unreadable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type WebhookUpdate =
  | StepUpdate
  | { kind: 'mfa'; event: MfaStatusUpdate }
  | { kind: 'ignored'; reason: 'not_an_object' | 'unknown_event_type' | 'unknown_shape' | 'invalid_shape' | 'no_session_id' | 'other_client' };

/** The envelope `id` when there is one, else the SHA-256 (hex) of the raw body: the de-duplication key. */
export function webhookEventId(payload: unknown, rawBody: Uint8Array): string {
  // Most events have no envelope: no schema failure (and its error object) is built for them.
  const id = isRecord(payload) && payload.id !== undefined ? WebhookEventId.safeParse(payload.id) : undefined;
  if (id?.success) return `id:${id.data}`;
  return `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}

/**
 * `clientId` is the relay's own client id in every genuine wrapped event. Compared in constant
 * time: it is one of the values the relay never reveals (SECURITY 9).
 */
function sameClient(given: string | undefined, expected: string): boolean {
  if (given === undefined) return true;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function readWebhook(payload: unknown, clientId: string): WebhookUpdate {
  if (!isRecord(payload)) return { kind: 'ignored', reason: 'not_an_object' };

  if ('eventType' in payload) {
    if (payload.eventType === 'MFA.StatusUpdate') {
      const parsed = MfaStatusUpdateEvent.safeParse(payload);
      if (!parsed.success) return { kind: 'ignored', reason: 'invalid_shape' };
      if (!sameClient(parsed.data.clientId, clientId)) return { kind: 'ignored', reason: 'other_client' };
      return { kind: 'mfa', event: parsed.data };
    }
    if (payload.eventType === 'DOCVerification.StatusUpdate') {
      const parsed = DocVerificationStatusUpdateEvent.safeParse(payload);
      if (!parsed.success) return { kind: 'ignored', reason: 'invalid_shape' };
      if (!sameClient(parsed.data.clientId, clientId)) return { kind: 'ignored', reason: 'other_client' };
      const { sendAttempts, verificationAttempts } = parsed.data;
      // A status Kount adds later is not laid over a known one (its rank is unknown); the refresh tells the truth.
      const status = DocumentVerificationStatus.safeParse(parsed.data.documentVerificationStatus.trim().toUpperCase());
      return {
        kind: 'step',
        shape: 'DOCVerification.StatusUpdate',
        stepUpSessionId: parsed.data.sessionId,
        authenticationId: parsed.data.authenticationId,
        patch: status.success ? defined({ documentVerificationStatus: status.data, sendAttempts, verificationAttempts }) : {},
      };
    }
    return { kind: 'ignored', reason: 'unknown_event_type' };
  }

  if ('ocr' in payload || 'score' in payload || 'image' in payload) {
    // OCR, scores and images stay out of the session and the logs: the event only means "results are in".
    const parsed = DocVResultsEventRequest.safeParse(payload);
    if (!parsed.success) return { kind: 'ignored', reason: 'invalid_shape' };
    return { kind: 'step', shape: 'DocVResultsEventRequest', stepUpSessionId: parsed.data.sessionId, authenticationId: undefined, patch: {} };
  }

  if ('status' in payload && !('verificationStatus' in payload)) {
    const parsed = DocVOnboardingEventRequest.safeParse(payload);
    if (!parsed.success) return { kind: 'ignored', reason: 'invalid_shape' };
    // Onboarding statuses are free strings in Kount's spec; only the ones the view knows move the step.
    const status = DocumentVerificationStatus.safeParse(parsed.data.status.trim().toUpperCase());
    return {
      kind: 'step',
      shape: 'DocVOnboardingEventRequest',
      stepUpSessionId: parsed.data.sessionId,
      authenticationId: undefined,
      patch: status.success ? { documentVerificationStatus: status.data } : {},
    };
  }

  if ('verificationStatus' in payload || 'mfaType' in payload) {
    const parsed = WebhookEventRequest.safeParse(payload);
    if (!parsed.success) return { kind: 'ignored', reason: 'invalid_shape' };
    const event = parsed.data;
    // `sessionIdHash` alone (IDaaS split tokens) names no session the relay knows.
    if (event.sessionId === undefined || event.sessionId === '') return { kind: 'ignored', reason: 'no_session_id' };
    return {
      kind: 'step',
      shape: 'WebhookEventRequest',
      stepUpSessionId: event.sessionId,
      authenticationId: undefined,
      patch: defined({
        verificationStatus: knownVerificationStatus(event.verificationStatus),
        channelType: event.channelType,
        sendAttempts: event.sendAttempts,
        verificationAttempts: event.verificationAttempts,
        remainingSendAttempts: event.remainingSendAttempts,
        remainingVerificationAttempts: event.remainingVerificationAttempts,
        resendStatus: event.resendStatus,
        sentTimeStamp: event.sentTimeStamp,
        error: event.error,
      }),
    };
  }

  return { kind: 'ignored', reason: 'unknown_shape' };
}

function knownVerificationStatus(raw: string | undefined): string | undefined {
  const parsed = VerificationStatus.safeParse(raw?.trim().toUpperCase());
  return parsed.success ? parsed.data : undefined;
}
