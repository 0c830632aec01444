/**
 * The journey's moments for the shop's backend (`onEvent`, `JourneyEvent` in the contract): told
 * once each, by the instance that stored the change, after it was stored. Moments that follow from
 * a stored change itself (a decision, a lockout) are read from the change, whichever request made
 * it (an answer, a webhook, a refresh); the others are told where the request is handled.
 *
 * The listener is called after the response's work, never awaited by it: a slow or failing
 * listener holds nothing up and changes nothing (its error is logged). `settled()` waits for the
 * calls started so far, as a graceful shutdown does.
 */
import type { OtpChannel, SendLimit } from '../contract/browser.js';
import type { JourneyEvent, JourneyEventName } from '../contract/journey-events.js';
import { knownMethod } from '../contract/kount/index.js';
import { AbandonedSessions } from './abandoned-sessions.js';
import type { Logger } from './logger.js';
import { openAction, type Session } from './sessions.js';
import type { SessionStore } from './store/index.js';
import type { Telemetry } from './telemetry.js';
import { secondsUntil } from './time.js';

/** The events the metrics count (`Telemetry.journey`); the others only a listener gets. */
const METRIC_EVENTS: ReadonlySet<JourneyEventName> = new Set(['challenge_started', 'resend', 'retry', 'send_refused', 'lockout', 'decided', 'abandoned']);

/** Gets each journey event; may be async. Thrown errors and rejections are logged, never rethrown. */
export type JourneyEventListener = (event: JourneyEvent) => void | Promise<void>;

/** What a moment adds to the session's own fields (closed values only). */
export interface JourneyEventFields {
  channel?: OtpChannel | null | undefined;
  limit?: SendLimit | undefined;
}

export class JourneyEvents {
  readonly #listener: JourneyEventListener | undefined;
  readonly #logger: Logger;
  readonly #telemetry: Telemetry | undefined;
  readonly #pending = new Set<Promise<void>>();
  /** Sessions this instance started, looked at in their last second for `abandoned`; without a store, none. */
  readonly #abandoned: AbandonedSessions | undefined;

  /**
   * `telemetry`: the metrics the moments feed (challenges started and decided, lockouts, sends);
   * `sessions`: where a started session is read back in its last second, to tell `abandoned`.
   */
  constructor(listener: JourneyEventListener | undefined, logger: Logger, telemetry?: Telemetry, sessions?: { store: SessionStore; now: () => number }) {
    this.#listener = listener;
    this.#logger = logger;
    this.#telemetry = telemetry;
    this.#abandoned = sessions && new AbandonedSessions({ ...sessions, logger, abandoned: (session, now) => this.emit('abandoned', session, now) });
  }

  /** The sessions started here and not yet looked at in their last second. */
  get watching(): number {
    return this.#abandoned?.watching ?? 0;
  }

  /** Looks now at the sessions due (a timer does it every half second; tests on their own clock call it). */
  sweepAbandoned(): Promise<void> {
    return this.#abandoned?.sweep() ?? Promise.resolve();
  }

  /** A moment of `session`'s journey at `now`, about its open step (or the step it was in, given as `step`). */
  emit(name: JourneyEventName, session: Session, now: number, fields: JourneyEventFields = {}, step: Session = session): void {
    // Without a listener only the metrics read events, and they read none of the answers' (answerOutcome counts those).
    if (this.#listener === undefined && (this.#telemetry?.recording !== true || !METRIC_EVENTS.has(name))) return;
    const action = openAction(step);
    const event: JourneyEvent = {
      name,
      at: new Date(now).toISOString(),
      inquiryId: session.inquiryId,
      product: session.mfa === undefined ? 'identity_proofing' : 'account_protection',
      method: action === undefined ? null : (knownMethod(action.method) ?? null),
    };
    if (fields.channel) event.channel = fields.channel;
    if (fields.limit) event.limit = fields.limit;
    if (name === 'decided' && session.decision !== null) event.decision = session.decision;
    if (name === 'lockout' && session.lockedUntil !== null) event.lockedForSeconds = secondsUntil(session.lockedUntil, now);
    this.#telemetry?.journey(event, session.createdAt, now);
    if (name === 'challenge_started') this.#abandoned?.watch(session);
    this.#deliver(event);
  }

  /** The moments a stored change makes by itself: a lockout that began, a decision that arrived. */
  changed(before: Session, after: Session, now: number): void {
    if (after.lockedUntil !== null && after.lockedUntil !== before.lockedUntil && after.lockedUntil > now) this.emit('lockout', after, now, {}, before);
    if (before.decision === null && after.decision !== null) {
      this.#abandoned?.decided(after.id);
      this.emit('decided', after, now, {}, before);
    }
  }

  /** Tells nothing more about abandoned sessions (a stopping instance); calls already started go on. */
  close(): void {
    this.#abandoned?.close();
  }

  /** Resolves once every listener call started so far has finished. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  #deliver(event: JourneyEvent): void {
    const listener = this.#listener;
    if (listener === undefined) return;
    const call: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => listener(event))
      .catch((error: unknown) => this.#logger.error('relay.on_event_failed', { event: event.name, error }))
      .finally(() => this.#pending.delete(call));
    this.#pending.add(call);
  }
}
