import { ContextProvider } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { html as staticHtml, unsafeStatic, type StaticValue } from 'lit/static-html.js';
import type { ChallengeView, DecidedView, SessionView } from '../../contract/browser.js';
import type { RelayClient } from '../../client/relay-client.js';
import { defineElement } from '../shared/define.js';
import { VerifyAnalyticsEvent, VerifyCompleteEvent, VerifyErrorEvent, VerifyRestartEvent, VerifyStepEvent } from '../shared/events.js';
import { awaitingLink, Funnel } from '../shared/funnel.js';
import { LiveRegionController } from '../shared/live-region.js';
import { LocalizeController, localized, type MessageOverrides } from '../shared/localize.js';
import { endsSession, RelayError, relayFailure } from '../../client/relay-error.js';
import { relayClientOf, SessionController, sessionContext } from '../shared/session-controller.js';
import { readView } from '../../client/relay-client.js';
import { embeddedView } from './embedded-view.js';
import { baseStyles } from '../shared/styles.js';
import { failureIcon, successIcon, waitingIcon } from '../shared/icons.js';
import { actionElements, isRendered, loadElement, type RenderedAction, type RenderedMethod } from './action-elements.js';
import { verificationFlowStyles } from './verification-flow.styles.js';

const decisionIcons = { ALLOW: successIcon, BLOCK: failureIcon, REVIEW: waitingIcon };

// The tags come from the element map, never from a view, so they are safe to splice into a template.
const actionTags = Object.fromEntries(
  Object.entries(actionElements).map(([method, element]) => [method, unsafeStatic(element.tag)]),
) as Record<RenderedMethod, StaticValue>;

/**
 * @tagname verification-flow
 * @summary Runs a Kount 360 verification in the page: loads the session's view from the relay,
 * renders the element for the open action, walks the strategy and reports the final decision.
 *
 * @event {VerifyCompleteEvent} verify-complete - The verification reached a decision (`detail.decision`). Confirm it with your backend, which asks the relay.
 * @event {VerifyErrorEvent} verify-error - The verification cannot go on here (`detail.code`, `detail.message`): e.g. the session expired.
 * @event {VerifyAnalyticsEvent} verify-analytics - A funnel moment (`detail.name`: `step_shown`, `code_submitted`, `decided`...), with the method, the step, the time since it was shown and a correlation id; never personal data. docs/elements/funnel-events.md lists them.
 * @event {VerifyRestartEvent} verify-restart - The shopper chose Start again after the session ended (`detail.reason`). Start a new verification and call `preventDefault()`; otherwise the page reloads.
 *
 * @slot logo - With `appearance="card"`: the shop's logo, at the top of the card (at most 2rem high).
 * @slot heading - With `appearance="card"`: the card's title, e.g. `<h2 slot="heading">Confirm it's you</h2>`.
 * @slot subtitle - With `appearance="card"`: one short sentence under the title.
 *
 * @csspart base - The wrapper around everything; with `appearance="card"`, the card.
 * @csspart step - "Step 1 of 2", shown when the strategy has several actions, and said (status region) from the first step on.
 * @csspart action - The element rendering the open action (e.g. `<otp-entry>`).
 * @csspart loading - The loading placeholder: a skeleton of the step, and a polite status saying it loads.
 * @csspart skeleton - The loading placeholder's bars (a line, a field, a button).
 * @csspart error - The error block (message and button).
 * @csspart button - The Try again or Start again button.
 * @csspart restart - Added to the Start again button, after the session ended.
 * @csspart decision - The final decision block: an icon, a heading and a sentence.
 * @csspart decision-icon - The decision's icon (a tick, a cross, or a clock for a review), drawn in on arrival unless the shopper prefers reduced motion.
 * @csspart icon - Any icon the flow draws (inline SVG, in the text's colour).
 * @csspart header - With `appearance="card"`: the card's header, holding the `logo`, `heading` and `subtitle` slots.
 * @csspart status - The screen-reader status region.
 *
 * @cssproperty --verification-flow-gap - Space between the parts. Defaults to `--verify-space-m`.
 * @cssproperty --verification-flow-padding - Padding of the base part. Defaults to 0, or `--verify-space-l` for a card.
 * @cssproperty --verification-flow-background - Background of the base part. Defaults to transparent, or `--verify-color-surface` for a card.
 * @cssproperty --verification-flow-radius - Corner radius of the base part. Defaults to `--verify-radius`, twice that for a card.
 * @cssproperty --verification-flow-shadow - A card's shadow. Defaults to a soft one.
 * @cssproperty --verification-flow-heading-size - Size of the decision heading. Defaults to `--verify-font-size-l` (1.25rem).
 * @cssproperty --verification-flow-skeleton-color - The loading placeholder's bars. Defaults to `--verify-color-border`, faded.
 */
