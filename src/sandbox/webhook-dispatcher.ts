import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from './defaults.js';
import {
  type ActiveWebhookFault,
  DEFAULT_FAULT_DELAY_MS,
  DEFAULT_REORDER_HOLD_MS,
  STALE_TIMESTAMP_AGE_MS,
  type WebhookFaultKind,
  type WebhookFaultSpec,
  WebhookFaultStore,
} from './webhook-faults.js';
import { type WebhookSigner, webhookTimestamp } from './webhook-signer.js';

/** The payload shapes the sandbox sends, by their names in Kount's references. */
export type WebhookKind =
  | 'WebhookEventRequest'
  | 'DOCVerification.StatusUpdate'
  | 'DocVOnboardingEventRequest'
  | 'DocVResultsEventRequest'
  | 'MFA.StatusUpdate';

export interface OutgoingWebhook {
  readonly kind: WebhookKind;
  /** For the log and for tests; not part of bare payloads. */
  readonly authenticationId: string;
  readonly sessionId: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** A webhook the sandbox produced, whether or not a receiver is configured. */
export interface WebhookEvent {
  /** The envelope `id` when there is one, else the SHA-256 (hex) of the body: how a receiver de-duplicates. */
  readonly eventId: string;
  readonly kind: WebhookKind;
  readonly authenticationId: string;
  readonly sessionId: string;
  /** The exact body bytes (UTF-8 JSON), posted unchanged on every attempt. */
  readonly body: string;
  /** Headers of the first attempt. Retries are signed again with a fresh timestamp. */
  readonly timestamp: string;
  readonly signature: string;
}

export interface WebhookDelivery {
  readonly eventId: string;
  readonly kind: WebhookKind;
  readonly target: string;
  /** 1 for the first post, up to 5 (Kount re-sends up to 4 more times). */
  readonly attempt: number;
  /** The receiver's HTTP status; null when no answer came. */
  readonly status: number | null;
  readonly error?: 'network' | 'timeout';
  readonly fault?: WebhookFaultKind;
  readonly timestamp: string;
}

export interface SandboxWebhooks {
  /** Where webhooks are posted; undefined when none is configured (events are still recorded). */
  readonly target: string | undefined;
  /** Every event produced, oldest first. */
  events(): readonly WebhookEvent[];
  /** Every delivery attempt answered or failed, oldest first. */
  deliveries(): readonly WebhookDelivery[];
  addFault(spec: WebhookFaultSpec): ActiveWebhookFault;
  faults(): readonly ActiveWebhookFault[];
  clearFaults(): void;
  /** Resolves once no delivery, delay or retry is pending. */
  settled(): Promise<void>;
}

export interface WebhookDispatcherOptions {
  readonly signer: WebhookSigner;
  readonly target: string | undefined;
  readonly now: Clock;
  /** Kount re-sends 2 minutes apart; tests pass a few milliseconds. */
  readonly retryIntervalMs: number;
  readonly attemptTimeoutMs: number;
}

export const WEBHOOK_MAX_ATTEMPTS = 5;
export const DEFAULT_WEBHOOK_RETRY_INTERVAL_MS = 2 * 60 * 1000;
export const DEFAULT_WEBHOOK_ATTEMPT_TIMEOUT_MS = 10_000;
const MAX_KEPT_RECORDS = 1000;

function eventIdOf(payload: Readonly<Record<string, unknown>>, body: string): string {
  const envelopeId = payload['id'];
  return typeof envelopeId === 'string' && envelopeId !== '' ? envelopeId : createHash('sha256').update(body, 'utf8').digest('hex');
}

function corrupt(signature: string): string {
  const bytes = Buffer.from(signature, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

function keepLast<T>(list: T[]): void {
  if (list.length > MAX_KEPT_RECORDS) list.splice(0, list.length - MAX_KEPT_RECORDS);
}

interface PostResult {
  readonly ok: boolean;
}

/**
 * Signs and posts webhooks asynchronously: the step that produced an event never waits for the
 * receiver. Non-2xx answers, network errors and timeouts are retried, up to 5 posts in all.
 * Nothing is written to the console: bodies can hold personal data.
 */
export class WebhookDispatcher implements SandboxWebhooks {
  readonly #options: WebhookDispatcherOptions;
  readonly #faults = new WebhookFaultStore();
  readonly #events: WebhookEvent[] = [];
  readonly #deliveries: WebhookDelivery[] = [];
  readonly #pending = new Set<Promise<void>>();
  readonly #waitingForNextAnswer = new Set<() => void>();
  #stop = new AbortController();

  constructor(options: WebhookDispatcherOptions) {
    this.#options = options;
  }

  get target(): string | undefined {
    return this.#options.target;
  }

  emit(outgoing: OutgoingWebhook): WebhookEvent {
    const body = JSON.stringify(outgoing.payload);
    const timestamp = webhookTimestamp(this.#options.now());
    const event: WebhookEvent = {
      eventId: eventIdOf(outgoing.payload, body),
      kind: outgoing.kind,
      authenticationId: outgoing.authenticationId,
      sessionId: outgoing.sessionId,
      body,
      timestamp,
      signature: this.#options.signer.sign(timestamp, body),
    };
    this.#events.push(event);
    keepLast(this.#events);
    const target = this.#options.target;
    if (target !== undefined) {
      const delivery = this.#deliver(event, target, this.#stop.signal).finally(() => this.#pending.delete(delivery));
      this.#pending.add(delivery);
    }
    return event;
  }

  events(): readonly WebhookEvent[] {
    return [...this.#events];
  }

  deliveries(): readonly WebhookDelivery[] {
    return [...this.#deliveries];
  }

  addFault(spec: WebhookFaultSpec): ActiveWebhookFault {
    return this.#faults.add(spec);
  }

  faults(): readonly ActiveWebhookFault[] {
    return this.#faults.list();
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Abandons pending deliveries, delays and retries; the records stay. */
  stop(): void {
    this.#stop.abort();
    this.#stop = new AbortController();
    this.#releaseHeldDeliveries();
  }

  /** Abandons pending deliveries and retries, and forgets events, deliveries and faults. */
  clear(): void {
    this.stop();
    this.#events.length = 0;
    this.#deliveries.length = 0;
    this.#faults.clear();
  }

  async #deliver(event: WebhookEvent, target: string, stop: AbortSignal): Promise<void> {
    for (let attempt = 1; attempt <= WEBHOOK_MAX_ATTEMPTS; attempt += 1) {
      try {
        if (attempt > 1) await sleep(this.#options.retryIntervalMs, undefined, { signal: stop, ref: false });
        const { ok } = await this.#attempt(event, target, attempt, stop);
        if (ok) return;
      } catch {
        return; // stopped by `clear()`
      }
    }
  }

  async #attempt(event: WebhookEvent, target: string, attempt: number, stop: AbortSignal): Promise<PostResult> {
    const fault = this.#faults.take();
    let timestamp = attempt === 1 ? event.timestamp : webhookTimestamp(this.#options.now());
    if (fault?.kind === 'stale-timestamp') timestamp = webhookTimestamp(this.#options.now() - STALE_TIMESTAMP_AGE_MS);
    let signature = timestamp === event.timestamp ? event.signature : this.#options.signer.sign(timestamp, event.body);
    if (fault?.kind === 'bad-signature') signature = corrupt(signature);
    if (fault?.kind === 'delay') await sleep(fault.delayMs ?? DEFAULT_FAULT_DELAY_MS, undefined, { signal: stop, ref: false });
    if (fault?.kind === 'reorder') await this.#nextAnswerOrTimeout(fault.delayMs ?? DEFAULT_REORDER_HOLD_MS, stop);
    stop.throwIfAborted();

    const posted = { event, target, attempt, timestamp, signature, fault: fault?.kind, stop };
    const first = await this.#post(posted);
    if (fault?.kind === 'duplicate') {
      // A second copy is signed on its own: a fresh signature over the same bytes (PSS is randomized).
      await this.#post({ ...posted, signature: this.#options.signer.sign(timestamp, event.body) });
    }
    return first;
  }

  async #post(posted: {
    event: WebhookEvent;
    target: string;
    attempt: number;
    timestamp: string;
    signature: string;
    fault: WebhookFaultKind | undefined;
    stop: AbortSignal;
  }): Promise<PostResult> {
    const { event, target, attempt, timestamp, signature, fault, stop } = posted;
    let status: number | null = null;
    let error: WebhookDelivery['error'];
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Event-Timestamp': timestamp,
          'X-Event-Signature': signature,
          'User-Agent': 'k360-sandbox-webhooks',
        },
        body: event.body,
        redirect: 'manual',
        signal: AbortSignal.any([stop, AbortSignal.timeout(this.#options.attemptTimeoutMs)]),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (caught) {
      stop.throwIfAborted();
      error = caught instanceof Error && caught.name === 'TimeoutError' ? 'timeout' : 'network';
    }
    this.#deliveries.push({
      eventId: event.eventId,
      kind: event.kind,
      target,
      attempt,
      status,
      ...(error === undefined ? {} : { error }),
      ...(fault === undefined ? {} : { fault }),
      timestamp,
    });
    keepLast(this.#deliveries);
    if (fault !== 'reorder') this.#releaseHeldDeliveries();
    return { ok: status !== null && status >= 200 && status < 300 };
  }

  #releaseHeldDeliveries(): void {
    const waiting = [...this.#waitingForNextAnswer];
    this.#waitingForNextAnswer.clear();
    for (const release of waiting) release();
  }

  async #nextAnswerOrTimeout(holdMs: number, stop: AbortSignal): Promise<void> {
    const hold = new AbortController();
    const released = new Promise<void>((resolve) => {
      const release = (): void => {
        this.#waitingForNextAnswer.delete(release);
        resolve();
      };
      this.#waitingForNextAnswer.add(release);
      hold.signal.addEventListener('abort', release, { once: true });
    });
    await Promise.race([released, sleep(holdMs, undefined, { signal: AbortSignal.any([stop, hold.signal]), ref: false }).catch(() => undefined)]);
    hold.abort();
  }
}
