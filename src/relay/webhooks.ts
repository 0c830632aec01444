/**
 * `POST {base}/webhooks/kount`: Kount 360's webhooks (SECURITY 20-24, 32). Server to server, so no
 * cookie, CSRF header or Origin check: the signature is the only credential. The raw body is read
 * once under a 64 KiB cap, the signature and timestamp checked, and the event applied before the
 * answer: 200 once its change is stored (pushing it to browsers happens after, through the store),
 * 503 when it could not be (Kount down for the refresh, store down), so that Kount sends it again.
 * An event id counts as done only after its change is stored, in the store, so de-duplication holds
 * across instances and restarts. A rejected delivery changes nothing and is logged without its body.
 */
import type { KeyObject } from 'node:crypto';
import type { MfaStatusUpdateEvent } from '../contract/kount/index.js';
import { isRelayError } from './errors.js';
import { noStoreHeaders } from './http-headers.js';
import { readBodyBytes } from './json-body.js';
import type { Logger } from './logger.js';
import { BODY_CONSUMED_FIX, bodyConsumed, type NativeResponses, type RequestBody } from './request-context.js';
import type { SessionStore } from './store/index.js';
import { readWebhook, webhookEventId, WebhookNotApplied, type MfaStatusHandler, type WebhookTarget } from './webhook-events.js';
import { checkWebhookSignature } from './webhook-signature.js';

/** SECURITY 24: Kount's events are a few hundred bytes. */
export const WEBHOOK_BODY_LIMIT_BYTES = 64 * 1024;

/** Event ids are remembered this long; Kount's re-sends end within ten minutes (4 more, 2 minutes apart). */
export const WEBHOOK_DEDUPE_TTL_SECONDS = 24 * 60 * 60;

/** An event being applied holds its id this long at most, so one whose instance died is taken by Kount's next re-send. */
const WEBHOOK_PROCESSING_TTL_SECONDS = 60;

export const EVENT_SIGNATURE_HEADER = 'x-event-signature';
export const EVENT_TIMESTAMP_HEADER = 'x-event-timestamp';

/** Codes of the receiver's own answers; they go to Kount, never to a browser, so they are not in the browser contract. */
export type WebhookErrorCode = 'webhooks_not_configured' | 'webhook_rejected' | 'payload_too_large' | 'bad_json' | 'webhook_not_applied' | 'body_consumed';

export interface WebhookReceiverDependencies {
  /** Kount's signing keys (more than one while it rotates); null when `KOUNT_WEBHOOK_PUBLIC_KEY` is not set: every delivery gets 503. */
  publicKeys: readonly KeyObject[] | null;
  clientId: string;
  store: SessionStore;
  target: WebhookTarget;
  now: () => number;
  logger: Logger;
  onMfaStatus?: MfaStatusHandler | undefined;
}

const eventKey = (eventId: string): string => `webhook-event:${eventId}`;

export class WebhookReceiver {
  readonly #dependencies: WebhookReceiverDependencies;
  readonly #pending = new Set<Promise<void>>();

  constructor(dependencies: WebhookReceiverDependencies) {
    this.#dependencies = dependencies;
  }

  /**
   * `body`: what the host framework did to the request first; the signature needs the raw bytes.
   * `native`: on Node (`RelayRequestContext.native`), the answer is written straight to Node's
   * response instead of read back from a `Response` body by the adapter.
   */
  async receive(request: Request, body: RequestBody = { kind: 'intact' }, native?: NativeResponses): Promise<Response> {
    const answer = await this.#receive(request, body);
    const text = ANSWER_TEXT[answer.code];
    return native ? native.text(answer.status, jsonHeaders(), text) : new Response(text, { status: answer.status, headers: jsonHeaders() });
  }

  async #receive(request: Request, body: RequestBody): Promise<Answer> {
    const { publicKeys, logger, now, store, clientId } = this.#dependencies;
    if (publicKeys === null) {
      logger.error('webhook.not_configured', { hint: 'set KOUNT_WEBHOOK_PUBLIC_KEY (webhookPublicKey)' });
      return webhookError(503, 'webhooks_not_configured');
    }
    if (body.kind !== 'intact') {
      // Not "bad signature": the bytes the signature covers are gone. 500, so Kount sends it again once this is fixed.
      logger.error('relay.body_consumed', { route: 'webhook', fix: BODY_CONSUMED_FIX });
      return webhookError(500, 'body_consumed');
    }

    let rawBody: Uint8Array;
    try {
      rawBody = await readBodyBytes(request, WEBHOOK_BODY_LIMIT_BYTES, body);
    } catch (error) {
      if (isRelayError(error) && error.code === 'payload_too_large') {
        logger.warn('webhook.rejected', { reason: 'too_large' });
        return webhookError(413, 'payload_too_large');
      }
      throw error;
    }