@localized()
export class VerificationFlow extends LitElement {
  static override styles = [baseStyles, verificationFlowStyles];

  static define(tag = 'verification-flow', registry: CustomElementRegistry = customElements): boolean {
    return defineElement(tag, this, registry);
  }

  readonly #localize = new LocalizeController(this);
  readonly #live = new LiveRegionController(this);

  @query('[part="decision"] h2') private decisionHeading?: HTMLElement;

  /** The view being shown: the session's newest (the first from the page or a load, then each step's). */
  @state() private view: SessionView | null = null;
  /** The code of the error that ended the session, once one did: the flow offers Start again. */
  @state() private ended: string | null = null;
  /** Try again was pressed, the step changed or the session ended: once the new content is on screen, the keyboard goes there. */
  #focusAfterLoad = false;
  /** One journey's funnel events: the steps' own are re-sent from here, with this correlation id and step. */
  readonly #funnel = new Funnel(this);
  #completed = false;
  /** When the view shown arrived (a one-time link's life counts from it). */
  #viewAt = 0;
  /** Try again asked for a fresh read, even with a view held. */
  #readAgain = false;
  readonly #clientOf = relayClientOf(this);
  /** The session of this journey, which the step elements inside use too (`sessionContext`). */
  readonly #session = new SessionController(this, () => this.#clientOf());

  /** Where the relay's browser API is mounted: a path on this origin (`/verify`) or a URL on another. */
  @property() relay = '';

  /** The session handle, only for a relay on another origin (a same-origin relay uses its cookie). */
  @property() session = '';

  /** A ready-made client, instead of `relay`/`session` (e.g. with a custom `fetch`). */
  @property({ attribute: false }) client?: RelayClient;

  /** Overrides for the built-in strings of the current language. */
  @property({ attribute: false }) messages?: MessageOverrides;

  /**
   * The language of the text that comes from Kount (questions, choices), which is often not the
   * page's: it is marked with this `lang` so screen readers pick the right voice. Default `en`.
   */
  @property({ attribute: 'content-lang' }) contentLang = 'en';

  /**
   * The session's view when the page already has it: what the relay answered when the shop's
   * server started the challenge (`StartedChallenge.view`). The flow shows it at once instead of
   * reading it from the relay; it is checked like any answer from the relay, and rendered as text.
   * A server-rendered page can put it in a child `<script type="application/json">` instead
   * (escaped as `embedded-view.ts` says).
   */
  @property({ attribute: false }) initialView?: SessionView;

  /**
   * `card`: the flow draws its own container (surface, border, shadow, padding) with a header of
   * the `logo`, `heading` and `subtitle` slots, for a page without a card of its own. `plain`
   * (default): no container, for a page that places the flow in its own.
   */
  @property({ reflect: true }) appearance: 'plain' | 'card' = 'plain';

  /** The final decision, reflected so a page can style the finished state. */
  @property({ reflect: true }) decision: DecidedView['decision'] | null = null;

  constructor() {
    super();
    new ContextProvider(this, { context: sessionContext, initialValue: this.#session });
    this.#session.subscribe({ onView: (view) => this.#show(view) });
  }

  readonly #load = new Task(this, {
    task: async ([client], { signal }) => {
      if (!client) throw new RelayError('invalid_response', 'No relay is configured.');
      // The first view came with the page (`embeddedView`): no round trip for it.
      const held = this.#readAgain ? undefined : this.#session.view;
      this.#readAgain = false;
      return held ?? client.view(signal);
    },
    args: () => [this.#client] as const,
    onComplete: (view) => {
      if (view !== this.#session.view) this.#session.offer(view);
      void this.#focusLoaded();
    },
    onError: (error) => {
      this.#reportIfFatal(error);
      void this.#focusLoaded();
    },
  });

  /** The element for the open action, loaded the first time a strategy needs it. */
  readonly #actionElement = new Task(this, {
    task: async ([tag]) => (tag ? loadElement(tag) : undefined),
    args: () => [this.#openActionTag] as const,
    onComplete: () => void this.#focusLoaded(),
    onError: () => void this.#focusLoaded(),
  });

  get #openActionTag(): string | undefined {
    const view = this.view;
    if (view?.state !== 'challenge' || !isRendered(view.action)) return undefined;
    return actionElements[view.action.method].tag;
  }

