import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { OtpActionView } from '../../contract/browser.js';
import type { RelayClient } from '../../client/relay-client.js';
import { CountdownController, isAnnouncementMilestone } from '../shared/countdown-controller.js';
import { defineElement } from '../shared/define.js';
import { LiveRegionController } from '../shared/live-region.js';
import { contactText, LocalizeController, localized, type MessageOverrides, type Messages } from '../shared/localize.js';
import type { RelayFailure } from '../../client/relay-error.js';
import { icon, messageCodeOf, StepController } from '../shared/step-controller.js';
import { baseStyles } from '../shared/styles.js';
import { channelIcon } from '../shared/icons.js';
import { isCompleteCode, normalizeCode } from './code.js';
import { otpEntryStyles } from './otp-entry.styles.js';
import { otpEntryStrings } from './otp-entry.strings.js';
import { stepStrings } from '../shared/locales/en-steps.js';
import { hasNonDigits, otpValidity } from './otp-validator.js';
import { WebOtpController } from './web-otp-controller.js';

/** What `<otp-entry>` needs from a client: `RelayClient`, or anything with the same three calls. */
export type OtpEntryClient = Pick<RelayClient, 'view' | 'answer' | 'resend'>;

/** Used while no action is known (a form field, or before the view loads). */
const DEFAULT_CODE_LENGTH = 6;
/** Bound rather than written in the template, where `\d` would lose its backslash. */
const DIGITS_PATTERN = '\\d*';
/** Attempts left from which the count is worth a line of its own (before, only the wrong-code alert says it). */
const LAST_CHANCES = 2;
/** Seconds left from which the code's expiry is worth a line: a 10-minute code needs no clock at first. */
const EXPIRY_WORTH_SAYING = 120;

/**
 * @tagname otp-entry
 * @summary A one-time passcode field for a Kount 360 OTP challenge: one real input that paste,
 * SMS autofill and WebOTP fill, shown as a box per digit (or, with `appearance="field"`, as one
 * field), submitted to the relay when complete, with resend, attempts left, lockout and expiry.
 *
 * Give it an `action` (the OTP action of a session view) and a `client` (as `<verification-flow>`
 * does), or `relay`/`session` attributes to load the view itself. Without either it is a plain
 * form field for a code that submits its form when complete.
 *
 * @event {VerifyStepEvent} verify-step - The relay returned a new view (`detail.view`), after an answer, a resend or a refresh.
 * @event {VerifyCompleteEvent} verify-complete - The relay returned a final decision (`detail.decision`). Confirm it on your backend.
 * @event {VerifyAnalyticsEvent} verify-analytics - A funnel moment of this step (`detail.name`), with no personal data; inside `<verification-flow>` the flow sends it on.
 * @event {VerifyErrorEvent} verify-error - The session cannot go on (`detail.code`, `detail.message`), e.g. `session_expired`.
 * @event {InputEvent} input - The code changed (from the inner input).
 * @event {Event} change - The shopper committed a change to the code.
 *
 * @slot - None: every text comes from the catalogue (`messages`, `registerMessages`).
 *
 * @csspart base - The wrapper (a `<form>` inside the shadow root).
 * @csspart label - The input's label.
 * @csspart input - The code input: the one real input, which screen readers, autofill and paste use. Under the boxes it is transparent.
 * @csspart slots - The row of boxes (`appearance="boxes"`), drawn for the eye only (`aria-hidden`).
 * @csspart slot - One box; `slot-filled` once it holds a digit, `slot-active` where the next digit goes while the input has focus.
 * @csspart hint - Help text: where the code was sent (after its channel's icon), one line of state (a wait, the last attempts, the time left near the end), the resend's countdown.
 * @csspart error - The error message (an alert region).
 * @csspart button - The Verify button, or Try again after a failed load.
 * @csspart resend - The "send a new code" button.
 * @csspart status - The polite screen-reader status region (visually hidden).
 * @csspart icon - The channel's icon (SMS or e-mail) before the sent line: inline SVG in the accent colour.
 *
 * @cssproperty --otp-entry-gap - Space between the rows. Defaults to `--verify-space-m`.
 * @cssproperty --otp-entry-accent - Verify button and focused input border. Defaults to `--verify-color-accent`.
 * @cssproperty --otp-entry-accent-contrast - Text on the Verify button. Defaults to `--verify-color-accent-contrast`.
 * @cssproperty --otp-entry-hint-color - Help text. Defaults to `--verify-color-muted`.
 * @cssproperty --otp-entry-error-color - Error text and invalid border. Defaults to `--verify-color-danger`.
 * @cssproperty --otp-entry-input-background - Defaults to `--verify-color-surface`.
 * @cssproperty --otp-entry-input-color - Defaults to `--verify-color-text`.
 * @cssproperty --otp-entry-input-border-color - Defaults to `--verify-color-border`.
 * @cssproperty --otp-entry-input-border-width - Defaults to 2px.
 * @cssproperty --otp-entry-input-radius - Defaults to `--verify-radius`.
 * @cssproperty --otp-entry-input-font-family - Defaults to the system monospace font.
 * @cssproperty --otp-entry-input-font-size - Defaults to 1.5em.
 * @cssproperty --otp-entry-input-letter-spacing - Defaults to 0.5ch (`appearance="field"`).
 * @cssproperty --otp-entry-slot-size - Width of each box, in every state and language. Defaults to 3rem; smaller, of the same shape, only when the element is narrower than the row.
 * @cssproperty --otp-entry-slot-ratio - Width to height of each box. Defaults to `6 / 7` (48 × 56 px at 3rem).
 * @cssproperty --otp-entry-slot-gap - Space between the boxes. Defaults to 0.5rem.
 * @cssproperty --otp-entry-slots-align - Where the row of boxes sits: `start` (default) or `center`.
 */
