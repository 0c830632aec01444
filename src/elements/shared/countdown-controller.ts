/**
 * A seconds countdown for a host (resend available in, locked for, code expires in).
 *
 * Deadline-based: the remaining time is computed from `Date.now()` on each tick, so a throttled
 * background tab or a slow frame never makes it drift. Ticks with `setTimeout` aligned to the next
 * whole second (sinon's fake timers drive it), requests a host update on each tick and stops when
 * the host disconnects. On a server it only renders the seconds it was started with: a timer there
 * would keep the server's process alive for as long as the countdown runs.
 */
import { isServer, type ReactiveController, type ReactiveControllerHost } from 'lit';

export interface CountdownOptions {
  /** Called on every tick with the whole seconds left (after the host update was requested). */
  onTick?: (remainingSeconds: number) => void;
  /** Called once when the countdown reaches zero (not when it is stopped). */
  onEnd?: () => void;
}

/**
 * When a countdown is said aloud: each whole minute, at 30 s and at 10 s. A status region that
 * talked every second would drown everything else.
 */
export function isAnnouncementMilestone(seconds: number): boolean {
  return seconds > 0 && (seconds % 60 === 0 || seconds === 30 || seconds === 10);
}

export class CountdownController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: CountdownOptions;
  /** When the countdown ends; 0 while none runs. */
  #deadline = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, options: CountdownOptions = {}) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Whole seconds left, rounded up (2.1 s left reads as 3); 0 when not running. */
  get remainingSeconds(): number {
    return this.running ? this.#secondsLeft() : 0;
  }

  get running(): boolean {
    return this.#deadline !== 0;
  }

  /** Starts (or restarts) a countdown of `seconds`; a value of 0 or less stops it. */
  start(seconds: number): void {
    this.#clear();
    if (seconds > 0) {
      this.#deadline = Date.now() + seconds * 1000;
      if (!isServer) this.#schedule();
    }
    this.#host.requestUpdate();
  }

  /** Stops without calling `onEnd`. */
  stop(): void {
    if (!this.running) return;
    this.#clear();
    this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#clear();
  }

  #secondsLeft(): number {
    return Math.max(0, Math.ceil((this.#deadline - Date.now()) / 1000));
  }

  #schedule(): void {
    const left = this.#deadline - Date.now();
    // Wake up when the displayed whole-second value changes next.
    const untilNextSecond = left % 1000 || 1000;
    this.#timer = setTimeout(() => this.#tick(), Math.min(untilNextSecond, left));
  }

  #tick(): void {
    const remaining = this.#secondsLeft();
    if (remaining > 0) this.#schedule();
    else this.#clear();
    this.#host.requestUpdate();
    this.#options.onTick?.(remaining);
    if (remaining === 0) this.#options.onEnd?.();
  }

  #clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#deadline = 0;
  }
}
