/**
 * The standalone relay's journey events for the shop (`RELAY_EVENTS_WEBHOOK_URL`): each
 * `JourneyEvent` POSTed as JSON in the envelope Standard Webhooks recommends
 * (`{ type: 'k360.journey.<name>', timestamp, data }`), signed as its spec says (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`),
 * so any Standard Webhooks library verifies it.
 *
 * Delivery is this module's own queue, never the relay's: `deliver` only enqueues, so neither a
 * response nor `relay.settled()` waits for the shop. A 2xx ends a message; a timeout, a network
 * error, 408, 429 or 5xx is tried again after the next delay (the same `webhook-id`, signed anew
 * with the attempt's time, as receivers refuse old timestamps); any other status ends it, since
 * sending the same body again would get the same answer. One journey's events are sent one at a
 * time, in order (a receiver that must see `decided` after `code_submitted` can rely on it, even
 * across retries); different journeys do not wait on each other. Bounded: past `maxPending` the
 * oldest waiting message is dropped, and `close()` gives what is left a short grace, then drops it,
 * counted in the log. Never logged: the secret, the URL, the body.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { JourneyEvent, JourneyEventName } from '../../contract/journey-events.js';
import type { Logger } from '../logger.js';

/** What the receiver gets: the Standard Webhooks envelope around one `JourneyEvent`. */
export interface JourneyEventMessage {
  /** `k360.journey.` and the event's name, e.g. `k360.journey.decided`. */
  type: `k360.journey.${JourneyEventName}`;
  /** The event's own time (`data.at`), ISO 8601 in UTC. */
  timestamp: string;
  data: JourneyEvent;
}

/** The delivery's bounds; the defaults suit production, tests shorten the delays. */
export interface EventsWebhookTuning {
  /** The waits before the second, third… attempt; their number plus one is the number of attempts. */
  retryDelaysMs?: readonly number[];
  /** How long one attempt may take, response included. */
  attemptTimeoutMs?: number;
  /** Messages waiting or in flight; past it the oldest waiting one is dropped. */
  maxPending?: number;
  /** Requests in flight to the receiver at once. */
  maxConcurrent?: number;
}

export interface EventsWebhookOptions extends EventsWebhookTuning {
  url: string;
  /** `whsec_<base64>`, checked by the service's configuration; with several (rotation) each signs, and the header carries every signature. */
  secrets: readonly string[];
  logger: Logger;
  fetch?: typeof fetch;
  now?: () => number;
}

/** Immediately, then 1 s, 5 s, 30 s and 2 min later: about two and a half minutes in all. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000];
const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_PENDING = 10_000;
const DEFAULT_MAX_CONCURRENT = 16;
/** A full queue drops on every new event; one line per this long says how many. */
const DROP_LOG_INTERVAL_MS = 10_000;
const SECRET_PREFIX = 'whsec_';

interface Message {
  readonly id: string;
  readonly event: JourneyEventName;
  readonly inquiryId: string;
  readonly body: string;
  attempts: number;
  notBefore: number;
  inFlight: boolean;
}

type Outcome = { status: number } | { error: 'timeout' | 'network' | 'aborted' };

/** `v1,<signature>` for each secret, space-separated, as the spec's `webhook-signature` header. */
export function signWebhook(keys: readonly Uint8Array[], id: string, timestamp: number, body: string): string {
  return keys.map((key) => `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`).join(' ');
}

