import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { DocvActionView, DocvProgress } from '../../contract/browser.js';
import type { RelayClient } from '../../client/relay-client.js';
import { CountdownController } from '../shared/countdown-controller.js';
import { defineElement } from '../shared/define.js';
import { LiveRegionController } from '../shared/live-region.js';
import { contactText, LocalizeController, localized, type MessageOverrides, type Messages } from '../shared/localize.js';
import { endsSession, relayFailure, type RelayFailure } from '../../client/relay-error.js';
import { LiveViewController } from '../shared/live-view-controller.js';
import { focusStart, icon, messageCodeOf, StepController } from '../shared/step-controller.js';
import { baseStyles } from '../shared/styles.js';
import { failureIcon, smsIcon, successIcon } from '../shared/icons.js';
import { safeLinkUrl } from '../../contract/safe-url.js';
import { docvStatusStyles } from './docv-status.styles.js';
import { docvStatusStrings } from './docv-status.strings.js';
import { stepStrings } from '../shared/locales/en-steps.js';
import type { LiveConnection, LiveUpdatesClient } from '../../client/live-updates.js';
import { qrMatrix, renderQrCode } from './qr-code.js';

/**
 * What `<docv-status>` needs from a client: `RelayClient`, or anything with `view` and `answer`.
 * With `events` (the live-update stream) it follows progress as it happens; without, it polls.
 */
export type DocvStatusClient = Pick<RelayClient, 'view' | 'answer'> & Partial<Pick<RelayClient, 'resend'>> & Partial<Pick<LiveUpdatesClient, 'events' | 'relay'>>;


/** The capture steps in order; the results come after the last. */
const STEPS = ['SENT', 'BEGUN', 'CAPTURED', 'PROCESSING'] as const satisfies readonly DocvProgress[];
type Step = (typeof STEPS)[number];

/** Where a capture that did not pass stopped: the check of the ID. */
const FAILED_STEP = STEPS.indexOf('PROCESSING');

function stepIndex(progress: DocvProgress): number {
  if (isFailure(progress)) return FAILED_STEP;
  const index = (STEPS as readonly DocvProgress[]).indexOf(progress);
  // A passed result comes after the last capture step.
  return index === -1 ? STEPS.length : index;
}

function isFailure(progress: DocvProgress): boolean {
  return progress === 'FAILED' || progress === 'NEEDS_RETRY';
}

/**
 * @tagname docv-status
 * @summary Document verification for a Kount 360 DocV challenge: how to start (a link texted to
 * the shopper's phone, or a QR code and a link to continue on this device), live progress while
 * the shopper photographs their ID on the phone, and the result, with "Try again" where Kount
 * allows it.
 *
 * Give it an `action` (the DOCV action of a session view) and a `client` (as
 * `<verification-flow>` does), or `relay`/`session` attributes to load the view itself. It
 * follows progress through the relay's live-update stream, or by polling when there is none.
 * No OCR data, score or image ever reaches it.
 *
 * @event {VerifyStepEvent} verify-step - The relay returned a new view (`detail.view`): progress, a retry, or the next action.
 * @event {VerifyCompleteEvent} verify-complete - The relay returned a final decision (`detail.decision`). Confirm it on your backend.
 * @event {VerifyAnalyticsEvent} verify-analytics - A funnel moment of this step (`detail.name`), with no personal data; inside `<verification-flow>` the flow sends it on.
 * @event {VerifyErrorEvent} verify-error - The session cannot go on (`detail.code`, `detail.message`), e.g. `session_expired`.
 *
 * @slot - None: every text comes from the catalogue (`messages`, `registerMessages`).
 *
 * @csspart base - The wrapper.
 * @csspart instructions - How to start: where the link was texted (after a resend, where the new one went), or what to do with the QR code.
 * @csspart qr - The QR code (an `<svg role="img">`); always dark on light, with its quiet zone.
 * @csspart link - The "Continue on this device" link.
 * @csspart steps - The progress list (`<ol>`).
 * @csspart step - One step of the list; the current one has `aria-current="step"`.
 * @csspart step-current - Added to the current step.
 * @csspart step-done - Added to finished steps.
 * @csspart step-failed - Added to the step where a capture that did not pass stopped.
 * @csspart result - The one state line under the list ("Checking your ID..."; a tick once checked). A capture that did not pass is the error instead.
 * @csspart hint - Meta text: under Try again, its wait or the tries left (or that there is no retry); the resend's wait; the offline notice.
 * @csspart error - The error message (an alert region), with a failure icon; first after a failed capture, the tries left under it.
 * @csspart icon - Each icon: the text message beside the SMS instructions, success or failure beside the state or the error (decorative).
 * @csspart button - "Try again" (a new capture, or reloading after a failed load).
 * @csspart resend - "Text me a new link", before the capture starts (SMS).
 * @csspart sent - After a new link was texted, the line that says so, in the instructions in place of the first one.
 * @csspart status - The polite screen-reader status region (visually hidden).
 *
 * @cssproperty --docv-status-gap - Space between the rows. Defaults to `--verify-space-m`.
 * @cssproperty --docv-status-accent - Current step marker and the Try again button. Defaults to `--verify-color-accent`.
 * @cssproperty --docv-status-accent-contrast - Text on the Try again button. Defaults to `--verify-color-accent-contrast`.
 * @cssproperty --docv-status-done-color - Finished step markers. Defaults to `--verify-color-success`.
 * @cssproperty --docv-status-pending-color - Steps not reached yet. Defaults to `--verify-color-muted`.
 * @cssproperty --docv-status-hint-color - Secondary text. Defaults to `--verify-color-muted`.
 * @cssproperty --docv-status-error-color - Error text and the failed result. Defaults to `--verify-color-danger`.
 * @cssproperty --docv-status-qr-size - Width and height of the QR code. Defaults to 12rem.
 * @cssproperty --docv-status-qr-dark - Dark modules of the QR code. Defaults to black in every colour scheme.
 * @cssproperty --docv-status-qr-light - Light modules and quiet zone. Defaults to white in every colour scheme.
 */