  // The step elements' events are caught on the shadow root, before they reach the host: a page
  // listener on the host (added before the flow was connected, so before any of the flow's own)
  // would otherwise hear a step's verify-complete as well as the flow's. Only events from inside
  // pass the shadow root; the flow's own, dispatched on the host, do not.
  override connectedCallback(): void {
    super.connectedCallback();
    this.#takeInitialView();
    this.renderRoot.addEventListener(VerifyStepEvent.eventName, this.#handleStep as EventListener);
    this.renderRoot.addEventListener(VerifyCompleteEvent.eventName, this.#swallowInnerComplete as EventListener);
    this.renderRoot.addEventListener(VerifyErrorEvent.eventName, this.#forwardInnerError as EventListener);
    this.renderRoot.addEventListener(VerifyAnalyticsEvent.eventName, this.#forwardInnerAnalytics as EventListener);
    addEventListener('pagehide', this.#onPageHide);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.renderRoot.removeEventListener(VerifyStepEvent.eventName, this.#handleStep as EventListener);
    this.renderRoot.removeEventListener(VerifyCompleteEvent.eventName, this.#swallowInnerComplete as EventListener);
    this.renderRoot.removeEventListener(VerifyErrorEvent.eventName, this.#forwardInnerError as EventListener);
    this.renderRoot.removeEventListener(VerifyAnalyticsEvent.eventName, this.#forwardInnerAnalytics as EventListener);
    removeEventListener('pagehide', this.#onPageHide);
  }

  /** A step's funnel event, told again as this journey's (the flow reports steps shown, decisions and leaving itself). */
  readonly #forwardInnerAnalytics = (event: VerifyAnalyticsEvent): void => {
    event.stopPropagation();
    const { name, value } = event.detail;
    // A step's lockout is the one the flow saw in the view, or news (a refusal): said once either way.
    if (name === 'lockout') this.#funnel.failure('too_many_attempts');
    else if (name !== 'step_shown' && name !== 'decided' && name !== 'abandoned') this.#funnel.emit(name, value);
  };

  /** The shopper left the page with a step still open. */
  readonly #onPageHide = (): void => {
    if (this.view?.state === 'challenge' && !this.ended) this.#funnel.emit('abandoned');
  };


  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('initialView')) this.#takeInitialView();
  }

  /**
   * The first view the page gave (`initialView`, else a child script), before the first render, so
   * that it already shows the step and starts loading its file: no round trip to the relay for it.
   */
  #takeInitialView(): void {
    if (this.view || !this.#client) return;
    const view = (this.initialView && readView(this.initialView)) || embeddedView(this);
    if (view) this.#session.offer(view);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('view') && this.view?.state === 'decided') this.decisionHeading?.focus();
  }

  /** Loads the view again from the relay (e.g. after the shopper fixed their connection). */
  reload(): void {
    this.#readAgain = true;
    void this.#load.run();
  }

  /** Try again after a failed load: load again, and take the keyboard to whatever comes. */
  #retryLoad = (): void => {
    this.#focusAfterLoad = true;
    this.reload();
  };

  /** Focuses the new content: the step's heading or first control, else the error's button (Try again, Start again). */
  async #focusLoaded(): Promise<void> {
    if (!this.#focusAfterLoad) return;
    // The task tells us before it asks for its update: ask now, so the wait covers that render.
    this.requestUpdate();
    await this.updateComplete;
    // The step's element, else the error's button; a decision's heading takes focus by itself (updated()).
    const target = this.renderRoot.querySelector<HTMLElement & { updateComplete?: Promise<unknown> }>('[part="action"], [part="error"] button');
    // The step's file is still on its way: its task calls again once it is here.
    if (!target && this.#actionElement.status === TaskStatus.PENDING) return;
    this.#focusAfterLoad = false;
    await target?.updateComplete;
    target?.focus();
  }

  /** Start again, after the session ended: the page starts a new verification. */
  #restart = (): void => {
    const event = new VerifyRestartEvent({ reason: this.ended ?? 'session_missing' });
    // Nobody took it: reloading is the one way forward a page without a handler still has.
    if (this.dispatchEvent(event)) location.reload();
  };

  get #client(): RelayClient | undefined {
    return this.#clientOf();
  }

  /**
   * A step reported a view. Ours share the session, which holds it already (nothing happens); a
   * step element that does not (a page's own) is heard through its public event.
   */
  readonly #handleStep = (event: VerifyStepEvent): void => {
    this.#session.offer(event.detail.view, false);
  };

  // Leaf elements announce completion themselves when used alone; inside the flow, the flow speaks.
  readonly #swallowInnerComplete = (event: VerifyCompleteEvent): void => {
    event.stopPropagation();
  };

  readonly #forwardInnerError = (event: VerifyErrorEvent): void => {
    event.stopPropagation();
    const { code } = event.detail;
    if (endsSession(code) && !this.ended) {
      // The step that said so is replaced by Start again: the keyboard goes there.
      this.ended = code;
      this.#focusAfterLoad = true;
      void this.#focusLoaded();
    }
    this.dispatchEvent(new VerifyErrorEvent(event.detail));
  };