@localized()
export class OtpEntry extends LitElement {
  static override styles = [baseStyles, otpEntryStyles];
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static formAssociated = true;

  /** Registers the element as `tag` (default `otp-entry`); a no-op when already registered. */
  static define(tag = 'otp-entry', registry: CustomElementRegistry = customElements): boolean {
    return defineElement(tag, this, registry);
  }

  readonly #localize = new LocalizeController(this, { ...stepStrings, ...otpEntryStrings });
  readonly #live = new LiveRegionController(this);
  readonly #resendCountdown = new CountdownController(this, {
    onEnd: () => this.#live.announce(this.#msg.otpResendReady),
  });
  readonly #lockCountdown = new CountdownController(this, {
    onTick: (seconds) => this.#announceLockMilestone(seconds),
    onEnd: () => this.#unlock(),
  });
  readonly #expiryCountdown = new CountdownController(this, {
    onEnd: () => this.#expire(),
  });
  readonly #webOtp = new WebOtpController(this, (code) => this.#fillFromWebOtp(code));
  readonly #step = new StepController<OtpEntryClient, OtpActionView, 'submitting' | 'resending'>(this, {
    method: 'OTP',
    hasAction: () => this.action !== undefined,
    show: (action) => (this.action = action),
    onFinish: () => {
      this.#webOtp.abort();
      this.#resendCountdown.stop();
      this.#lockCountdown.stop();
      this.#expiryCountdown.stop();
    },
    onLoaded: () => {
      this.#live.clearAlert();
      this.#step.errorCode = null;
    },
    onLoadFailure: (failure) => this.#handleError(failure, 'load'),
  });
  readonly #internals: ElementInternals = this.attachInternals();

  @query('#input') private input?: HTMLInputElement;
  @query('[part="resend"]') private resendButton?: HTMLButtonElement;

  @state() private code = '';
  @state() private invalid = false;
  @state() private codeExpired = false;
  /** A resend replaced the code: the sent line says so, and that only the newest code works. */
  @state() private resent = false;
  /** The action for which the relay refused a resend as over its limit. */
  @state() private resendRefusedFor: OtpActionView | undefined;
  /**
   * A lockout has run out: the relay now takes one code at a time and a wrong one locks again, so
   * the step says that rather than the count the view held during the lock ("0 attempts left").
   */
  @state() private lockoutPassed = false;
  @state() private formDisabled = false;

  /** Set when a new SMS may be on its way, so WebOTP should listen for it. */
  #wantsWebOtp = false;

  /** The open OTP action, as the relay's view describes it. */
  @property({ attribute: false }) action?: OtpActionView;

  /** How to post answers: `<verification-flow>` passes its own. Overrides `relay`/`session`. */
  @property({ attribute: false }) client?: OtpEntryClient;

  /** Standalone use: where the relay's browser API is mounted (`/verify`, or a URL on another origin). */
  @property() relay = '';

  /** Standalone use with a relay on another origin: the session handle it was given. */
  @property() session = '';

  /** Name of the field in the owning form's data. */
  @property({ reflect: true }) name?: string;

  /** Disables the field and its buttons. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** Replaces the visible label text ("Verification code"). */
  @property() label = '';

  /** Overrides for the built-in strings of the current language. */
  @property({ attribute: false }) messages?: MessageOverrides;

  /**
   * `boxes` (default): a box per digit, drawn over one real input. `field`: that input alone, as a
   * single text field (the look before the boxes).
   */
  @property({ reflect: true }) appearance: 'boxes' | 'field' = 'boxes';

  /** The input has focus: the box where the next digit goes is marked. */
  @state() private focused = false;

  /** Forwarded to the inner input, whose accessible name it becomes. */
  @property({ attribute: 'aria-label' }) override ariaLabel: string | null = null;

  /** The code typed so far (digits, at most `codeLength`). */
  get value(): string {
    return this.code;
  }
  set value(value: string) {
    this.code = normalizeCode(String(value ?? ''), this.#codeLength);
  }

  /** The last error code from the relay or the client (`wrong_code`, `network_error`, ...), or null. */
  get errorCode(): string | null {
    return this.#step.errorCode;
  }

  get form(): HTMLFormElement | null {
    return this.#internals.form;
  }
  get validity(): ValidityState {
    return this.#internals.validity;
  }
  get validationMessage(): string {
    return this.#internals.validationMessage;
  }
  get willValidate(): boolean {
    return this.#internals.willValidate;
  }
  checkValidity(): boolean {
    return this.#internals.checkValidity();
  }
  reportValidity(): boolean {
    return this.#internals.reportValidity();
  }

  constructor() {
    super();
    // The owning form's validation (or `reportValidity`) shows the reason in the element too.
    this.addEventListener('invalid', () => {
      this.invalid = true;
      this.#live.showAlert(this.#internals.validationMessage);
    });
  }

  // Lifecycle

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.action?.channel === 'SMS' && !this.#step.finished) this.#wantsWebOtp = true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('action') && this.action) this.#syncFromAction(this.action, changed.get('action'));
  }

  protected override updated(): void {
    this.#updateFormState();
    this.#maybeListenForSms();
  }

  formResetCallback(): void {
    this.code = '';
    this.invalid = false;
    if (this.#step.errorCode === null) this.#live.clearAlert();
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
  }

  // Derived state

  get #msg(): Messages {
    return this.#localize.msg;
  }

  get #codeLength(): number {
    return this.action?.codeLength ?? DEFAULT_CODE_LENGTH;
  }

  get #busy(): 'loading' | 'submitting' | 'resending' | null {
    return this.#step.busy;
  }

  get #resendsExhausted(): boolean {
    const action = this.action;
    return action !== undefined && (action.remainingResends === 0 || this.resendRefusedFor === action);
  }

  get #isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }

  get #isLocked(): boolean {
    return this.#lockCountdown.running;
  }

  /** Whether answers are refused right now (the field stays focusable, but inert). */
  get #isInert(): boolean {
    return this.#isLocked || this.#step.finished;
  }

  // Data from the relay

  #syncFromAction(action: OtpActionView, previous: OtpActionView | undefined): void {
    this.#resendCountdown.start(action.resendAvailableInSeconds);
    if (action.lockedForSeconds > 0) this.#lock(action.lockedForSeconds);
    else if (this.#isLocked) this.#lockCountdown.stop();
    // Only a new challenge gives back more than the one attempt a passed lockout leaves.
    if ((action.remainingAttempts ?? 0) > 1) this.lockoutPassed = false;
    if (action.codeExpiresInSeconds === null) {
      this.#expiryCountdown.stop();
      this.codeExpired = false;
    } else {
      this.#expiryCountdown.start(action.codeExpiresInSeconds);
      this.codeExpired = action.codeExpiresInSeconds === 0;
    }
    if (this.code.length > action.codeLength) this.code = this.code.slice(0, action.codeLength);
    if (!previous && action.channel === 'SMS') this.#wantsWebOtp = true;
  }

  // Answer and resend

  async #submit(): Promise<void> {
    if (this.#busy || this.#isInert || this.#isDisabled) return;
    const code = this.code;
    if (!isCompleteCode(code, this.#codeLength)) {
      this.#showValidationError();
      return;
    }
    // SECURITY 29: the SMS listener never outlives the code being submitted.
    this.#webOtp.abort();
    if (!this.#step.client) {
      // A plain form field: a complete code submits the form it belongs to. Validity is
      // normally refreshed after render; the form checks it now.
      this.#updateFormState();
      this.#internals.form?.requestSubmit();
      return;
    }
    this.invalid = false;
    this.#live.clearAlert();
    this.#step.funnel.emit('code_submitted');
    const outcome = await this.#step.run('submitting', (client, signal) => client.answer({ method: 'OTP', otp: code }, signal));
    if (!outcome) return;
    if (outcome.failure) {
      this.#handleError(outcome.failure, 'answer', outcome.reread);
      return;
    }
    this.#step.errorCode = null;
    if (outcome.value.state === 'challenge') this.code = '';
    this.#step.apply(outcome.value);
  }

  async #resend(): Promise<void> {
    const step = this.#step;
    if (!step.client || step.busy || step.finished || this.#isDisabled || this.#resendsExhausted || this.#resendCountdown.running) return;
    this.#live.clearAlert();
    this.#live.announce(this.#msg.otpResendSending);
    const outcome = await step.run('resending', (client, signal) => client.resend(signal));
    if (!outcome) return;
    if (outcome.failure) {
      this.#live.clearStatus();
      this.#handleError(outcome.failure, 'resend', outcome.reread);
      return;
    }
    step.errorCode = null;
    this.code = '';
    this.invalid = false;
    this.codeExpired = false;
    if (this.action?.channel === 'SMS') this.#wantsWebOtp = true;
    step.apply(outcome.value);
    step.funnel.emit('resend');
    this.resent = true;
    const action = this.action;
    if (action) this.#live.announce(`${this.#sentText(this.#msg, action, this.#codeLength)} ${this.#msg.otpOnlyNewest}`);
    // The resend button is now waiting (aria-disabled); the shopper's next move is typing the new code.
    await this.updateComplete;
    this.input?.focus();
  }

  /**
   * Shows what went wrong and puts the field in the state the error calls for.
   * @returns whether the error had a specific handling (else the caller may offer a retry).
   */
  #handleError(failure: RelayFailure, operation: 'load' | 'answer' | 'resend', reread?: Promise<RelayFailure | null>): boolean {
    const { code, retryAfterSeconds } = failure;
    if (code === 'aborted') return true;
    this.#step.errorCode = code;
    this.#step.funnel.failure(code);

    if (code === 'wrong_code') {
      this.#shake();
      this.#clearAndFocus();
      // The attempts left come from the view the session reads again, never from a guess: one
      // alert, with the relay's count once it is here (at once when the relay gives none).
      const counted = this.action?.remainingAttempts != null;
      if (!counted || !reread) this.#live.showAlert(this.#wrongCodeMessage(this.action?.remainingAttempts ?? null));
      void reread?.then((readFailure) => {
        // The view read again may hold a lock the next update applies: its alert, not a count, follows.
        if (this.#step.errorCode !== 'wrong_code' || this.#isLocked || this.action?.lockedForSeconds || this.#step.finished) return;
        // A failed re-read leaves the count unknown: the alert says what happened, without one.
        const fresh = readFailure ? null : (this.action?.remainingAttempts ?? null);
        if (counted || fresh !== null) this.#live.showAlert(this.#wrongCodeMessage(fresh));
      });
      return true;
    }

    const message = this.#msg.errorMessage(messageCodeOf(failure));
    this.#live.showAlert(message);
    if (this.#step.endSession(code, message)) return true;

    switch (code) {
      case 'code_expired': {
        this.codeExpired = true;
        this.code = '';
        this.invalid = true;
        // The way out is a new code: take the keyboard there when a resend is possible.
        void this.updateComplete.then(() => {
          const resend = this.resendButton;
          if (resend && !resend.disabled && !resend.ariaDisabled) resend.focus();
          else this.input?.focus();
        });
        return true;
      }
      case 'too_many_attempts': {
        this.code = '';
        const wait = retryAfterSeconds ?? this.action?.lockedForSeconds ?? 0;
        if (wait > 0) this.#lock(wait);
        return true;
      }
      case 'resend_too_soon':
      // Too many codes to this number over all sessions: nothing was sent; resending waits as long.
      case 'send_limited':
        if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) this.#resendCountdown.start(retryAfterSeconds);
        this.#focusInputIfResendLost();
        return true;
      case 'resend_limit_reached':
        this.resendRefusedFor = this.action;
        this.#focusInputIfResendLost();
        return true;
      case 'action_mismatch':
        // The session moved on (answered in another tab, a webhook landed): the session reads where it is now.
        return true;
      default:
        // Network, timeout, relay or upstream trouble: the code is kept, so Verify tries again.
        return operation !== 'load';
    }
  }

  #wrongCodeMessage(attemptsLeft: number | null): string {
    const msg = this.#msg;
    const base = msg.errorMessage('wrong_code');
    return attemptsLeft === null || this.#attemptsNotCounted(attemptsLeft) ? base : `${base} ${msg.attemptsLeft(attemptsLeft)}`;
  }

  /** No count is true after a lockout, and zero is never said: the lock's own message follows it. */
  #attemptsNotCounted(attemptsLeft: number): boolean {
    return this.lockoutPassed || attemptsLeft <= 0;
  }

  #clearAndFocus(): void {
    this.code = '';
    this.invalid = true;
    void this.updateComplete.then(() => this.input?.focus());
  }

  #focusInputIfResendLost(): void {
    void this.updateComplete.then(() => {
      const active = this.shadowRoot?.activeElement;
      if (!active || active === this.resendButton || !this.resendButton) {
        if (this.resendButton?.disabled !== false) this.input?.focus();
      }
    });
  }

  #showValidationError(): void {
    this.#updateFormState();
    this.invalid = true;
    this.#live.showAlert(this.#internals.validationMessage);
    this.input?.focus();
  }

  // Lockout and expiry

  #lock(seconds: number): void {
    const wasLocked = this.#isLocked;
    this.#lockCountdown.start(seconds);
    this.code = '';
    if (!wasLocked) {
      // The alert says why (it replaces "That code isn't right"); the hint below counts the wait down.
      this.#step.errorCode = 'too_many_attempts';
      this.#live.showAlert(this.#msg.errorMessage('too_many_attempts'));
      this.#live.announce(this.#msg.otpLockedWait(seconds));
    }
  }

  #announceLockMilestone(seconds: number): void {
    if (isAnnouncementMilestone(seconds)) this.#live.announce(this.#msg.otpLockedWait(seconds));
  }

  #unlock(): void {
    const shown = this.#step.errorCode;
    if (shown === 'too_many_attempts' || shown === 'wrong_code') {
      this.#live.clearAlert();
      this.#step.errorCode = null;
    }
    this.invalid = false;
    this.lockoutPassed = true;
    this.#live.announce(`${this.#msg.otpUnlocked} ${this.#msg.otpOneMoreLocks}`);
  }

  #expire(): void {
    this.codeExpired = true;
    this.#live.announce(this.#msg.errorMessage('code_expired'));
  }

  // Input

  #onInput(event: InputEvent): void {
    const input = event.target as HTMLInputElement;
    this.#setCodeFromUser(input, input.value);
    this.#caretToEnd(input);
  }

  /** Under the boxes the caret stays after the last digit, where the marked box is. */
  #caretToEnd(input: HTMLInputElement): void {
    if (this.appearance !== 'boxes') return;
    const end = input.value.length;
    if (input.selectionStart !== end || input.selectionEnd !== end) input.setSelectionRange(end, end);
  }

  readonly #onFocus = (event: FocusEvent): void => {
    this.focused = true;
    this.#caretToEnd(event.target as HTMLInputElement);
  };

  readonly #onBlur = (): void => {
    this.focused = false;
  };

  readonly #onSelect = (event: Event): void => {
    this.#caretToEnd(event.target as HTMLInputElement);
  };

  #onPaste(event: ClipboardEvent): void {
    const text = event.clipboardData?.getData('text');
    if (!text) return;
    // The browser would cut "123 456" to maxlength before normalising; insert it whole instead.
    event.preventDefault();
    const input = event.target as HTMLInputElement;
    if (input.readOnly || input.disabled) return;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    this.#setCodeFromUser(input, input.value.slice(0, start) + text + input.value.slice(end));
  }

  #onChange(): void {
    // `change` does not cross the shadow boundary by itself.
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }

  #setCodeFromUser(input: HTMLInputElement, raw: string): void {
    const length = this.#codeLength;
    const code = normalizeCode(raw, length);
    if (input.value !== code) input.value = code;
    this.code = code;
    if (hasNonDigits(code)) {
      this.invalid = true;
      this.#live.showAlert(this.#msg.otpPatternMismatch);
      return;
    }
    if (this.invalid && this.#step.errorCode === null) {
      // The only error shown was about the input itself; it no longer applies.
      this.invalid = false;
      this.#live.clearAlert();
    }
    if (isCompleteCode(code, length)) void this.#submit();
  }

  #fillFromWebOtp(raw: string): void {
    if (this.#busy || this.#isInert || this.#isDisabled) return;
    this.code = normalizeCode(raw, this.#codeLength);
    void this.#submit();
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.#submit();
  }

  #onRetryLoad(): void {
    this.#live.clearAlert();
    this.#step.retryLoad();
  }

  // Plumbing

  #maybeListenForSms(): void {
    if (!this.#wantsWebOtp || !this.isConnected) return;
    if (this.action?.channel !== 'SMS' || this.#step.finished || this.#isDisabled) return;
    this.#wantsWebOtp = false;
    this.#webOtp.request();
  }

  #updateFormState(): void {
    const input = this.input;
    this.#internals.setFormValue(this.code);
    if (!input) return;
    const { flags, message } = otpValidity(this.code, this.#codeLength, this.#msg);
    this.#internals.setValidity(flags, message, input);
  }

  /** The inner input's accessible name when the page labelled the element itself. */
  #outerLabel(): string | undefined {
    if (this.ariaLabel) return this.ariaLabel;
    const labels = [...this.#internals.labels].map((label) => label.textContent?.trim() ?? '').filter(Boolean);
    return labels.length > 0 ? labels.join(' ') : undefined;
  }

  // Rendering

  protected override render(): TemplateResult {
    const msg = this.#msg;
    const length = this.#codeLength;
    const busy = this.#busy !== null;
    const disabled = this.#isDisabled;
    const inert = this.#isInert;
    return html`
      <form
        part="base"
        class="base"
        lang=${this.#localize.lang}
        aria-busy=${busy ? 'true' : 'false'}
        novalidate
        data-length=${length}
        @submit=${this.#onSubmit}
      >
        ${this.#renderSentTo(msg, length)}
        <div class="field">
          <label part="label" class="label" for="input">${this.label || msg.otpLabel}</label>
          <div class="entry ${this.appearance === 'boxes' ? 'entry--boxes' : ''}">
          <input
            part="input"
            class="input"
            id="input"
            name="one-time-code"
            type="text"
            dir="ltr"
            autocomplete="one-time-code"
            inputmode="numeric"
            pattern=${DIGITS_PATTERN}
            maxlength=${length}
            spellcheck="false"
            autocapitalize="off"
            enterkeyhint="done"
            required
            .value=${this.code}
            ?disabled=${disabled}
            ?readonly=${busy || inert}
            aria-disabled=${inert && !disabled ? 'true' : nothing}
            aria-invalid=${this.invalid ? 'true' : 'false'}
            aria-label=${this.#outerLabel() ?? nothing}
            aria-describedby="sent details error"
            @input=${this.#onInput}
            @paste=${this.#onPaste}
            @change=${this.#onChange}
            @focus=${this.#onFocus}
            @blur=${this.#onBlur}
            @select=${this.#onSelect}
            @click=${this.#onSelect}
          />
          ${this.appearance === 'boxes' ? this.#renderSlots(length) : nothing}
          </div>
          ${this.#renderDetails(msg)}
        </div>
        <p part="error" class="error" id="error" role=${this.#live.alertRole} aria-atomic="true">${this.#live.alert}</p>
        <div class="actions">${this.#renderButton(msg)} ${this.#renderResend(msg)}</div>
        <div part="status" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
          ${this.#live.status}
        </div>
      </form>
    `;
  }

  /** The boxes: what the input holds, a digit a box, for the eye only (screen readers read the input). */
  #renderSlots(length: number): TemplateResult {
    const digits = [...this.code];
    const active = this.focused && !this.#isInert ? Math.min(digits.length, length - 1) : -1;
    return html`<div part="slots" class="slots" aria-hidden="true" dir="ltr">
      ${Array.from({ length }, (_, index) => {
        const filled = index < digits.length;
        const parts = `slot${filled ? ' slot-filled' : ''}${index === active ? ' slot-active' : ''}`;
        return html`<span part=${parts} class="slot ${filled ? 'slot--filled' : ''} ${index === active ? 'slot--active' : ''}">${digits[index] ?? ''}</span>`;
      })}
    </div>`;
  }

  #renderSentTo(msg: Messages, length: number): TemplateResult {
    const action = this.action;
    let text: string;
    if (action && action.destination) text = this.#sentText(msg, action, length) + (this.resent ? ` ${msg.otpOnlyNewest}` : '');
    else if (!action && this.#busy === 'loading') text = msg.flowLoading;
    else text = msg.otpHint(length);
    return html`<p part="hint" class="sent" id="sent">${action?.destination ? icon(channelIcon(action.channel)) : nothing}<span>${text}</span></p>`;
  }

  /** A wrong code shakes the boxes once, unless the shopper asked for less motion. */
  #shake(): void {
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) return;
    this.renderRoot.querySelector('.slots')?.animate({ translate: ['0', '-4px', '4px', '-4px', '0'] }, 300);
  }

  #sentText(msg: Messages, action: OtpActionView, length: number): string {
    const destination = contactText(action.destination);
    return this.resent ? msg.otpResendSent(action.channel, length, destination) : msg.otpSentTo(action.channel, length, destination);
  }

  /** One line of state, whichever matters now: the wait, the last chances, or the time left near the end. */
  #renderDetails(msg: Messages): TemplateResult {
    return html`<p part="hint" class="hint" id="details">${this.#stateLine(msg)}</p>`;
  }

  #stateLine(msg: Messages): string {
    const action = this.action;
    if (this.#isLocked) return msg.otpLockedWait(this.#lockCountdown.remainingSeconds);
    if (!action || this.#step.finished) return '';
    if (this.codeExpired) return this.#step.errorCode === 'code_expired' ? '' : msg.errorMessage('code_expired');
    const attempts = action.remainingAttempts;
    if (this.lockoutPassed || attempts === 0) return msg.otpOneMoreLocks;
    // One place states the count: the wrong-code alert when it does, else this line once few are left.
    if (attempts !== null && attempts <= LAST_CHANCES && this.#live.alert !== this.#wrongCodeMessage(attempts)) return msg.attemptsLeft(attempts);
    const left = this.#expiryCountdown.remainingSeconds;
    // Minutes while there are minutes: a line that changes every second is noise.
    if (this.#expiryCountdown.running && left <= EXPIRY_WORTH_SAYING) return msg.otpExpiresIn(left > 60 ? Math.ceil(left / 60) * 60 : left);
    return '';
  }

  #renderButton(msg: Messages): TemplateResult {
    if (this.#step.loadFailed && !this.action) {
      return html`<button part="button" class="button button--primary" type="button" @click=${this.#onRetryLoad}>
        ${msg.retry}
      </button>`;
    }
    const refused = this.#busy !== null || this.#isInert;
    const checking = this.#busy === 'submitting';
    return html`<button
      part="button"
      class="button button--primary ${checking ? 'button--busy' : ''}"
      type="submit"
      ?disabled=${this.#isDisabled}
      aria-disabled=${refused && !this.#isDisabled ? 'true' : nothing}
      aria-label=${checking ? msg.otpVerifying : nothing}
    >
      <span>${msg.otpVerify}</span>
    </button>`;
  }

  #renderResend(msg: Messages): TemplateResult | typeof nothing {
    const action = this.action;
    if (!action || !this.#step.client || this.#step.finished) return nothing;
    if (this.#resendsExhausted) return html`<p part="hint" class="hint">${msg.otpNoResendsLeft}</p>`;
    const waiting = this.#resendCountdown.running;
    // Waiting or busy, it stays a Tab stop (aria-disabled; #resend ignores it), described by its countdown.
    // Beside it, one line: the countdown while it runs, else the new codes left once few are.
    const left = action.remainingResends;
    const meta = waiting ? msg.otpResendIn(this.#resendCountdown.remainingSeconds) : left !== null && left <= 1 ? msg.resendsLeft(left) : '';
    return html`<div class="resend">
        <button
          part="resend"
          class="button button--link"
          type="button"
          ?disabled=${this.#isDisabled}
          aria-disabled=${(this.#busy !== null || waiting) && !this.#isDisabled ? 'true' : nothing}
          aria-describedby="resend-wait"
          @click=${this.#resend}
        >
          ${this.#busy === 'resending' ? msg.otpResendSending : msg.otpResend}
        </button>
        <span part="hint" class="hint" id="resend-wait">${meta}</span>
    </div>`;
  }
}