@localized()
export class DocvStatus extends LitElement {
  static override styles = [baseStyles, docvStatusStyles];

  /** Registers the element as `tag` (default `docv-status`); a no-op when already registered. */
  static define(tag = 'docv-status', registry: CustomElementRegistry = customElements): boolean {
    return defineElement(tag, this, registry);
  }

  readonly #localize = new LocalizeController(this, { ...stepStrings, ...docvStatusStrings });
  readonly #live = new LiveRegionController(this);
  /**
   * Sends are paced (SECURITY 15): a retry or a resend right after the last send waits for the
   * relay's interval. This is the only countdown on screen for it.
   */
  readonly #sendWait = new CountdownController(this, {
    onEnd: () => {
      if (this.#step.errorCode === 'resend_too_soon') this.#step.errorCode = null;
      const action = this.action;
      if (action && this.#canRetry) this.#live.announce(this.#msg.docvRetryReady);
      else if (action && this.#canResend) this.#live.announce(this.#msg.docvResendReady);
    },
  });
  readonly #step = new StepController<DocvStatusClient, DocvActionView, 'retrying' | 'resending'>(this, {
    method: 'DOCV',
    live: LiveViewController,
    hasAction: () => this.action !== undefined,
    show: (action) => (this.action = action),
    onWatchError: (error) => {
      // A read the relay refused for good; anything else only delays the next view.
      const failure = relayFailure(error);
      if (endsSession(failure.code) && !this.#step.finished) this.#handleError(failure);
    },
    onLoaded: () => {
      this.#live.clearAlert();
      this.#step.errorCode = null;
    },
    onLoadFailure: (failure) => this.#handleError(failure),
  });

  @query('[part="instructions"]') private instructions?: HTMLElement;
  @query('[part="button"]') private button?: HTMLButtonElement;
  @query('[part="error"]') private errorMessage?: HTMLElement;

  /** The relay refused a retry of the capture on screen. */
  @state() private retryRefused = false;

  /** Where the last resend texted a new link to (masked): its line replaces the first one until the capture moves on. */
  @state() private resentTo: string | null = null;

  /** The open DOCV action, as the relay's view describes it. */
  @property({ attribute: false }) action?: DocvActionView;

  /** How to ask for a retry and follow progress: `<verification-flow>` passes its own. Overrides `relay`/`session`. */
  @property({ attribute: false }) client?: DocvStatusClient;

  /** Standalone use: where the relay's browser API is mounted (`/verify`, or a URL on another origin). */
  @property() relay = '';

  /** Standalone use with a relay on another origin: the session handle it was given. */
  @property() session = '';

  /** Overrides for the built-in strings of the current language. */
  @property({ attribute: false }) messages?: MessageOverrides;

  /** The last error code from the relay or the client (`retry_not_allowed`, `network_error`, ...), or null. */
  get errorCode(): string | null {
    return this.#step.errorCode;
  }