    const check = checkWebhookSignature(
      { timestamp: request.headers.get(EVENT_TIMESTAMP_HEADER), signature: request.headers.get(EVENT_SIGNATURE_HEADER), rawBody },
      publicKeys,
      now(),
    );
    if (!check.ok) {
      logger.warn('webhook.rejected', { reason: check.reason, ...(check.skewSeconds === undefined ? {} : { skewSeconds: check.skewSeconds }) });
      // One answer for every reason: a forger learns nothing about which check failed.
      return webhookError(401, 'webhook_rejected');
    }

    let payload: unknown;
    try {
      payload = JSON.parse(UTF8.decode(rawBody)) as unknown;
    } catch {
      logger.warn('webhook.invalid_json', { bytes: rawBody.byteLength });
      return webhookError(400, 'bad_json');
    }

    const eventId = webhookEventId(payload, rawBody);
    const update = readWebhook(payload, clientId);
    if (update.kind === 'ignored') {
      // 200 so Kount stops re-sending something this relay will never use.
      logger.info('webhook.ignored', { eventId, reason: update.reason });
      return received();
    }
    const shape = update.kind === 'mfa' ? 'MFA.StatusUpdate' : update.shape;
    // Done, or being applied by another delivery right now (which answers for itself): this one is a duplicate.
    if (!(await store.claim(eventKey(eventId), WEBHOOK_PROCESSING_TTL_SECONDS))) {
      logger.info('webhook.duplicate', { eventId });
      return received();
    }
    logger.info('webhook.received', { eventId, shape });

    let result: string;
    try {
      result = update.kind === 'mfa' ? await this.#dependencies.target.applyMfaStatus(update.event) : await this.#dependencies.target.applyWebhook(update);
    } catch (error) {
      // Not done: the id is given back, so Kount's re-send (or another instance's) applies it.
      await store.setValue(eventKey(eventId), '', 0).catch(() => undefined);
      logger.warn('webhook.not_applied', { eventId, shape, reason: isRelayError(error) ? error.code : error instanceof WebhookNotApplied ? 'kount_unavailable' : 'error', error });
      return webhookError(503, 'webhook_not_applied');
    }
    try {
      await store.setValue(eventKey(eventId), 'done', WEBHOOK_DEDUPE_TTL_SECONDS);
    } catch (error) {
      // The change is stored; a re-send finds nothing new to do, so this is not worth a 5xx.
      logger.warn('webhook.done_not_recorded', { eventId, error });
    }
    // An unknown session still gets its 200: Kount must not keep re-sending what no session awaits.
    if (result !== 'applied') logger.info(`webhook.${result}`, { eventId, shape });
    if (update.kind === 'mfa') this.#handOverMfaStatus(update.event, eventId, result);
    return received();
  }

  /** Resolves once every hook started so far, and the work applied webhooks started, is done (graceful shutdown, tests). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
    await this.#dependencies.target.settled();
  }

  /** The customer's hook hears about every MFA (also those the page does not finish), after Kount has its answer. */
  #handOverMfaStatus(event: MfaStatusUpdateEvent, eventId: string, session: string): void {
    const { onMfaStatus, logger } = this.#dependencies;
    logger.info('webhook.mfa_status', { eventId, mfaStatus: event.mfaStatus, session, handled: onMfaStatus !== undefined });
    if (onMfaStatus === undefined) return;
    const task: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => onMfaStatus(event))
      .catch((error: unknown) => logger.error('webhook.processing_failed', { error }))
      .finally(() => this.#pending.delete(task));
    this.#pending.add(task);
  }
}

/** What the receiver answers: a status, and which of its few fixed bodies. */
interface Answer {
  status: number;
  code: WebhookErrorCode | 'received';
}

const RECEIVED: Answer = { status: 200, code: 'received' };

/** A fatal decoder is stateless between whole `decode` calls: one serves every delivery. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Every body the receiver sends, serialised once. */
const ANSWER_TEXT: Record<Answer['code'], string> = {
  received: JSON.stringify({ received: true }),
  webhooks_not_configured: errorText('webhooks_not_configured', 'This relay has no webhook key configured.'),
  body_consumed: errorText('body_consumed', bodyConsumed('The webhook body').message),
  payload_too_large: errorText('payload_too_large', `The body is larger than ${WEBHOOK_BODY_LIMIT_BYTES} bytes.`),
  webhook_rejected: errorText('webhook_rejected', 'The webhook signature could not be verified.'),
  bad_json: errorText('bad_json', 'The body is not JSON.'),
  webhook_not_applied: errorText('webhook_not_applied', 'The event could not be applied now. Send it again.'),
};

function errorText(code: WebhookErrorCode, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

function jsonHeaders(): Record<string, string> {
  return { ...noStoreHeaders(), 'content-type': 'application/json; charset=utf-8' };
}

function received(): Answer {
  return RECEIVED;
}

function webhookError(status: number, code: WebhookErrorCode): Answer {
  return { status, code };
}
