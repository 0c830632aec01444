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
  private readonly host: ReactiveControllerHost;
  private statusText = '';
  private alertText = '';
  private alertHidden = false;
  private statusFrame: number | undefined;
  private alertFrame: number | undefined;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  /** Text of the polite status region. */
  get status(): string {
    return this.statusText;
  }

  /** Text of the alert region (also what an input's `aria-describedby` points at). */
  get alert(): string {
    return this.alertText;
  }

  /** `role` for the alert region: `alert`, or `none` for the frame that makes a repeat audible. */
  get alertRole(): 'alert' | 'none' {
    return this.alertHidden ? 'none' : 'alert';
  }

  /** Says `text` politely (replaces the previous status). Repeating the same text says it again. */
  announce(text: string): void {
    this.cancel('status');
    if (text && text === this.statusText) {
      this.statusText = '';
      this.host.requestUpdate();
      this.statusFrame = requestAnimationFrame(() => {
        this.statusFrame = undefined;
        this.statusText = text;
        this.host.requestUpdate();
      });
      return;
    }
    this.statusText = text;
    this.host.requestUpdate();
  }

  /** Shows and asserts an error. Showing the same error again re-announces it. */
  showAlert(text: string): void {
    this.cancel('alert');
    if (text && text === this.alertText) {
      this.alertHidden = true;
      this.host.requestUpdate();
      this.alertFrame = requestAnimationFrame(() => {
        this.alertFrame = undefined;
        this.alertHidden = false;
        this.host.requestUpdate();
      });
      return;
    }
    this.alertHidden = false;
    this.alertText = text;
    this.host.requestUpdate();
  }

  clearAlert(): void {
    this.cancel('alert');
    if (!this.alertText && !this.alertHidden) return;
    this.alertText = '';
    this.alertHidden = false;
    this.host.requestUpdate();
  }

  clearStatus(): void {
    this.cancel('status');
    if (!this.statusText) return;
    this.statusText = '';
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.cancel('status');
    this.cancel('alert');
    this.alertHidden = false;
  }

  private cancel(which: 'status' | 'alert'): void {
    const frame = which === 'status' ? this.statusFrame : this.alertFrame;
    if (frame !== undefined) cancelAnimationFrame(frame);
    if (which === 'status') this.statusFrame = undefined;
    else this.alertFrame = undefined;
  }
}
