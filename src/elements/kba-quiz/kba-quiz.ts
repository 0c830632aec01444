import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { KbaActionView, KbaQuestionView, SessionView } from '../../contract/browser.js';
import type { RelayClient } from '../../client/relay-client.js';
import { CountdownController, isAnnouncementMilestone } from '../shared/countdown-controller.js';
import { defineElement } from '../shared/define.js';
import { LiveRegionController } from '../shared/live-region.js';
import { LocalizeController, localized, type MessageOverrides, type Messages } from '../shared/localize.js';
import { endsSession, type RelayFailure } from '../../client/relay-error.js';
import { focusStart, StepController } from '../shared/step-controller.js';
import { baseStyles } from '../shared/styles.js';
import { kbaQuizStyles } from './kba-quiz.styles.js';
import { kbaQuizStrings } from './kba-quiz.strings.js';
import { stepStrings } from '../shared/locales/en-steps.js';
import { isReview, nextPosition, previousPosition } from './internal/navigation.js';
import { chosen, firstUnanswered, kbaAnswer, sameQuestionnaire, withChoice, type Answers } from './internal/questionnaire.js';

/** What `<kba-quiz>` needs from a client: `RelayClient`, or anything with the same two calls. */
export type KbaQuizClient = Pick<RelayClient, 'view' | 'answer'>;

/** Whether Kount's question already asks to choose all that apply, in English or in the catalogue's words. */
function saysChooseAll(text: string, hint: string): boolean {
  const normalize = (value: string) => value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const question = normalize(text);
  return /\ball that apply\b/.test(question) || question.includes(normalize(hint));
}

/** A sentence as one item of a meta line ("Question 1 of 3 · 1 attempt left"): without its full stop. */
const clause = (text: string) => text.replace(/[.。]$/u, '');

/**
 * @tagname kba-quiz
 * @summary Knowledge-based questions for a Kount 360 KBA challenge: one question at a time (radios
 * for single choice, checkboxes for multiple), progress, a review screen before one submit, and
 * the time limit when the relay gives one.
 *
 * Give it an `action` (the KBA action of a session view) and a `client` (as `<verification-flow>`
 * does), or `relay`/`session` attributes to load the view itself. Question and choice texts come
 * from Kount and are shown as text only.
 *
 * @event {VerifyStepEvent} verify-step - The relay returned a new view (`detail.view`): after submitting, or a re-read after wrong answers, a late answer or time running out.
 * @event {VerifyCompleteEvent} verify-complete - The relay returned a final decision (`detail.decision`). Confirm it on your backend.
 * @event {VerifyAnalyticsEvent} verify-analytics - A funnel moment of this step (`detail.name`), with no personal data; inside `<verification-flow>` the flow sends it on.
 * @event {VerifyErrorEvent} verify-error - The session cannot go on (`detail.code`, `detail.message`), e.g. `session_expired`.
 *
 * @slot - None: every text comes from the catalogue (`messages`, `registerMessages`).
 *
 * @csspart base - The wrapper (a `<form>` inside the shadow root).
 * @csspart hint - An item of the meta line: "choose all that apply", a lockout's wait, the last attempt; on the review, its help text.
 * @csspart timer - The visible countdown on the meta line, when the quiz has a time limit.
 * @csspart question - The `<fieldset>` of the current question.
 * @csspart legend - The question's legend: its one meta line, then the question text. Takes focus on navigation; its focus ring lines up with the choices' edges.
 * @csspart progress - "Question 2 of 4", first on the meta line.
 * @csspart question-text - The question itself.
 * @csspart choices - The list of choices.
 * @csspart choice - One choice: a `<label>` around its input and text.
 * @csspart input - A radio or checkbox.
 * @csspart review - The review screen's list of questions and answers.
 * @csspart review-item - One row of the review: the question, the answer under it, and Change.
 * @csspart review-title - The review screen's heading. Takes focus when the review opens.
 * @csspart change - A "Change" button on the review screen.
 * @csspart error - The error message (an alert region), where focus goes: above the question, or on the review above Submit.
 * @csspart back - The Back button.
 * @csspart button - The primary button: Next, Review answers, Submit answers (a spinner while submitting), or Try again.
 * @csspart status - The polite screen-reader status region (visually hidden).
 *
 * @cssproperty --kba-quiz-gap - Space between the rows. Defaults to `--verify-space-m`.
 * @cssproperty --kba-quiz-accent - Primary button, checked inputs and the selected choice's border. Defaults to `--verify-color-accent`.
 * @cssproperty --kba-quiz-accent-contrast - Text on the primary button. Defaults to `--verify-color-accent-contrast`.
 * @cssproperty --kba-quiz-hint-color - The meta line and help text. Defaults to `--verify-color-muted`.
 * @cssproperty --kba-quiz-error-color - Error text and the invalid question's border. Defaults to `--verify-color-danger`.
 * @cssproperty --kba-quiz-choice-background - Defaults to `--verify-color-surface`.
 * @cssproperty --kba-quiz-choice-border-color - Defaults to `--verify-color-border`.
 * @cssproperty --kba-quiz-choice-radius - Defaults to `--verify-radius`.
 * @cssproperty --kba-quiz-question-font-size - Defaults to 1.125em.
 */