  /** A view the session kept (it drops older ones): show it. */
  #show(view: SessionView): void {
    const previous = this.view;
    const now = Date.now();
    // The relay heard the link before this page saw it opened: the decision, or the next step, says
    // it was, before either is reported. (Inside the flow the flow says so; `<oth-waiting>` alone, itself.)
    if (
      previous?.state === 'challenge' &&
      previous.action.method === 'OTH' &&
      (view.state === 'decided' || view.step.index !== previous.step.index) &&
      awaitingLink(previous.action, previous.action.expiresInSeconds !== null && now - this.#viewAt >= previous.action.expiresInSeconds * 1000)
    ) {
      this.#funnel.emit('link_opened');
    }
    this.#viewAt = now;
    this.view = view;
    // One stream for the journey while its step follows the session live (kept from OTH to DOCV).
    this.#session.watch(this, view.state === 'challenge' && isRendered(view.action) && actionElements[view.action.method].live === true);
    if (view.state === 'decided') {
      this.decision = view.decision;
      this.#live.announce(this.#localize.msg.flowDecisionTitle[view.decision]);
      if (!this.#completed) {
        this.#completed = true;
        this.#funnel.emit('decided', view.decision);
        this.dispatchEvent(new VerifyCompleteEvent({ decision: view.decision }));
      }
      return;
    }
    if (isRendered(view.action)) this.#funnel.show(view.action.method, view.step.index);
    // A step hears only the views after it was drawn: the flow, which hears them all, tells when a lock begins.
    this.#funnel.locked(view.action);
    if (view.action.method === 'UNSUPPORTED') {
      const message = this.#localize.msg.flowUnsupported(view.action.name);
      this.dispatchEvent(new VerifyErrorEvent({ code: 'unsupported_action', message }));
    } else if (previous?.state !== 'challenge' || previous.step.index !== view.step.index || previous.action.method !== view.action.method) {
      if (view.step.total > 1) void this.#announceStep();
      // The step that had the keyboard is gone: take it to the new step's heading or first control
      // (only from inside the flow: a webhook must not pull focus away from the rest of the page).
      if (previous?.state === 'challenge' && this.matches(':focus-within')) {
        this.#focusAfterLoad = true;
        void this.#focusLoaded();
      }
    }
  }

