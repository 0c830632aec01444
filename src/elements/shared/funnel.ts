/**
 * The funnel of one verification, reported as `verify-analytics` events: what each event repeats
 * (the correlation id, the step on screen, when it was shown) kept in one place. Nothing here
 * sees a code, an answer, a contact or Kount's text, so no event can carry one.
 */
import { VerifyAnalyticsEvent, type VerifyAnalyticsDetail, type VerifyAnalyticsName } from './events.js';

type Method = VerifyAnalyticsDetail['method'];

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

  constructor(target: EventTarget) {
    this.#target = target;
  }

  /** A step is on screen: reports `step_shown`, unless it is the step already shown. */
  show(method: NonNullable<Method>, step: number | null): void {
    if (method === this.#method && step === this.#step) return;
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

  /** A failure the shopper was shown: a wrong answer, a lockout, or an error (by its code). */
  failure(code: string): void {
    if (code === 'aborted') return;
    if (code === 'wrong_code' || code === 'wrong_answers') this.emit('wrong_answer');
    else if (code === 'too_many_attempts') this.emit('lockout');
    else this.emit('error', code);
  }
}
