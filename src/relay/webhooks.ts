/**
 * `POST {base}/webhooks/kount`: Kount 360's webhooks (SECURITY 20-24, 32). Server to server, so no
 * cookie, CSRF header or Origin check: the signature is the only credential. The raw body is read
 * once under a 64 KiB cap, the signature and timestamp checked, and the event applied before the
 * answer: 200 once its change is stored (pushing it to browsers happens after, through the store),
 * 503 when it could not be (Kount down for the refresh, store down), so that Kount sends it again.
 * An event id counts as done only after its change is stored, in the store, so de-duplication holds
 * across instances and restarts. A rejected delivery changes nothing and is logged without its body.
 *
 * While a delivery applies an event it holds a processing claim on the event id that carries its
 * deadline (SECURITY 44). Another delivery of the event finds either `done` (a duplicate: 200), a
 * live claim (503: the event is not applied yet, so this delivery is not acknowledged; Kount sends
 * it again, and by then it is done or the claim is stale), or a stale claim, whose writer has
 * answered or died, which it takes over. So a claim that a hung store writes after its request gave
 * up never turns a re-send into a duplicate.
 */
import type { KeyObject } from 'node:crypto';
import type { MfaStatusUpdateEvent } from '../contract/kount/index.js';
import { isRelayError } from './errors.js';
import { noStoreHeaders } from './http-headers.js';
import { readBodyBytes } from './json-body.js';
import type { Logger } from './logger.js';
import { BODY_CONSUMED_FIX, bodyConsumed, type NativeResponses, type RequestBody } from './request-context.js';
import type { SessionStore } from './store/index.js';
import type { Telemetry } from './telemetry.js';
import { readWebhook, webhookEventId, WebhookNotApplied, type MfaStatusHandler, type WebhookApplication, type WebhookTarget, type WebhookUpdate } from './webhook-events.js';
import { MAX_UPSTREAM_DEPTH, MAX_UPSTREAM_STRING_LENGTH, brokenUpstreamBound } from './upstream-bounds.js';
import { checkWebhookSignature } from './webhook-signature.js';

/** SECURITY 24: Kount's events are a few hundred bytes. */
export const WEBHOOK_BODY_LIMIT_BYTES = 64 * 1024;

/** Event ids are remembered this long; Kount's re-sends end within ten minutes (4 more, 2 minutes apart). */
export const WEBHOOK_DEDUPE_TTL_SECONDS = 24 * 60 * 60;

/**
 * A delivery answers within this (503 when its event is not applied by then); after it, its
 * processing claim is stale and any re-send takes the event over. Kount re-sends 2 minutes apart.
 */
export const WEBHOOK_DEADLINE_MS = 30_000;

/**
 * An event being applied holds its id this long at most: past the deadline (clocks of instances may
 * differ by a few seconds), so a claim whose deadline nobody reads (an instance of an older version,
 * an instance that died) still ends before Kount's next re-send.
 */
export const WEBHOOK_PROCESSING_TTL_SECONDS = 60;

const DONE = 'done';
const PROCESSING_PREFIX = 'processing:';

export const EVENT_SIGNATURE_HEADER = 'x-event-signature';
export const EVENT_TIMESTAMP_HEADER = 'x-event-timestamp';

/** Codes of the receiver's own answers; they go to Kount, never to a browser, so they are not in the browser contract. */
export type WebhookErrorCode = 'webhooks_not_configured' | 'webhook_rejected' | 'payload_too_large' | 'bad_json' | 'body_out_of_bounds' | 'webhook_not_applied' | 'webhook_in_progress' | 'body_consumed';

export interface WebhookReceiverDependencies {
  /** Kount's signing keys (more than one while it rotates); null when `KOUNT_WEBHOOK_PUBLIC_KEY` is not set: every delivery gets 503. */
  publicKeys: readonly KeyObject[] | null;
  clientId: string;
  store: SessionStore;
  target: WebhookTarget;
  now: () => number;
  logger: Logger;
  onMfaStatus?: MfaStatusHandler | undefined;
  /** `k360.webhook.received` by outcome and `k360.webhook.lag`, when OpenTelemetry is installed. */
  telemetry?: Telemetry | undefined;
}

