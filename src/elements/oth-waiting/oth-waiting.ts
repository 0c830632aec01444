import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { OthActionView, OthStatus, OtpChannel } from '../../contract/browser.js';
import type { RelayClient } from '../../client/relay-client.js';
import { CountdownController } from '../shared/countdown-controller.js';
import { defineElement } from '../shared/define.js';
import { LiveRegionController } from '../shared/live-region.js';
import { contactText, LocalizeController, localized, type MessageOverrides, type Messages } from '../shared/localize.js';
import { relayFailure, type RelayFailure } from '../../client/relay-error.js';
import { LiveViewController } from '../shared/live-view-controller.js';
import { awaitingLink } from '../shared/funnel.js';
import { focusStart, icon, messageCodeOf, StepController } from '../shared/step-controller.js';
import { baseStyles } from '../shared/styles.js';
import { channelIcon, failureIcon, successIcon, waitingIcon } from '../shared/icons.js';
import { othWaitingStyles } from './oth-waiting.styles.js';
import { othWaitingStrings } from './oth-waiting.strings.js';
import { stepStrings } from '../shared/locales/en-steps.js';

/** What `<oth-waiting>` needs from a client: `RelayClient`, or anything with the same calls. */
export type OthWaitingClient = Pick<RelayClient, 'view' | 'resend' | 'events' | 'relay'>;


/** The link's time left is shown in its last two minutes only: before that, a countdown is noise. */
const EXPIRY_WORTH_SAYING = 120;

/** Statuses after which this link cannot complete; the shopper needs a new one (or to start again). */
const failedStatuses: ReadonlySet<OthStatus> = new Set(['TERMINATED', 'FAILED_AUTHORIZATION', 'VERIFICATION_ATTEMPT_FAILED', 'INVALID']);

/**
 * @summary Waits for the shopper to open a one-time link (Kount 360 OTH) sent by e-mail or text
 * message: live status while waiting, resend with countdown, change of channel, link expiry, and
 * completion the moment the relay hears of it, also when the link was opened on another device.
 *
 * Give it an `action` (the OTH action of a session view) and a `client` (as `<verification-flow>`
 * does), or `relay`/`session` attributes to load and watch the view itself. It watches the session
 * live (server-sent events, polling when they cannot get through), pauses while the browser is
 * offline, and re-reads the view when another tab of the same relay saw a newer one.
 *
 * @tagname oth-waiting
 *
 * @event {VerifyStepEvent} verify-step - A new view arrived (`detail.view`): a status change, a resend, another action.
 * @event {VerifyCompleteEvent} verify-complete - The relay reported a final decision (`detail.decision`). Confirm it on your backend.
 * @event {VerifyAnalyticsEvent} verify-analytics - A funnel moment of this step (`detail.name`), with no personal data; inside `<verification-flow>` the flow sends it on.
 * @event {VerifyErrorEvent} verify-error - The session cannot go on (`detail.code`, `detail.message`), e.g. `session_expired`.
 *
 * @slot - None: every text comes from the catalogue (`messages`, `registerMessages`).
 *
 * @csspart base - The wrapper.
 * @csspart message - The instruction, with the channel's icon: "We emailed a link to j***@example.com" and how to go on (after a resend, the resent line in its place).
 * @csspart progress - The one state line: the live status with its waiting indicator or icon, and the time left in the link's last two minutes. A failed link's status is the error instead.
 * @csspart indicator - The waiting indicator (decorative; still under reduced motion).
 * @csspart icon - Each icon: the channel beside the instruction, success, failure or waiting beside the state and the error (decorative).
 * @csspart hint - Meta text: the link's last minutes, the wait before a resend or the links left, "no more links".
 * @csspart offline - The notice shown while the browser is offline.
 * @csspart error - The error message (an alert region), with a failure icon; a failed link's status and the way forward.
 * @csspart resend - The "send a new link" button.
 * @csspart channel - Each "send it by ... instead" button; offered from the start, it waits only for its own channel's interval.
 * @csspart sent - After a new link was sent, the line that says so, in place of the first one.
 * @csspart button - Try again, after the live updates could not be started.
 * @csspart status - The polite screen-reader status region (visually hidden).
 *
 * @cssproperty --oth-waiting-gap - Space between the rows. Defaults to `--verify-space-m`.
 * @cssproperty --oth-waiting-accent - Resend button and waiting indicator. Defaults to `--verify-color-accent`.
 * @cssproperty --oth-waiting-accent-contrast - Text on the resend button when it is the way forward. Defaults to `--verify-color-accent-contrast`.
 * @cssproperty --oth-waiting-hint-color - Meta text and the waiting status. Defaults to `--verify-color-muted`.
 * @cssproperty --oth-waiting-error-color - Error text and failed status. Defaults to `--verify-color-danger`.
 * @cssproperty --oth-waiting-success-color - Confirmed status. Defaults to `--verify-color-success`.
 * @cssproperty --oth-waiting-indicator-size - Size of the waiting indicator. Defaults to 1em.
 */