  /** How progress reaches the element: `streaming`, `polling`, `offline`, `connecting` or `stopped`. */
  get connection(): LiveConnection {
    return this.#step.connection;
  }

  // Lifecycle

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('action') && this.action) this.#syncFromAction(this.action, changed.get('action'));
    // Here rather than after rendering: what starting the watch changes is part of this update.
    this.#maybeWatch();
  }

  /** Focuses where the step starts: how to begin, else the error, else its first control. */
  override focus(options?: FocusOptions): void {
    if (!focusStart(this.renderRoot, '[part="instructions"], [part="error"]:not(:empty), button', options)) super.focus(options);
  }

  // Derived state

  get #msg(): Messages {
    return this.#localize.msg;
  }

  get #client(): DocvStatusClient | undefined {
    return this.#step.client;
  }

  /** Whether Try again is offered: Kount allows it and the relay has not refused it since. */
  get #canRetry(): boolean {
    const action = this.action;
    return !!action && isFailure(action.progress) && action.retryAllowed && !this.retryRefused && !this.#step.finished;
  }

  /** Whether "Text me a new link" is offered (the relay allows it while an SMS link awaits the capture). */
  get #canResend(): boolean {
    return !!this.action?.resendAllowed && !this.#step.finished && typeof this.#client?.resend === 'function';
  }

  // Data from the relay

  #syncFromAction(action: DocvActionView, previous: DocvActionView | undefined): void {
    // The relay's word on the next send replaces any countdown this element was running.
    if (action.retryAllowed || action.resendAllowed) this.#sendWait.start(action.sendAvailableInSeconds);
    else this.#sendWait.stop();
    if (previous && previous.progress === action.progress) return;
    if (previous) {
      // A new capture after a failed one is a retry, however its view arrived (the answer to Try
      // again, or the live stream before it): one place, so the order is always retry, then SENT.
      if (isFailure(previous.progress)) this.#step.funnel.emit('retry');
      this.#step.funnel.emit('capture_progress', action.progress);
    }
    if (action.progress !== 'SENT') this.resentTo = null;
    // A new capture may be refused again, so a refusal only holds for the capture it was about.
    if (previous) this.retryRefused = false;
    const msg = this.#msg;
    const text = msg.docvStatus[action.progress];
    if (isFailure(action.progress)) {
      this.#live.clearStatus();
      this.#live.showAlert(text);
      this.#step.errorCode = null;
    } else if (previous) {
      // The first state is on screen already; only changes are news.
      if (this.#step.errorCode === null) this.#live.clearAlert();
      this.#live.announce(text);
    }
  }

  #maybeWatch(): void {
    const client = this.#client;
    // Follow progress once there is something to follow; a finished step has nothing more to say.
    if (this.#step.finished || !client || !this.action || !this.isConnected) return;
    this.#step.live(true);
  }

  // Retry

  async #retry(): Promise<void> {
    const step = this.#step;
    if (!step.client || step.busy || !this.#canRetry || this.#sendWait.running) return;
    this.#live.clearAlert();
    this.#live.announce(this.#msg.docvRetrying);
    const outcome = await step.run('retrying', (client, signal) => client.answer({ method: 'DOCV', retry: true }, signal));
    if (!outcome) return;
    if (outcome.failure) {
      this.#live.clearStatus();
      this.#handleError(outcome.failure);
    } else {
      step.errorCode = null;
      step.apply(outcome.value);
    }
    await this.updateComplete;
    // The button is gone after a new start or a refusal: take the keyboard to what to do next.
    if (!outcome.failure) this.instructions?.focus();
    else if (!this.button) this.errorMessage?.focus();
  }

  /** Texts the capture link again; the old link stops working. */
  async #resend(): Promise<void> {
    const step = this.#step;
    if (step.busy || !this.#canResend || this.#sendWait.running) return;
    const destination = this.action?.destination ?? null;
    this.#live.clearAlert();
    const outcome = await step.run('resending', (client, signal) => {
      if (!client.resend) return Promise.reject(new TypeError('This client cannot resend.'));
      return client.resend(signal);
    });
    if (!outcome) return;
    if (outcome.failure) {
      this.#handleError(outcome.failure);
      return;
    }
    step.errorCode = null;
    step.apply(outcome.value);
    step.funnel.emit('resend');
    this.resentTo = destination ?? '';
    this.#live.announce(this.#msg.docvResent(destination ? contactText(destination) : null));
  }

  /**
   * Shows what went wrong and puts the element in the state the error calls for.
   * @returns whether the error had a specific handling (else a failed load offers a reload).
   */
  #handleError(failure: RelayFailure): boolean {
    const { code } = failure;
    if (code === 'aborted') return true;
    this.#step.errorCode = code;
    this.#step.funnel.failure(code);
    const message = this.#msg.errorMessage(messageCodeOf(failure));
    this.#live.showAlert(message);
    if (this.#step.endSession(code, message)) return true;
    switch (code) {
      case 'resend_too_soon':
        // One countdown, beside the disabled button; the alert goes back to what happened.
        this.#sendWait.start(failure.retryAfterSeconds ?? 30);
        this.#showProgressAlert();
        return true;
      case 'send_limited':
        // Too many links to this number over all sessions: the alert says so, and Try again waits as long.
        if (failure.retryAfterSeconds !== undefined && failure.retryAfterSeconds > 0) this.#sendWait.start(failure.retryAfterSeconds);
        return true;
      case 'retry_not_allowed':
        // The session reads the view again (the retries left changed).
        this.retryRefused = true;
        return true;
      case 'action_mismatch':
        // The session moved on (a webhook landed, another tab): the session reads where it is now.
        return true;
      default:
        // Network, timeout, relay or upstream trouble: Try again stays, and asks again.
        return false;
    }
  }

  /** A failed capture's sentence is the alert while it is on screen. */
  #showProgressAlert(): void {
    const progress = this.action?.progress;
    if (progress && isFailure(progress)) this.#live.showAlert(this.#msg.docvStatus[progress]);
    else this.#live.clearAlert();
  }

  #onReload(): void {
    this.#live.clearAlert();
    this.#step.retryLoad();
  }

  // Rendering

  protected override render(): TemplateResult {
    const msg = this.#msg;
    const action = this.action;
    return html`
      <div part="base" class="base" lang=${this.#localize.lang} aria-busy=${this.#step.busy ? 'true' : 'false'}>
        ${action ? this.#renderStart(msg, action) : this.#renderLoading(msg)}
        ${action ? this.#renderSteps(msg, action) : nothing}
        ${action ? this.#renderResult(msg, action) : nothing}
        ${this.#step.connection === 'offline' && !this.#step.finished
          ? html`<p part="hint" class="hint offline">${msg.docvOffline}</p>`
          : nothing}
        <p part="error" class="error" tabindex="-1" role=${this.#live.alertRole} aria-atomic="true">${this.#live.alert ? html`${icon(failureIcon)}<span>${this.#live.alert}</span>` : nothing}</p>
        ${this.#renderButton(msg)} ${action ? this.#renderAfterFailure(msg, action) : nothing}
        <div part="status" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
          ${this.#live.status}
        </div>
      </div>
    `;
  }

  #renderLoading(msg: Messages): TemplateResult | typeof nothing {
    return this.#step.busy === 'loading' ? html`<p part="hint" class="hint">${msg.flowLoading}</p>` : nothing;
  }

  #renderStart(msg: Messages, action: DocvActionView): TemplateResult | typeof nothing {
    // Until the photos are in, the shopper may still need the link (a closed tab, another phone);
    // after that it is history, and a retry brings a fresh one.
    if (action.progress !== 'SENT' && action.progress !== 'BEGUN') return nothing;
    if (action.delivery === 'SMS') {
      const destination = action.destination ? contactText(action.destination) : null;
      // After a resend its line takes the first one's place: one line says where the link is.
      const resent = this.resentTo !== null && action.progress === 'SENT';
      const text = resent
        ? html`<span part="sent" class="sent">${msg.docvResent(this.resentTo ? contactText(this.resentTo) : null)}</span>`
        : msg.docvSmsSent(destination);
      return html`<p part="instructions" class="instructions instructions--sms" tabindex="-1">${icon(smsIcon)}<span>${text}</span></p>
        ${this.#renderResend(msg, action)}`;
    }
    const url = safeLinkUrl(action.captureUrl);
    const matrix = url ? qrMatrix(url) : null;
    if (!url || !matrix) {
      return html`<p part="instructions" class="instructions" tabindex="-1">${msg.docvLinkUnavailable}</p>`;
    }
    return html`<div class="start">
      <p part="instructions" class="instructions" tabindex="-1">${msg.docvScanQr}</p>
      <div class="qr-frame" dir="ltr">${renderQrCode(matrix, msg.docvQrLabel)}</div>
      <a part="link" class="link" href=${url} target="_blank" rel="noopener noreferrer"
        >${msg.docvContinueHere}<span class="visually-hidden"> ${msg.docvOpensInNewTab}</span></a
      >
    </div>`;
  }

  #renderResend(msg: Messages, action: DocvActionView): TemplateResult | typeof nothing {
    if (action.progress !== 'SENT' || !this.#canResend) return nothing;
    const waiting = this.#sendWait.running;
    const sending = this.#step.busy === 'resending';
    return html`<div class="resend">
        <button
          part="resend"
          class="button button--link"
          type="button"
          aria-disabled=${this.#step.busy || waiting ? 'true' : nothing}
          aria-describedby=${waiting ? 'docv-send-wait' : nothing}
          @click=${this.#resend}
        >
          ${sending ? msg.docvResending : msg.docvResend}
        </button>
        <p id="docv-send-wait" class="hint wait">${waiting ? msg.docvResendIn(this.#sendWait.remainingSeconds) : ''}</p>
      </div>`;
  }

  #renderSteps(msg: Messages, action: DocvActionView): TemplateResult {
    const current = stepIndex(action.progress);
    const failed = isFailure(action.progress);
    const label = (step: Step): string => {
      switch (step) {
        case 'SENT':
          return msg.docvStepSent(action.delivery);
        case 'BEGUN':
          return msg.docvStepBegun;
        case 'CAPTURED':
          return msg.docvStepCaptured;
        case 'PROCESSING':
          return msg.docvStepProcessing;
      }
    };
    return html`<ol part="steps" class="steps" aria-label=${msg.docvStepsLabel}>
      ${STEPS.map((step, index) => {
        const done = index < current;
        const isCurrent = index === current;
        const state = done ? 'done' : isCurrent ? (failed ? 'failed' : 'current') : 'pending';
        return html`<li
          part=${`step step-${state}`}
          class="step step--${state}"
          data-step=${step}
          aria-current=${isCurrent ? 'step' : nothing}
        >
          <span class="marker" aria-hidden="true"></span>
          <span class="step-label">${label(step)}</span>${done || state === 'failed'
            ? html`<span class="visually-hidden"> (${done ? msg.docvStepDone : msg.docvStepFailed})</span>`
            : nothing}
        </li>`;
      })}
    </ol>`;
  }

  /** The one state line; a capture that did not pass is the alert instead, so it is said once. */
  #renderResult(msg: Messages, action: DocvActionView): TemplateResult | typeof nothing {
    const progress = action.progress;
    if (isFailure(progress)) return nothing;
    return html`<p part="result" class="result result--${progress.toLowerCase()}">
      ${progress === 'VERIFIED' ? icon(successIcon) : nothing}<span>${msg.docvStatus[progress]}</span>
    </p>`;
  }

  /**
   * Under the error and Try again, one line of what matters now: the wait before Try again, else
   * the tries left, or that this step cannot be tried again.
   */
  #renderAfterFailure(msg: Messages, action: DocvActionView): TemplateResult | typeof nothing {
    if (!isFailure(action.progress) || this.#step.finished) return nothing;
    let text = '';
    if (this.#canRetry) {
      if (this.#sendWait.running) text = msg.docvRetryIn(this.#sendWait.remainingSeconds);
      else if (action.remainingRetries !== null) text = msg.docvRetriesLeft(action.remainingRetries);
    } else if (!action.retryAllowed && this.#step.errorCode !== 'retry_not_allowed') {
      text = msg.errorMessage('retry_not_allowed');
    }
    return html`<p part="hint" class="hint wait" id="docv-retry-wait">${text}</p>`;
  }

  #renderButton(msg: Messages): TemplateResult | typeof nothing {
    if (this.#step.loadFailed && !this.action) {
      return html`<button part="button" class="button button--primary" type="button" @click=${this.#onReload}>
        ${msg.retry}
      </button>`;
    }
    if (!this.#canRetry || !this.#client) return nothing;
    const retrying = this.#step.busy === 'retrying';
    const waiting = this.#sendWait.running;
    return html`<button
      part="button"
      class="button button--primary ${retrying ? 'button--busy' : ''}"
      type="button"
      aria-disabled=${this.#step.busy || waiting ? 'true' : nothing}
      aria-describedby="docv-retry-wait"
      aria-label=${retrying ? msg.docvRetrying : nothing}
      @click=${this.#retry}
    >
      <span>${msg.retry}</span>
    </button>`;
  }
}