@localized()
export class KbaQuiz extends LitElement {
  static override styles = [baseStyles, kbaQuizStyles];

  /** Registers the element as `tag` (default `kba-quiz`); a no-op when already registered. */
  static define(tag = 'kba-quiz', registry: CustomElementRegistry = customElements): boolean {
    return defineElement(tag, this, registry);
  }

  readonly #localize = new LocalizeController(this, { ...stepStrings, ...kbaQuizStrings });
  readonly #live = new LiveRegionController(this);
  readonly #timeLimit = new CountdownController(this, {
    onTick: (seconds) => {
      if (isAnnouncementMilestone(seconds)) this.#live.announce(this.#msg.kbaTimeLeftAnnouncement(seconds));
    },
    onEnd: () => void this.#timeRanOut(),
  });
  readonly #lock = new CountdownController(this, {
    onTick: (seconds) => {
      if (isAnnouncementMilestone(seconds)) this.#live.announce(this.#msg.kbaLockedWait(seconds));
    },
    onEnd: () => this.#unlock(),
  });
  readonly #step = new StepController<KbaQuizClient, KbaActionView, 'submitting'>(this, {
    method: 'KBA',
    hasAction: () => this.action !== undefined,
    show: (action) => {
      this.action = action;
      this.#syncFromAction(action);
    },
    onFinish: () => {
      this.#timeLimit.stop();
      this.#lock.stop();
    },
    onLoadFailure: (failure) => this.#handleError(failure, 'load'),
  });

  /** Chosen choice ids by question id, in the order of the question's choices. */
  @state() private answers: Answers = new Map();
  /** Index of the question on screen; `questions.length` is the review screen. */
  @state() private position = 0;
  /** Set by "Change": the question's Next goes straight back to the review. */
  @state() private returnToReview = false;
  /** The question on screen was left unanswered. */
  @state() private invalid = false;
  @state() private timeUp = false;
  /** Submitting failed without costing anything: the primary button says Try again. */
  @state() private submitFailed = false;

  /** The alert shown when a lockout began: while it shows, the meta line does not repeat the wait. */
  #lockAlert = '';

  /** The action the quiz state was last brought in line with. */
  #syncedAction: KbaActionView | undefined;

  /** The open KBA action, as the relay's view describes it. */
  @property({ attribute: false }) action?: KbaActionView;

  /** How to post answers: `<verification-flow>` passes its own. Overrides `relay`/`session`. */
  @property({ attribute: false }) client?: KbaQuizClient;

  /** Standalone use: where the relay's browser API is mounted (`/verify`, or a URL on another origin). */
  @property() relay = '';

  /** Standalone use with a relay on another origin: the session handle it was given. */
  @property() session = '';

  /** Overrides for the built-in strings of the current language. */
  @property({ attribute: false }) messages?: MessageOverrides;

  /**
   * The language of the questions and choices, which come from Kount and are often not in the
   * page's language: they are marked with it (and isolated in direction), so a screen reader
   * reads them with the right voice and an Arabic page keeps them in order. Default `en`.
   */
  @property({ attribute: 'content-lang' }) contentLang = 'en';

  /** The last error code from the relay or the client (`wrong_answers`, `network_error`, ...), or null. */
  get errorCode(): string | null {
    return this.#step.errorCode;
  }

  // Lifecycle

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('action') && this.action) this.#syncFromAction(this.action);
  }

  // Derived state

  get #msg(): Messages {
    return this.#localize.msg;
  }

  get #questions(): readonly KbaQuestionView[] {
    return this.action?.questions ?? [];
  }

  get #onReview(): boolean {
    return isReview(this.position, this.#questions.length);
  }

  get #busy(): 'loading' | 'submitting' | null {
    return this.#step.busy;
  }

  #chosen(question: KbaQuestionView): readonly string[] {
    return chosen(this.answers, question);
  }

  // Data from the relay

  /** Idempotent: runs when a view is applied (so callers see its state at once) and in `willUpdate`. */
  #syncFromAction(action: KbaActionView): void {
    if (action === this.#syncedAction) return;
    const previous = this.#syncedAction;
    this.#syncedAction = action;
    if (!sameQuestionnaire(action, previous)) this.#startOver();
    if (action.timeLimitSeconds === null) {
      this.#timeLimit.stop();
      this.timeUp = false;
    } else if (action.timeLimitSeconds > 0) {
      this.#timeLimit.start(action.timeLimitSeconds);
      this.timeUp = false;
    } else {
      this.#timeLimit.stop();
      if (!this.timeUp) this.#live.showAlert(this.#msg.kbaTimeUp);
      this.timeUp = true;
    }
  }

  /** Back to question 1 with nothing chosen: the questions on screen are new. */
  #startOver(): void {
    this.answers = new Map();
    this.position = 0;
    this.returnToReview = false;
    this.invalid = false;
    this.submitFailed = false;
  }

  /**
   * Moves to a view the relay returned.
   * @param fresh The relay drew a new questionnaire (wrong or late answers), even if its ids repeat.
   */
  #applyView(view: SessionView, fresh: boolean): void {
    if (this.#step.apply(view) && fresh && !this.#step.finished) this.#startOver();
  }

  /** Reads the view and shows it (time up, Try again). A failure that leaves the session open offers Try again. */
  #refresh(): Promise<'applied' | 'failed' | 'aborted'> {
    return this.#step.load();
  }

  // Navigation

  #goTo(position: number): void {
    this.position = position;
    this.invalid = false;
    // An error is about the step it was shown on; the lockout and time up still hold.
    if (!this.#lock.running && !this.timeUp) this.#live.clearAlert();
    void this.#focusStep();
  }

  /** Next, Review answers or Submit: whatever the step on screen leads to. */
  #advance(): void {
    if (this.#busy || this.#step.finished || !this.action) return;
    if (this.#onReview) {
      void this.#submit();
      return;
    }
    const question = this.#questions[this.position];
    if (!question) return;
    if (this.#chosen(question).length === 0) {
      this.#showChoiceMissing(question);
      return;
    }
    const next = nextPosition(this.position, this.#questions.length, this.returnToReview);
    this.returnToReview = false;
    this.#goTo(next);
  }

  #back(): void {
    if (this.#busy || this.position === 0) return;
    this.returnToReview = false;
    this.#goTo(previousPosition(this.position));
  }

  #change(index: number): void {
    if (this.#busy) return;
    this.returnToReview = true;
    this.#goTo(index);
  }

  #showChoiceMissing(question: KbaQuestionView): void {
    this.invalid = true;
    const msg = this.#msg;
    this.#live.showAlert(question.selection === 'single' ? msg.kbaChooseOne : msg.kbaChooseAtLeastOne);
    // The way out is a choice: the first one, whose group the error describes.
    this.renderRoot.querySelector<HTMLInputElement>('[part="input"]')?.focus();
  }

  /** Focuses where the quiz starts now: the question's legend, the review's heading, or its first control. */
  override focus(options?: FocusOptions): void {
    if (!focusStart(this.renderRoot, '#review-title, #legend, button', options)) super.focus(options);
  }

  /** Focus where the new step starts, so a screen reader reads it and Tab goes on from there. */
  async #focusStep(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(this.#onReview ? '#review-title' : '#legend')?.focus();
  }

  // Answer

  async #submit(): Promise<void> {
    const step = this.#step;
    if (!step.client || step.busy || step.finished || this.#lock.running) return;
    const missing = firstUnanswered(this.#questions, this.answers);
    if (missing >= 0) {
      this.#goTo(missing);
      return;
    }
    const answer = kbaAnswer(this.#questions, this.answers);
    this.#live.clearAlert();
    step.funnel.emit('answers_submitted');
    const outcome = await step.run('submitting', (client, signal) => client.answer(answer, signal));
    if (!outcome) return;
    if (outcome.failure) {
      this.#handleError(outcome.failure, 'answer', outcome.reread);
      return;
    }
    step.errorCode = null;
    this.submitFailed = false;
    this.#applyView(outcome.value, true);
  }

  /**
   * Shows what went wrong and puts the quiz in the state the error calls for.
   * @returns false for a failed read with nothing specific to do: the step then offers Try again.
   */
  #handleError(failure: RelayFailure, operation: 'load' | 'answer', reread?: Promise<RelayFailure | null>): boolean {
    const { code, retryAfterSeconds } = failure;
    if (code === 'aborted') return true;
    this.#step.errorCode = code;
    this.#step.funnel.failure(code);
    const msg = this.#msg;
    const message = msg.errorMessage(code);

    if (endsSession(code)) {
      this.#live.showAlert(message);
      return this.#step.endSession(code, message);
    }

    switch (code) {
      case 'wrong_answers':
      case 'quiz_expired':
      case 'action_mismatch':
        // Kount drew a fresh questionnaire (or the page shows an old one): the session reads it; start again.
        void this.#restartWithNewQuestions(code, reread);
        return true;
      case 'too_many_attempts':
        if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) {
          this.#lock.start(retryAfterSeconds);
          this.#lockAlert = msg.kbaLockedWait(retryAfterSeconds);
          this.#live.showAlert(this.#lockAlert);
        } else {
          // The relay may have decided meanwhile (attempts exhausted): the session reads where it is.
          this.#live.showAlert(msg.kbaTooManyAttempts);
        }
        return true;
      default:
        if (operation === 'load') {
          this.#live.showAlert(message);
          return false;
        }
        // Network, time-out, relay or upstream trouble: every answer stays, Try again resends them.
        this.submitFailed = true;
        this.#live.showAlert(`${message} ${msg.kbaAnswersKept}`);
        return true;
    }
  }

  async #restartWithNewQuestions(code: 'wrong_answers' | 'quiz_expired' | 'action_mismatch', reread?: Promise<RelayFailure | null>): Promise<void> {
    const failure = reread ? await reread : null;
    if (failure) {
      // Try again reads the new questions (a failure that ended the session is handled already).
      if (failure.code !== 'aborted' && !endsSession(failure.code)) this.#step.readFailed(failure);
      return;
    }
    if (!reread || this.#step.finished || !this.action) return;
    this.#startOver();
    const msg = this.#msg;
    const attempts = this.action.remainingAttempts;
    const attemptsText = attempts === null ? '' : ` ${msg.attemptsLeft(attempts)}`;
    const text =
      code === 'wrong_answers'
        ? `${msg.errorMessage(code)} ${msg.kbaNewQuestions}${attemptsText}`
        : code === 'quiz_expired'
          ? `${msg.errorMessage(code)} ${msg.kbaNewQuestions}${attemptsText}`
          : msg.kbaNewQuestions;
    this.#live.showAlert(text);
    await this.#focusStep();
  }

  // Time limit and lockout

  async #timeRanOut(): Promise<void> {
    this.timeUp = true;
    this.#live.showAlert(this.#msg.kbaTimeUp);
    if (this.#busy === 'submitting') return;
    const before = this.action;
    const result = await this.#refresh();
    // Still expired: the alert stays, and the answers too (sending them gets Kount's new questions).
    if (result !== 'applied' || this.#step.finished || !this.action || this.timeUp) return;
    if (sameQuestionnaire(this.action, before)) {
      // The relay's clock had time left on these questions: ours was early.
      this.#live.clearAlert();
    } else {
      this.#live.showAlert(`${this.#msg.kbaTimeUp} ${this.#msg.kbaNewQuestions}`);
      await this.#focusStep();
    }
  }

  #unlock(): void {
    if (this.#step.errorCode === 'too_many_attempts') {
      this.#live.clearAlert();
      this.#step.errorCode = null;
    }
    this.#live.announce(this.#msg.kbaUnlocked);
  }

  // Input

  #onChoice(question: KbaQuestionView, event: Event): void {
    const input = event.target as HTMLInputElement;
    this.answers = withChoice(this.answers, question, input.value, input.checked);
    if (this.invalid && this.#chosen(question).length > 0) {
      // While `invalid`, the alert is the "choose an answer" message, whatever the relay said before.
      this.invalid = false;
      this.#live.clearAlert();
    }
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.#advance();
  }

  #onKeydown(event: KeyboardEvent): void {
    // Enter on a choice (or on the focused legend) takes the step; buttons handle Enter themselves.
    if (event.key !== 'Enter' || event.isComposing || event.defaultPrevented) return;
    const target = event.composedPath()[0];
    if (target instanceof HTMLButtonElement) return;
    event.preventDefault();
    this.#advance();
  }

  #onPrimary(event: Event): void {
    if (this.#step.loadFailed) {
      event.preventDefault();
      this.#step.errorCode = null;
      this.#live.clearAlert();
      void this.#refresh();
    }
  }

  // Rendering

  protected override render(): TemplateResult {
    const msg = this.#msg;
    const action = this.action;
    const review = action !== undefined && this.#onReview && !this.#step.finished && !this.#step.loadFailed;
    // The alert sits where focus goes: above a question (its legend, its first choice), and on the
    // review under the list, by Submit. One node in one place, so it is always there before it speaks.
    return html`
      <form
        part="base"
        class="base"
        lang=${this.#localize.lang}
        aria-busy=${this.#busy !== null ? 'true' : 'false'}
        novalidate
        @submit=${this.#onSubmit}
        @keydown=${this.#onKeydown}
      >
        ${review ? this.#renderReview(msg, action) : nothing}
        <p part="error" class="error" id="error" role=${this.#live.alertRole} aria-atomic="true">${this.#live.alert}</p>
        ${review ? nothing : this.#renderBody(msg)} ${this.#renderActions(msg)}
        <div part="status" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
          ${this.#live.status}
        </div>
      </form>
    `;
  }

  #renderBody(msg: Messages): TemplateResult | typeof nothing {
    const action = this.action;
    if (this.#step.finished) return nothing;
    if (!action || this.#step.loadFailed) {
      return this.#busy === 'loading' && !action ? html`<p part="hint" class="hint">${msg.flowLoading}</p>` : nothing;
    }
    return this.#renderQuestion(msg, action);
  }

  /**
   * What the meta line adds to where the shopper is: the time left when the quiz is timed, and
   * a lockout's wait or the last attempt (the count matters then) only when the alert does not say it already.
   */
  #renderState(msg: Messages, action: KbaActionView): TemplateResult[] {
    const alert = this.#live.alert;
    const items: TemplateResult[] = [];
    if (this.#timeLimit.running) items.push(html`<span part="timer" class="timer">${msg.kbaTimeLeft(this.#timeLimit.remainingSeconds)}</span>`);
    const hints: string[] = [];
    if (this.#lock.running && alert !== this.#lockAlert) hints.push(msg.kbaLockedWait(this.#lock.remainingSeconds));
    const attempts = action.remainingAttempts;
    if (attempts === 1 && !alert.includes(clause(msg.attemptsLeft(attempts)))) hints.push(msg.attemptsLeft(attempts));
    for (const hint of hints) items.push(html`<span part="hint" class="hint">${clause(hint)}</span>`);
    return items;
  }

  #renderQuestion(msg: Messages, action: KbaActionView): TemplateResult | typeof nothing {
    const questions = this.#questions;
    const question = questions[this.position];
    if (!question) return nothing;
    const single = question.selection === 'single';
    const chosen = this.#chosen(question);
    // Kount's own wording often says it already ("Select all that apply"): say it once.
    const chooseAll = !single && !saysChooseAll(question.text, msg.kbaChooseAllThatApply);
    return html`
      <fieldset part="question" class="question" aria-describedby="error">
        <legend part="legend" class="legend" id="legend" tabindex="-1">
          <span class="meta"
            ><span part="progress" class="progress">${msg.kbaQuestionOf(this.position + 1, questions.length)}</span>
            ${this.#renderState(msg, action)}
            ${chooseAll ? html`<span part="hint" class="hint">${clause(msg.kbaChooseAllThatApply)}</span>` : nothing}</span
          >
          <span part="question-text" class="question-text" lang=${this.contentLang} dir="auto">${question.text}</span>
        </legend>
        <div part="choices" class="choices">
          ${question.choices.map(
            (choice) => html`
              <label part="choice" class="choice">
                <input
                  part="input"
                  class="input"
                  type=${single ? 'radio' : 'checkbox'}
                  name=${`question-${this.position}`}
                  .value=${choice.id}
                  .checked=${live(chosen.includes(choice.id))}
                  aria-invalid=${this.invalid ? 'true' : 'false'}
                  @change=${(event: Event) => this.#onChoice(question, event)}
                />
                <span class="choice-text" lang=${this.contentLang} dir="auto">${choice.text}</span>
              </label>
            `,
          )}
        </div>
      </fieldset>
    `;
  }

  #renderReview(msg: Messages, action: KbaActionView): TemplateResult {
    const inert = this.#busy !== null;
    return html`
      <h2 part="review-title" class="review-title" id="review-title" tabindex="-1">${msg.kbaReviewTitle}</h2>
      <p class="meta"><span part="hint" class="hint">${clause(msg.kbaReviewHint)}</span>${this.#renderState(msg, action)}</p>
      <ol part="review" class="review">
        ${this.#questions.map((question, index) => {
          const chosen = new Set(this.#chosen(question));
          const texts = question.choices.filter((choice) => chosen.has(choice.id)).map((choice) => choice.text);
          return html`
            <li part="review-item" class="review-item">
              <p class="review-question" id=${`review-question-${index}`} lang=${this.contentLang} dir="auto">${question.text}</p>
              ${texts.length > 0
                ? html`<ul class="review-answers" lang=${this.contentLang}>
                    ${texts.map((text) => html`<li dir="auto">${text}</li>`)}
                  </ul>`
                : html`<p class="review-answers review-answers--none">${msg.kbaNotAnswered}</p>`}
              <button
                part="change"
                class="button button--link"
                type="button"
                id=${`change-${index}`}
                aria-labelledby=${`change-${index} review-question-${index}`}
                aria-disabled=${inert ? 'true' : nothing}
                @click=${() => this.#change(index)}
              >
                ${msg.kbaChange}
              </button>
            </li>
          `;
        })}
      </ol>
    `;
  }

  #renderActions(msg: Messages): TemplateResult | typeof nothing {
    if (this.#step.finished) return nothing;
    if (this.#step.loadFailed) {
      return html`<div class="actions">
        <button part="button" class="button button--primary" type="button" @click=${this.#onPrimary}>${msg.retry}</button>
      </div>`;
    }
    if (!this.action) return nothing;
    const busy = this.#busy !== null;
    const review = this.#onReview;
    const last = this.position === this.#questions.length - 1;
    let label: string;
    if (review) label = this.submitFailed ? msg.retry : msg.kbaSubmit;
    else label = this.returnToReview || last ? msg.kbaReviewAnswers : msg.kbaNext;
    // While it sends, a spinner over the label, which keeps the button's width; the name says so.
    const submitting = this.#busy === 'submitting';
    const refused = busy || (review && this.#lock.running);
    return html`<div class="actions">
      ${this.position > 0
        ? html`<button part="back" class="button" type="button" aria-disabled=${busy ? 'true' : nothing} @click=${this.#back}>
            ${msg.kbaBack}
          </button>`
        : nothing}
      <button
        part="button"
        class="button button--primary ${submitting ? 'button--busy' : ''}"
        type="submit"
        aria-disabled=${refused ? 'true' : nothing}
        aria-label=${submitting ? msg.kbaSubmitting : nothing}
      >
        <span>${label}</span>
      </button>
    </div>`;
  }
}