  /**
   * Says "Step 1 of 2", from the first step on. Once the region is on the page and the language
   * loaded: a live region that arrives with its text is not read (the first view can come before
   * the first render).
   */
  async #announceStep(): Promise<void> {
    await this.#localize.ready;
    await this.updateComplete;
    const view = this.view;
    if (view?.state === 'challenge' && !this.ended) this.#live.announce(this.#localize.msg.flowStep(view.step.index, view.step.total));
  }

  #reportIfFatal(error: unknown): void {
    const { code } = relayFailure(error);
    this.#funnel.failure(code);
    if (endsSession(code)) {
      this.ended = code;
      this.dispatchEvent(new VerifyErrorEvent({ code, message: this.#localize.msg.errorMessage(code) }));
    }
  }

  override render(): TemplateResult {
    return html`
      <div part="base">
        ${this.appearance === 'card'
          ? html`<header part="header" class="header">
              <slot name="logo"></slot><slot name="heading"></slot><slot name="subtitle"></slot>
            </header>`
          : nothing}
        ${this.ended ? this.#renderError(this.ended) : this.view ? this.#renderView(this.view) : this.#renderLoad()}
        <p part="status" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.#live.status}</p>
      </div>
    `;
  }

  /** A skeleton of a step (a line, a field, a button), so the page does not jump when it arrives. */
  #renderLoading(): TemplateResult {
    const msg = this.#localize.msg;
    return html`<div part="loading" class="loading">
      <p role="status" class="loading-text">${msg.flowLoading}</p>
      <div part="skeleton" class="skeleton"></div>
    </div>`;
  }

  #renderLoad(): TemplateResult | typeof nothing {
    const loading = () => this.#renderLoading();
    return this.#load.render({
      // A configured flow starts loading at its first update. On a server it never starts, so it
      // renders the same loading line the browser's first render shows, and hydration matches.
      initial: () => (this.#client ? loading() : this.#renderError('invalid_response')),
      pending: loading,
      complete: () => nothing,
      error: (error) => this.#renderError(relayFailure(error).code),
    }) as TemplateResult | typeof nothing;
  }

  /** What went wrong, with the way forward: Try again, or Start again once the session is gone. */
  #renderError(code: string, retry: () => void = this.#retryLoad, message = this.#localize.msg.errorMessage(code)): TemplateResult {
    const msg = this.#localize.msg;
    const ended = endsSession(code);
    const busy = this.#load.status === TaskStatus.PENDING || this.#actionElement.status === TaskStatus.PENDING;
    return html`
      <div part="error" role="alert">
        <p class="message--error">${message}</p>
        ${ended || this.#client
          ? html`<button
              part=${ended ? 'button restart' : 'button'}
              class="button ${ended ? 'button--primary' : ''}"
              type="button"
              ?disabled=${busy && !ended}
              @click=${ended ? this.#restart : retry}
            >
              ${ended ? msg.flowStartAgain : msg.retry}
            </button>`
          : nothing}
      </div>
    `;
  }

  #renderView(view: SessionView): TemplateResult {
    return view.state === 'decided' ? this.#renderDecision(view) : this.#renderChallenge(view);
  }

  #renderChallenge(view: ChallengeView): TemplateResult {
    const msg = this.#localize.msg;
    const step = view.step.total > 1 ? html`<p part="step">${msg.flowStep(view.step.index, view.step.total)}</p>` : nothing;
    const { action } = view;
    if (action.method === 'UNSUPPORTED') {
      return html`${step}<div part="error" role="alert"><p class="message--error">${msg.flowUnsupported(action.name)}</p></div>`;
    }
    // Kount has the step in a status it added later: nothing to do here yet but look again.
    if (action.method === 'UNAVAILABLE') return html`${step}${this.#renderError(action.method, this.#retryLoad, msg.flowUnavailable)}`;
    // Once defined (a later step, a second flow), render at once rather than after a task tick.
    if (!customElements.get(actionElements[action.method].tag)) {
      const pending = html`${step}${this.#renderLoading()}`;
      return this.#actionElement.render({
        initial: () => pending,
        pending: () => pending,
        complete: () => html`${step}${this.#renderAction(action)}`,
        // The element's file could not be fetched (offline, a blocked CDN path): try it again.
        error: (error) =>
          html`${step}${this.#renderError(relayFailure(error).code, () => {
            this.#focusAfterLoad = true;
            void this.#actionElement.run();
          })}`,
      }) as TemplateResult;
    }
    return html`${step}${this.#renderAction(action)}`;
  }

  #renderAction(action: RenderedAction): TemplateResult {
    const tag = actionTags[action.method];
    return staticHtml`<${tag} part="action" .action=${action} .client=${this.#client} .messages=${this.messages} content-lang=${this.contentLang}></${tag}>`;
  }

  #renderDecision(view: DecidedView): TemplateResult {
    const msg = this.#localize.msg;
    return html`
      <div part="decision">
        <svg part="decision-icon icon" class="icon decision-icon" viewBox="0 0 24 24" aria-hidden="true"><path d=${decisionIcons[view.decision]}></path></svg>
        <h2 tabindex="-1">${msg.flowDecisionTitle[view.decision]}</h2>
        <p>${msg.flowDecisionBody[view.decision]}</p>
      </div>
    `;
  }
}
