/**
 * What an element says to screen readers: one polite status region and one alert region per
 * element. The host renders both regions all the time (a live region must exist before its text
 * changes to be announced) with the state this controller keeps:
 *
 * ```ts
 * html`<div part="status" role="status" aria-live="polite" aria-atomic="true">${this.live.status}</div>
 *      <div part="error" id="error" role=${this.live.alertRole} aria-atomic="true">${this.live.alert}</div>`
 * ```
 *
 * Announcing the same text twice would be silent, because the region's content does not change.
 * For the alert, the Material Web trick: drop `role="alert"` for one frame and put it back, which
 * screen readers take as a new alert. For the status, empty it for one frame, then set the text.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class LiveRegionController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #status = '';
  #alert = '';
  #alertHidden = false;
  #statusFrame: number | undefined;
  #alertFrame: number | undefined;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Text of the polite status region. */
  get status(): string {
    return this.#status;
  }

  /** Text of the alert region (also what an input's `aria-describedby` points at). */
  get alert(): string {
    return this.#alert;
  }

  /** `role` for the alert region: `alert`, or `none` for the frame that makes a repeat audible. */
  get alertRole(): 'alert' | 'none' {
    return this.#alertHidden ? 'none' : 'alert';
  }

  /** Says `text` politely (replaces the previous status). Repeating the same text says it again. */
  announce(text: string): void {
    this.#cancelStatus();
    const repeat = text !== '' && text === this.#status;
    this.#status = repeat ? '' : text;
    if (repeat) {
      this.#statusFrame = requestAnimationFrame(() => {
        this.#statusFrame = undefined;
        this.#status = text;
        this.#host.requestUpdate();
      });
    }
    this.#host.requestUpdate();
  }

  /** Shows and asserts an error. Showing the same error again re-announces it. */
  showAlert(text: string): void {
    this.#cancelAlert();
    const repeat = text !== '' && text === this.#alert;
    this.#alert = text;
    this.#alertHidden = repeat;
    if (repeat) {
      this.#alertFrame = requestAnimationFrame(() => {
        this.#alertFrame = undefined;
        this.#alertHidden = false;
        this.#host.requestUpdate();
      });
    }
    this.#host.requestUpdate();
  }

  clearAlert(): void {
    this.#cancelAlert();
    if (!this.#alert && !this.#alertHidden) return;
    this.#alert = '';
    this.#alertHidden = false;
    this.#host.requestUpdate();
  }

  clearStatus(): void {
    this.#cancelStatus();
    if (!this.#status) return;
    this.#status = '';
    this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#cancelStatus();
    this.#cancelAlert();
    this.#alertHidden = false;
  }

  #cancelStatus(): void {
    if (this.#statusFrame !== undefined) cancelAnimationFrame(this.#statusFrame);
    this.#statusFrame = undefined;
  }

  #cancelAlert(): void {
    if (this.#alertFrame !== undefined) cancelAnimationFrame(this.#alertFrame);
    this.#alertFrame = undefined;
  }
}