@localized()
export class OthWaiting extends LitElement {
  static override styles = [baseStyles, othWaitingStyles];

  /** Registers the element as `tag` (default `oth-waiting`); a no-op when already registered. */
  static define(tag = 'oth-waiting', registry: CustomElementRegistry = customElements): boolean {
    return defineElement(tag, this, registry);
  }

  readonly #localize = new LocalizeController(this, { ...stepStrings, ...othWaitingStrings });
  readonly #live = new LiveRegionController(this);
  readonly #resendCountdown = new CountdownController(this, {
    onEnd: () => {
      if (!this.#step.finished && !this.#resendsExhausted) this.#live.announce(this.#msg.othResendReady);
    },
  });
  /** The wait before moving to the other channel: its own last send's interval, usually none. */
  readonly #channelCountdown = new CountdownController(this);
  readonly #expiryCountdown = new CountdownController(this, {
    onEnd: () => this.#expire(),
  });
  readonly #step = new StepController<OthWaitingClient, OthActionView, 'resending'>(this, {
    method: 'OTH',
    live: LiveViewController,
    show: (action) => (this.action = action),
    onWatchError: (error) => this.#onWatchError(error),
    onFinish: () => {
      this.#resendCountdown.stop();
      this.#channelCountdown.stop();
      this.#expiryCountdown.stop();
    },
    onLeave: () => {
      const action = this.action;
      if (action && !this.#step.inFlow && awaitingLink(action, this.linkExpired)) this.#step.funnel.emit('link_opened');
    },
    onDecided: (decision) => {
      this.#live.clearAlert();
      this.#live.announce(this.#msg.flowDecisionTitle[decision]);
    },
  });

  @query('#sent') private sentMessage?: HTMLElement;

  @state() private linkExpired = false;
  /** The channel the last resend went by: its line replaces the first "we sent a link" line. */
  @state() private resentBy: OtpChannel | null = null;
  /** The action for which the relay refused a resend as over its limit. */
  @state() private resendRefusedFor: OthActionView | undefined;
  /** The live updates stopped on an error the shopper can retry. */
  @state() private watchFailed = false;

  /** The channel the resend in flight was asked for (none: the same channel). */
  #resendChannel: OtpChannel | undefined;
  #wasOffline = false;

  /** The open one-time-link action, as the relay's view describes it. */
  @property({ attribute: false }) action?: OthActionView;

  /** How to talk to the relay: `<verification-flow>` passes its own. Overrides `relay`/`session`. */
  @property({ attribute: false }) client?: OthWaitingClient;

  /** Standalone use: where the relay's browser API is mounted (`/verify`, or a URL on another origin). */
  @property() relay = '';

  /** Standalone use with a relay on another origin: the session handle it was given. */
  @property() session = '';

  /** Overrides for the built-in strings of the current language. */
  @property({ attribute: false }) messages?: MessageOverrides;

  /** The last error code from the relay or the client (`resend_limit_reached`, `network_error`, ...), or null. */
  get errorCode(): string | null {
    return this.#step.errorCode;
  }

  // Lifecycle

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('action') && this.action) this.#syncFromAction(this.action, changed.get('action'));
    // Here rather than after rendering: what starting the watch changes is part of this update.
    this.#maybeWatch();
    this.#noticeConnection();
  }

  // Derived state

  get #msg(): Messages {
    return this.#localize.msg;
  }

  get #client(): OthWaitingClient | undefined {
    return this.#step.client;
  }

  /** The channel a resend is on its way to (none: the same channel), while one is. */
  get #resendingTo(): OtpChannel | undefined {
    return this.#step.busy === 'resending' ? this.#resendChannel : undefined;
  }

  get #resendsExhausted(): boolean {
    const action = this.action;
    return action !== undefined && (action.remainingResends === 0 || this.resendRefusedFor === action);
  }

  get #failed(): boolean {
    return this.action !== undefined && failedStatuses.has(this.action.status);
  }

  // Data from the relay

  #syncFromAction(action: OthActionView, previous: OthActionView | undefined): void {
    this.#resendCountdown.start(action.resendAvailableInSeconds);
    this.#channelCountdown.start(action.channelChangeAvailableInSeconds);
    if (action.expiresInSeconds === null) {
      this.#expiryCountdown.stop();
      this.linkExpired = false;
    } else {
      this.#expiryCountdown.start(action.expiresInSeconds);
      this.linkExpired = action.expiresInSeconds === 0;
    }
    // Say a change of status once; the first status is on screen and read with the rest.
    const status = action.status;
    const changed = previous !== undefined && previous.status !== status;
    // Opened on the phone or another device: confirmed or refused there.
    if (changed && (status === 'VERIFIED' || status === 'FAILED_AUTHORIZATION')) this.#step.funnel.emit('link_opened');
    if (failedStatuses.has(status)) {
      if (changed || previous === undefined) {
        this.#live.showAlert(`${this.#msg.othStatus[status]} ${this.#msg.othFailureHelp(action.remainingResends !== 0 && this.#client !== undefined)}`);
      }
    } else {
      if (changed && this.#step.errorCode === null) this.#live.clearAlert();
      if (changed) this.#live.announce(this.#msg.othStatus[status]);
    }
  }

  #maybeWatch(): void {
    if (this.#step.finished || this.watchFailed) return;
    this.#step.live(true);
  }

  #onWatchError(error: unknown): void {
    const failure = relayFailure(error);
    // An unreadable update is skipped; the next one (or the next poll) brings the state back.
    if (failure.code === 'invalid_response') return;
    if (this.#handleError(failure)) return;
    // Any other refusal stopped the live updates: show why and offer to start them again.
    this.watchFailed = true;
  }

  /** Focuses where the step starts: the message saying where the link went, else its first control. */
  override focus(options?: FocusOptions): void {
    if (!focusStart(this.renderRoot, '#sent, button', options)) super.focus(options);
  }

  /** Another tab saw a newer view, the network came back...: read the view now. */
  refresh(): void {
    this.#step.refresh();
  }

  // Resend

  async #resend(channel?: OtpChannel): Promise<void> {
    const step = this.#step;
    const wait = channel ? this.#channelCountdown : this.#resendCountdown;
    if (!step.client || step.busy || step.finished || this.#resendsExhausted || wait.running) return;
    this.#resendChannel = channel;
    this.#live.clearAlert();
    this.#live.announce(this.#msg.othResendSending);
    const outcome = await step.run('resending', (client, signal) => (channel ? client.resend(signal, channel) : client.resend(signal)));
    if (!outcome) return;
    if (outcome.failure) {
      this.#live.clearStatus();
      this.#handleError(outcome.failure);
      return;
    }
    const view = outcome.value;
    step.errorCode = null;
    this.linkExpired = false;
    step.apply(view);
    if (step.finished) return;
    const sentBy = view.state === 'challenge' && view.action.method === 'OTH' ? view.action.channel : (channel ?? this.action?.channel ?? 'EMAIL');
    if (channel) step.funnel.emit('channel_change', channel);
    else step.funnel.emit('resend');
    this.resentBy = sentBy;
    this.#live.announce(this.#msg.othResendSent(sentBy, contactText(this.action?.destination ?? '')));
    // The resend button now waits (disabled); keep the keyboard in the element, on the news.
    await this.updateComplete;
    this.sentMessage?.focus();
  }

  /**
   * Shows what went wrong and puts the element in the state the error calls for.
   * @returns whether the error had a specific handling.
   */
  #handleError(failure: RelayFailure): boolean {
    const { code, retryAfterSeconds } = failure;
    if (code === 'aborted') return true;
    this.#step.errorCode = code;
    this.#step.funnel.failure(code);
    const message = this.#msg.errorMessage(messageCodeOf(failure));
    this.#live.showAlert(message);
    if (this.#step.endSession(code, message)) return true;
    switch (code) {
      case 'resend_too_soon':
      case 'send_limited':
        if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) (this.#resendChannel ? this.#channelCountdown : this.#resendCountdown).start(retryAfterSeconds);
        return true;
      case 'resend_limit_reached':
        this.resendRefusedFor = this.action;
        return true;
      case 'channel_unavailable':
      case 'action_mismatch':
        // The relay knows better than this view (the choices, or the step, changed): the session reads it again.
        return true;
      default:
        return false;
    }
  }

  #expire(): void {
    if (this.#step.finished) return;
    this.linkExpired = true;
    this.#live.announce(this.#msg.othExpired);
  }

  /** Says "offline" and "back online" politely, once each way. */
  #noticeConnection(): void {
    const offline = this.#step.connection === 'offline';
    if (offline === this.#wasOffline) return;
    this.#wasOffline = offline;
    this.#live.announce(offline ? this.#msg.othOffline : this.#msg.othBackOnline);
  }

  #onRetryWatch(): void {
    this.watchFailed = false;
    this.#step.errorCode = null;
    this.#live.clearAlert();
    this.#step.session.rewatch();
    this.requestUpdate();
  }

  // Rendering

  protected override render(): TemplateResult {
    const msg = this.#msg;
    const alert = this.#live.alert;
    return html`
      <div part="base" class="base" lang=${this.#localize.lang} aria-busy=${this.#step.busy ? 'true' : 'false'}>
        ${this.#renderMessage(msg)} ${this.#renderProgress(msg)}
        ${this.#step.connection === 'offline' && !this.#step.finished
          ? html`<p part="offline" class="offline">${msg.othOffline}</p>`
          : nothing}
        <p part="error" class="error" id="error" role=${this.#live.alertRole} aria-atomic="true">${alert ? html`${icon(failureIcon)}<span>${alert}</span>` : nothing}</p>
        ${this.#renderActions(msg)}
        <div part="status" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
          ${this.#live.status}
        </div>
      </div>
    `;
  }

  /** One instruction: where the link went (after a resend, where the new one went) and, while it waits, what to do. */
  #renderMessage(msg: Messages): TemplateResult {
    const action = this.action;
    if (!action) return html`<p part="message" class="message" id="sent" tabindex="-1">${msg.flowLoading}</p>`;
    const destination = contactText(action.destination);
    const waiting = !this.#step.finished && !this.#failed && !this.linkExpired;
    return html`<p part="message" class="message" id="sent" tabindex="-1">
      ${icon(channelIcon(action.channel))}<span
        >${this.resentBy
          ? html`<span part="sent" class="sent">${msg.othResendSent(action.channel, destination)}</span>`
          : html`${msg.othSentTo(action.channel, destination)} ${waiting ? msg.othInstructions : nothing}`}</span
      >
    </p>`;
  }

  /** The one state line: how the link stands, and its time left when that is short. */
  #renderProgress(msg: Messages): TemplateResult | typeof nothing {
    const action = this.action;
    let text: string;
    let tone: 'waiting' | 'success' | 'danger' | 'done';
    let mark: TemplateResult | typeof nothing = nothing;
    const decision = this.#step.decision;
    if (decision) {
      text = msg.flowDecisionTitle[decision];
      tone = decision === 'ALLOW' ? 'success' : 'done';
      mark = icon(decision === 'ALLOW' ? successIcon : decision === 'BLOCK' ? failureIcon : waitingIcon);
    } else if (!action || this.#failed) {
      // A failed link's status is the alert, with the way forward: said once.
      return nothing;
    } else if (this.linkExpired && action.status !== 'VERIFIED') {
      text = msg.othExpired;
      tone = 'danger';
      mark = icon(failureIcon);
    } else {
      text = msg.othStatus[action.status];
      tone = action.status === 'VERIFIED' ? 'success' : 'waiting';
      if (tone === 'success') mark = icon(successIcon);
      else if (!this.#step.finished) mark = html`<span part="indicator" class="indicator" aria-hidden="true"></span>`;
    }
    const left = this.#expiryCountdown.remainingSeconds;
    const expiry = tone === 'waiting' && !this.#step.finished && this.#expiryCountdown.running && left <= EXPIRY_WORTH_SAYING;
    // Minutes while there are minutes: a line that changes every second is noise.
    return html`<p part="progress" class="progress progress--${tone}">
      ${mark}<span class="progress-text"
        >${text}${expiry ? html` <span part="hint" class="hint">${msg.othExpiresIn(left > 60 ? Math.ceil(left / 60) * 60 : left)}</span>` : nothing}</span
      >
    </p>`;
  }

  #renderActions(msg: Messages): TemplateResult | typeof nothing {
    if (this.watchFailed && !this.#step.finished) {
      return html`<div class="actions">
        <button part="button" class="button button--primary" type="button" @click=${this.#onRetryWatch}>${msg.retry}</button>
      </div>`;
    }
    const action = this.action;
    if (!action || !this.#client || this.#step.finished) return nothing;
    if (this.#resendsExhausted) return html`<p part="hint" class="hint">${msg.othNoResendsLeft}</p>`;
    const waiting = this.#resendCountdown.running;
    const busy = this.#step.busy !== null;
    // After a failure or an expiry a new link is the way forward: make it the primary button.
    const primary = this.#failed || this.linkExpired;
    // One hint beside the button, whichever matters now: the wait, else the links left.
    const hint = waiting
      ? msg.othResendIn(this.#resendCountdown.remainingSeconds)
      : action.remainingResends !== null
        ? msg.othLinksLeft(action.remainingResends)
        : '';
    return html`<div class="actions">
      <div class="resend">
        <button
          part="resend"
          class="button ${primary ? 'button--primary' : 'button--link'}"
          type="button"
          ?disabled=${waiting}
          aria-disabled=${busy && !waiting ? 'true' : nothing}
          @click=${() => this.#resend()}
        >
          ${busy && !this.#resendingTo ? msg.othResendSending : msg.othResend}
        </button>
        ${hint ? html`<span part="hint" class="hint">${hint}</span>` : nothing}
      </div>
      ${action.otherChannels.length > 0
        ? html`<div class="channels">
            ${action.otherChannels.map(
              (channel) => html`<button
                part="channel"
                class="button button--link"
                type="button"
                data-channel=${channel}
                ?disabled=${this.#channelCountdown.running}
                aria-disabled=${busy && !this.#channelCountdown.running ? 'true' : nothing}
                @click=${() => this.#resend(channel)}
              >
                ${this.#resendingTo === channel ? msg.othResendSending : msg.othSendBy(channel)}
              </button>`,
            )}
          </div>`
        : nothing}
    </div>`;
  }
}
