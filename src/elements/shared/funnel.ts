/**
 * The funnel of one verification, reported as `verify-analytics` events: what each event repeats
 * (the correlation id, the step on screen, when it was shown) kept in one place. Nothing here
 * sees a code, an answer, a contact or Kount's text, so no event can carry one.
 */
import type { ActionView, OthActionView } from '../../contract/browser.js';
import { VerifyAnalyticsEvent, type VerifyAnalyticsDetail, type VerifyAnalyticsName } from './events.js';

type Method = VerifyAnalyticsDetail['method'];

/**
 * A one-time link still awaited: nobody has opened it yet, as far as this page heard. When the
 * step ends from here (a decision, the next step) the link decided it, unseen: `link_opened`.
 */
export const awaitingLink = (action: Pick<OthActionView, 'status'>, expired: boolean): boolean =>
  !expired && (action.status === 'MESSAGE_SENT' || action.status === 'UNKNOWN');

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export class Funnel {
  readonly correlationId = randomId();
  readonly #target: EventTarget;
  #method: Method = null;
  #step: number | null = null;
  #shownAt = 0;
  /** Whether the step shown refuses answers for a while; undefined until a view of it said. */
  #locked: boolean | undefined;

  constructor(target: EventTarget) {
    this.#target = target;
  }

  /** A step is on screen: reports `step_shown`, unless it is the step already shown. */
  show(method: NonNullable<Method>, step: number | null): void {
    if (method === this.#method && step === this.#step) return;
    // Another step: whether it is locked is for its views to say (a first step keeps what a refusal said).
    if (this.#method) this.#locked = undefined;
    this.#method = method;
    this.#step = step;
    this.#shownAt = Date.now();
    this.emit('step_shown');
  }

  get shown(): boolean {
    return this.#method !== null;
  }

  emit(name: VerifyAnalyticsName, value?: string): void {
    const elapsedMs = name === 'step_shown' || !this.shown ? 0 : Math.max(0, Math.round(Date.now() - this.#shownAt));
    const detail: VerifyAnalyticsDetail = { name, method: this.#method, step: this.#step, elapsedMs, correlationId: this.correlationId };
    this.#target.dispatchEvent(new VerifyAnalyticsEvent(value === undefined ? detail : { ...detail, value }));
  }

  /**
   * Whether the step refuses answers for a while, as its newest view or a refusal says: `lockout`
   * when a lock begins. The wrong code that spends the last attempt is refused as `wrong_code`
   * like any other, and the lock arrives in the view read right after it (`lockedForSeconds`); a
   * step already locked when shown (a reload during the wait) is no new lockout. `action`: the
   * step's newest action, or `true` when a refusal said so.
   */
  locked(action: ActionView | true): void {
    const locked = action === true || (action.method === 'OTP' && action.lockedForSeconds > 0);
    if (locked && this.#locked === false) this.emit('lockout');
    this.#locked = locked;
  }

  /** A failure the shopper was shown: a wrong answer, a lockout, or an error (by its code). */
  failure(code: string): void {
    if (code === 'aborted') return;
    const wrong = code === 'wrong_code' || code === 'wrong_answers';
    // An answer reached Kount, or a lock is news, unless a view said it already: a lock the next
    // view shows began here (also for a step that had heard no view, its action given as a property).
    if (wrong || code === 'too_many_attempts') this.#locked ??= false;
    if (wrong) this.emit('wrong_answer');
    else if (code === 'too_many_attempts') this.locked(true);
    else this.emit('error', code);
  }
}