export const eventKey = (eventId: string): string => `webhook-event:${eventId}`;

/** What a delivery found when it claimed its event id. */
type Claim = 'claimed' | 'done' | 'in_progress';

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
    const { telemetry, now } = this.#dependencies;
    if (telemetry !== undefined) {
      // How late a verified delivery came: from the time Kount signed it (checked against the tolerance) to now.
      const signedAt = answer.code === 'received' ? Date.parse(request.headers.get(EVENT_TIMESTAMP_HEADER) ?? '') : Number.NaN;
      telemetry.webhookReceived(answer.code, Number.isNaN(signedAt) ? undefined : (now() - signedAt) / 1000);
    }
    const text = ANSWER_TEXT[answer.code];
    return native ? native.text(answer.status, jsonHeaders(), text) : new Response(text, { status: answer.status, headers: jsonHeaders() });
  }

  async #receive(request: Request, body: RequestBody): Promise<Answer> {
    const { publicKeys, logger, now, clientId } = this.#dependencies;
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
    const broken = brokenUpstreamBound(payload);
    if (broken !== undefined) {
      // SECURITY 41: signed by Kount or not, nothing out of bounds is read or kept; a re-send would be the same.
      logger.warn('webhook.out_of_bounds', { bound: broken, bytes: rawBody.byteLength });
      return webhookError(400, 'body_out_of_bounds');
    }

    const eventId = webhookEventId(payload, rawBody);
    const update = readWebhook(payload, clientId);
    if (update.kind === 'ignored') {
      // 200 so Kount stops re-sending something this relay will never use.
      logger.info('webhook.ignored', { eventId, reason: update.reason });
      return received();
    }
    return this.#withinDeadline(this.#apply(update, eventId, now() + WEBHOOK_DEADLINE_MS), eventId);
  }

  /** Claims the event id, applies the event, and records it done. Never rejects: every failure is a 503 answer. */
  async #apply(update: Exclude<WebhookUpdate, { kind: 'ignored' }>, eventId: string, deadline: number): Promise<Answer> {
    const { logger, now, store } = this.#dependencies;
    const shape = update.kind === 'mfa' ? 'MFA.StatusUpdate' : update.shape;
    let claim: Claim;
    try {
      claim = await this.#claim(eventId, deadline);
    } catch (error) {
      // A store that failed (or answered too late) may still write the claim: it carries its deadline, so it cannot block a re-send.
      logger.warn('webhook.not_applied', { eventId, shape, reason: reasonOf(error), error });
      return webhookError(503, 'webhook_not_applied');
    }
    if (claim === 'done') {
      logger.info('webhook.duplicate', { eventId });
      return received();
    }
    if (claim === 'in_progress') {
      // Not 200: if the delivery holding the claim fails, this one must not have been acknowledged for it.
      logger.info('webhook.in_progress', { eventId, shape });
      return webhookError(503, 'webhook_in_progress');
    }
    logger.info('webhook.received', { eventId, shape });

    let result: WebhookApplication;
    try {
      result = update.kind === 'mfa' ? await this.#dependencies.target.applyMfaStatus(update.event) : await this.#dependencies.target.applyWebhook(update);
    } catch (error) {
      // Not done: the id is given back, so Kount's re-send (or another instance's) applies it. Past the
      // deadline the claim is stale already, and may have been taken over: it is left alone.
      if (now() < deadline) await store.setValue(eventKey(eventId), '', 0).catch(() => undefined);
      logger.warn('webhook.not_applied', { eventId, shape, reason: reasonOf(error), error });
      return webhookError(503, 'webhook_not_applied');
    }
    try {
      await store.setValue(eventKey(eventId), DONE, WEBHOOK_DEDUPE_TTL_SECONDS);
    } catch (error) {
      // The change is stored; a re-send after the deadline finds nothing new to do, so this is not worth a 5xx.
      logger.warn('webhook.done_not_recorded', { eventId, error });
    }
    // An unknown session still gets its 200: Kount must not keep re-sending what no session awaits.
    if (result !== 'applied') logger.info(`webhook.${result}`, { eventId, shape });
    if (update.kind === 'mfa') this.#handOverMfaStatus(update.event, eventId, result);
    return received();
  }

  /**
   * The event id for this delivery: `claimed` (apply it), `done` (a duplicate) or `in_progress`
   * (another delivery holds a live claim). A stale claim is taken over by one re-send only: of
   * several, the one that claims the takeover of that very claim (named by its deadline) wins.
   */
  async #claim(eventId: string, deadline: number): Promise<Claim> {
    const { store, now } = this.#dependencies;
    const key = eventKey(eventId);
    const mine = `${PROCESSING_PREFIX}${deadline}`;
    if (await store.claim(key, WEBHOOK_PROCESSING_TTL_SECONDS, mine)) return 'claimed';
    const held = await store.getValue(key);
    if (held === DONE) return 'done';
    // Given back or expired since the claim above: one more try.
    if (held === null) return (await store.claim(key, WEBHOOK_PROCESSING_TTL_SECONDS, mine)) ? 'claimed' : 'in_progress';
    const heldDeadline = deadlineOf(held);
    // A claim without a deadline (an older instance's) is live until it expires.
    if (heldDeadline === null || now() < heldDeadline) return 'in_progress';
    if (!(await store.claim(`${key}:takeover:${heldDeadline}`, WEBHOOK_PROCESSING_TTL_SECONDS))) return 'in_progress';
    this.#dependencies.logger.info('webhook.stale_claim_taken_over', { eventId, staleForMs: now() - heldDeadline });
    await store.setValue(key, mine, WEBHOOK_PROCESSING_TTL_SECONDS);
    return 'claimed';
  }

  /** The delivery's answer, or 503 once its deadline passes (the work goes on; its claim is stale from then on). */
  async #withinDeadline(work: Promise<Answer>, eventId: string): Promise<Answer> {
    // `#apply` does not reject; should it ever, after the deadline answered, the error is logged rather than unhandled.
    work.catch((error: unknown) => this.#dependencies.logger.error('webhook.processing_failed', { eventId, error }));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<Answer>((resolve) => {
      timer = setTimeout(() => {
        this.#dependencies.logger.warn('webhook.not_applied', { eventId, reason: 'deadline_passed', deadlineMs: WEBHOOK_DEADLINE_MS });
        resolve(webhookError(503, 'webhook_not_applied'));
      }, WEBHOOK_DEADLINE_MS);
      // A delivery still at work must not keep a process that is otherwise done alive.
      timer.unref?.();
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
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
  body_out_of_bounds: errorText('body_out_of_bounds', `The body has a string over ${MAX_UPSTREAM_STRING_LENGTH} characters or is nested over ${MAX_UPSTREAM_DEPTH} levels deep.`),
  webhook_not_applied: errorText('webhook_not_applied', 'The event could not be applied now. Send it again.'),
  webhook_in_progress: errorText('webhook_in_progress', 'The event is being applied by another delivery. Send it again later.'),
};

/** Why a delivery was not applied, for its log line. */
function reasonOf(error: unknown): string {
  if (error instanceof WebhookNotApplied) return error.reason;
  return isRelayError(error) ? error.code : 'error';
}

/** The deadline in a processing claim, or null when the value is not one (an older instance's `1`). */
function deadlineOf(claim: string): number | null {
  if (!claim.startsWith(PROCESSING_PREFIX)) return null;
  const deadline = Number(claim.slice(PROCESSING_PREFIX.length));
  return Number.isSafeInteger(deadline) ? deadline : null;
}

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
