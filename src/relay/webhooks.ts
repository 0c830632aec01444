/**
 * `POST {base}/webhooks/kount`: Kount 360's webhooks (SECURITY 20-24). Server to server, so no
 * cookie, CSRF header or Origin check: the signature is the only credential. The raw body is read
 * once under a 64 KiB cap, the signature and timestamp checked, the event de-duplicated by id in
 * the store, and 200 `{"received":true}` sent at once; applying the event, asking Kount for the
 * case's state and pushing the new view to browsers happen afterwards, so a slow push never holds
 * Kount's request. A rejected delivery changes nothing and is logged without its body.
 */
import type { KeyObject } from 'node:crypto';
import type { MfaStatusUpdateEvent } from '../contract/kount/index.js';
import type { Challenges } from './challenges.js';
import { noStoreHeaders } from './http-headers.js';
import { readBodyBytes } from './json-body.js';
import type { Logger } from './logger.js';
import { isRelayError } from './errors.js';
import type { SessionStore } from './store.js';
import { readWebhook, webhookEventId, type StepUpdate } from './webhook-events.js';
import { checkWebhookSignature } from './webhook-signature.js';

/** SECURITY 24: Kount's events are a few hundred bytes. */
export const WEBHOOK_BODY_LIMIT_BYTES = 64 * 1024;

/** Event ids are remembered this long; Kount's re-sends end within ten minutes (4 more, 2 minutes apart). */
export const WEBHOOK_DEDUPE_TTL_SECONDS = 24 * 60 * 60;

export const EVENT_SIGNATURE_HEADER = 'x-event-signature';
export const EVENT_TIMESTAMP_HEADER = 'x-event-timestamp';

/** Codes of the receiver's own answers; they go to Kount, never to a browser, so they are not in the browser contract. */
export type WebhookErrorCode = 'webhooks_not_configured' | 'webhook_rejected' | 'payload_too_large' | 'bad_json';

/**
 * Account Protection's `MFA.StatusUpdate` (Login/NAO one-time links): the relay verifies and
 * de-duplicates it, then hands it here. Called after the 200 has gone; a throw or rejection is logged.
 */
export type MfaStatusHandler = (event: MfaStatusUpdateEvent) => void | Promise<void>;

export interface WebhookReceiverDependencies {
  /** Null when `KOUNT_WEBHOOK_PUBLIC_KEY` is not set: every delivery gets 503. */
  publicKey: KeyObject | null;
  clientId: string;
  store: SessionStore;
  challenges: Challenges;
  now: () => number;
  logger: Logger;
  onMfaStatus?: MfaStatusHandler | undefined;
}

export class WebhookReceiver {
  readonly #dependencies: WebhookReceiverDependencies;
  readonly #pending = new Set<Promise<void>>();

  constructor(dependencies: WebhookReceiverDependencies) {
    this.#dependencies = dependencies;
  }

  async receive(request: Request): Promise<Response> {
    const { publicKey, logger, now, store, clientId } = this.#dependencies;
    if (publicKey === null) {
      logger.error('webhook.not_configured', { hint: 'set KOUNT_WEBHOOK_PUBLIC_KEY (webhookPublicKey)' });
      return webhookError(503, 'webhooks_not_configured', 'This relay has no webhook key configured.');
    }

    let rawBody: Uint8Array;
    try {
      rawBody = await readBodyBytes(request, WEBHOOK_BODY_LIMIT_BYTES);
    } catch (error) {
      if (isRelayError(error) && error.code === 'payload_too_large') {
        logger.warn('webhook.rejected', { reason: 'too_large' });
        return webhookError(413, 'payload_too_large', `The body is larger than ${WEBHOOK_BODY_LIMIT_BYTES} bytes.`);
      }
      throw error;
    }

    const check = checkWebhookSignature(
      { timestamp: request.headers.get(EVENT_TIMESTAMP_HEADER), signature: request.headers.get(EVENT_SIGNATURE_HEADER), rawBody },
      publicKey,
      now(),
    );
    if (!check.ok) {
      logger.warn('webhook.rejected', { reason: check.reason, ...(check.skewSeconds === undefined ? {} : { skewSeconds: check.skewSeconds }) });
      // One answer for every reason: a forger learns nothing about which check failed.
      return webhookError(401, 'webhook_rejected', 'The webhook signature could not be verified.');
    }

    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody)) as unknown;
    } catch {
      logger.warn('webhook.invalid_json', { bytes: rawBody.byteLength });
      return webhookError(400, 'bad_json', 'The body is not JSON.');
    }

    const eventId = webhookEventId(payload, rawBody);
    const update = readWebhook(payload, clientId);
    if (update.kind === 'ignored') {
      // 200 so Kount stops re-sending something this relay will never use.
      logger.info('webhook.ignored', { eventId, reason: update.reason });
      return received();
    }
    if (!(await store.claim(`k360:webhook-event:${eventId}`, WEBHOOK_DEDUPE_TTL_SECONDS))) {
      logger.info('webhook.duplicate', { eventId });
      return received();
    }
    logger.info('webhook.received', { eventId, shape: update.kind === 'mfa' ? 'MFA.StatusUpdate' : update.shape });
    if (update.kind === 'mfa') this.#later(() => this.#handOverMfaStatus(update.event, eventId));
    else this.#later(() => this.#apply(update, eventId));
    return received();
  }

  /** Resolves once every event accepted so far has been applied and pushed (graceful shutdown, tests). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
    // Applying an MFA status may have started a Challenge Outcome report.
    await this.#dependencies.challenges.settled();
  }

  async #apply(update: StepUpdate, eventId: string): Promise<void> {
    const result = await this.#dependencies.challenges.applyWebhook(update);
    // An unknown session still got its 200: Kount must not keep re-sending what no session awaits.
    if (result !== 'applied') this.#dependencies.logger.info(`webhook.${result}`, { eventId, shape: update.shape });
  }

  /**
   * First the relay's own MFA session, if it holds one for `mfaId` (its view moves and is pushed),
   * then the customer's hook, which hears about every MFA (also those the page does not finish).
   */
  async #handOverMfaStatus(event: MfaStatusUpdateEvent, eventId: string): Promise<void> {
    const { onMfaStatus, logger, challenges } = this.#dependencies;
    const session = await challenges.applyMfaStatus(event);
    logger.info('webhook.mfa_status', { eventId, mfaStatus: event.mfaStatus, session, handled: onMfaStatus !== undefined });
    if (onMfaStatus !== undefined) await onMfaStatus(event);
  }

  /** After this request's answer: a macrotask later, so nothing here can run before the 200 is handed back. */
  #later(work: () => Promise<void>): void {
    const task: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error: unknown) => this.#dependencies.logger.error('webhook.processing_failed', { error }))
      .finally(() => this.#pending.delete(task));
    this.#pending.add(task);
  }
}

function received(): Response {
  return new Response(JSON.stringify({ received: true }), {
    status: 200,
    headers: { ...noStoreHeaders(), 'content-type': 'application/json; charset=utf-8' },
  });
}

function webhookError(status: number, code: WebhookErrorCode, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { ...noStoreHeaders(), 'content-type': 'application/json; charset=utf-8' },
  });
}