/** The key bytes of a `whsec_<base64>` secret. */
export function webhookSecretKey(secret: string): Uint8Array {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

export class EventsWebhook {
  readonly #url: string;
  readonly #keys: readonly Uint8Array[];
  readonly #logger: Logger;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #retryDelaysMs: readonly number[];
  readonly #attemptTimeoutMs: number;
  readonly #maxPending: number;
  readonly #maxConcurrent: number;
  /** Every unfinished message, oldest first; a message stays in place while it waits for a retry, so it keeps its journey's later ones behind it. */
  #queue: Message[] = [];
  #active = 0;
  #timer: NodeJS.Timeout | undefined;
  #idle: Array<() => void> = [];
  #closing = false;
  #closed = false;
  readonly #abort = new AbortController();
  #fullDrops = 0;
  #lastFullDropLog = Number.NEGATIVE_INFINITY;

  constructor(options: EventsWebhookOptions) {
    this.#url = options.url;
    this.#keys = options.secrets.map(webhookSecretKey);
    this.#logger = options.logger;
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    this.#retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.#attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
    this.#maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.#maxConcurrent = options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
  }

  /** The relay's `onEvent`: enqueues and returns at once. */
  readonly deliver = (event: JourneyEvent): void => {
    if (this.#closed) {
      this.#logger.warn('relay.events_webhook.dropped', { reason: 'closed', count: 1, event: event.name });
      return;
    }
    const message: JourneyEventMessage = { type: `k360.journey.${event.name}`, timestamp: event.at, data: event };
    if (this.#queue.length >= this.#maxPending) this.#dropOldestWaiting();
    this.#queue.push({ id: `msg_${randomUUID().replaceAll('-', '')}`, event: event.name, inquiryId: event.inquiryId, body: JSON.stringify(message), attempts: 0, notBefore: 0, inFlight: false });
    this.#pump();
  };

  /** Messages not yet delivered or given up: waiting, in flight, or waiting for a retry. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Resolves once every message enqueued so far is delivered, given up or dropped (retries included: minutes at worst). */
  settled(): Promise<void> {
    return this.#queue.length === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Stops: what waits for a retry is tried once more at once (and not again), everything gets
   * `graceMs` to be delivered, and what is left then is dropped (requests in flight aborted),
   * counted in the log.
   */
  async close(graceMs: number): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    for (const message of this.#queue) message.notBefore = 0;
    this.#pump();
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([this.settled().then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))]);
    clearTimeout(timer);
    this.#closed = true;
    clearTimeout(this.#timer);
    if (!drained) {
      const count = this.#queue.length;
      this.#queue = [];
      this.#abort.abort();
      this.#logger.warn('relay.events_webhook.dropped', { reason: 'shutdown', count, graceMs });
      this.#settle();
    }
    this.#logFullDrops(true);
  }

  /** Starts every attempt that is due, its journey free and a slot open; sets the timer for the next one due later. */
  #pump(): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = this.#now();
    // A journey with an earlier message still unfinished (in flight or waiting for a retry) waits for it.
    const held = new Set<string>();
    let nextDue = Number.POSITIVE_INFINITY;
    for (const message of this.#queue) {
      if (this.#active >= this.#maxConcurrent) break;
      const journeyBusy = held.has(message.inquiryId);
      held.add(message.inquiryId);
      if (message.inFlight || journeyBusy) continue;
      if (message.notBefore > now) {
        nextDue = Math.min(nextDue, message.notBefore);
        continue;
      }
      void this.#attempt(message);
    }
    // The servers keep the process alive; this timer alone need not.
    if (nextDue !== Number.POSITIVE_INFINITY) this.#timer = setTimeout(() => this.#pump(), nextDue - now).unref();
  }

  async #attempt(message: Message): Promise<void> {
    message.inFlight = true;
    message.attempts += 1;
    this.#active += 1;
    const started = this.#now();
    const outcome = await this.#post(message, Math.floor(started / 1000));
    this.#active -= 1;
    message.inFlight = false;
    if (this.#closed || !this.#queue.includes(message)) return;
    const fields = { event: message.event, webhookId: message.id, attempt: message.attempts, durationMs: this.#now() - started, ...outcome };
    if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) {
      this.#logger.debug?.('relay.events_webhook.delivered', fields);
      this.#finish(message);
    } else if (!this.#closing && isRetryable(outcome) && message.attempts <= this.#retryDelaysMs.length) {
      const delayMs = this.#retryDelaysMs[message.attempts - 1] ?? 0;
      message.notBefore = this.#now() + delayMs;
      this.#logger.warn('relay.events_webhook.failed', { ...fields, retryInSeconds: delayMs / 1000 });
    } else {
      // Out of attempts, refused for good, or shutting down (the one last try `close()` gave it).
      this.#logger.error('relay.events_webhook.failed', { ...fields, gaveUp: true });
      this.#finish(message);
    }
    this.#pump();
  }

  async #post(message: Message, timestamp: number): Promise<Outcome> {
    const signal = AbortSignal.any([AbortSignal.timeout(this.#attemptTimeoutMs), this.#abort.signal]);
    try {
      const response = await this.#fetch(this.#url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'k360-verify-relay',
          'webhook-id': message.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(this.#keys, message.id, timestamp, message.body),
        },
        body: message.body,
        // A redirect would carry the signed body elsewhere; it is the receiver's answer, not followed.
        redirect: 'manual',
        signal,
      });
      // Only the status counts; the body is not read.
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status };
    } catch (error) {
      if (this.#abort.signal.aborted) return { error: 'aborted' };
      return { error: (error as Error).name === 'TimeoutError' ? 'timeout' : 'network' };
    }
  }

  #finish(message: Message): void {
    const index = this.#queue.indexOf(message);
    if (index !== -1) this.#queue.splice(index, 1);
    if (this.#queue.length === 0) this.#settle();
  }

  #settle(): void {
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }

  #dropOldestWaiting(): void {
    const index = this.#queue.findIndex((message) => !message.inFlight);
    if (index === -1) return;
    this.#queue.splice(index, 1);
    this.#fullDrops += 1;
    this.#logFullDrops(false);
  }

  #logFullDrops(force: boolean): void {
    const now = this.#now();
    if (this.#fullDrops === 0 || (!force && now - this.#lastFullDropLog < DROP_LOG_INTERVAL_MS)) return;
    this.#logger.warn('relay.events_webhook.dropped', { reason: 'queue_full', count: this.#fullDrops, maxPending: this.#maxPending });
    this.#fullDrops = 0;
    this.#lastFullDropLog = now;
  }
}

/** No answer, or one that may differ next time: a timeout, 408, 429 or 5xx. */
function isRetryable(outcome: Outcome): boolean {
  if ('error' in outcome) return outcome.error !== 'aborted';
  return outcome.status === 408 || outcome.status === 429 || outcome.status >= 500;
}
