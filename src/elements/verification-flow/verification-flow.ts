import { Task, TaskStatus } from '@lit/task';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { html as staticHtml, unsafeStatic, type StaticValue } from 'lit/static-html.js';
import type { ActionView, ChallengeView, DecidedView, SessionView } from '../../contract/browser.js';
import type { RelayClient } from '../../client/relay-client.js';
import { RelayError } from '../../client/relay-error.js';
import { defineElement } from '../shared/define.js';
import { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent } from '../shared/events.js';
import { LiveRegionController } from '../shared/live-region.js';
import { LocalizeController, localized, type MessageOverrides } from '../shared/localize.js';
import { relayClientOf } from '../shared/relay-client-of.js';
import { endsSession, relayFailure } from '../shared/relay-failure.js';
import { baseStyles } from '../shared/styles.js';
import { actionElements, loadElement, type RenderedMethod } from './action-elements.js';
import { verificationFlowStyles } from './verification-flow.styles.js';

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
 *
 * @csspart base - The wrapper around everything.
 * @csspart step - "Step 1 of 2", shown when the strategy has several actions.
 * @csspart action - The element rendering the open action (e.g. `<otp-entry>`).
 * @csspart loading - The loading message.
 * @csspart error - The error block (message and retry button).
 * @csspart button - The retry button.
 * @csspart decision - The final decision block.
 * @csspart status - The screen-reader status region.
 *
 * @cssproperty --verification-flow-gap - Space between the parts. Defaults to `--verify-space-m`.
 * @cssproperty --verification-flow-padding - Padding of the base part. Defaults to 0.
 * @cssproperty --verification-flow-background - Background of the base part. Defaults to transparent.
 * @cssproperty --verification-flow-radius - Corner radius of the base part. Defaults to `--verify-radius`.
 * @cssproperty --verification-flow-heading-size - Size of the decision heading. Defaults to 1.25em.
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

  /** The view being shown: from the first load, then from each step the action elements report. */
  @state() private view: SessionView | null = null;
  #completedRevision = -1;
  // The leaves' StepController minus the step's life: the #load task aborts its own requests.
  readonly #clientOf = relayClientOf(this);

  /** Where the relay's browser API is mounted: a path on this origin (`/verify`) or a URL on another. */
  @property() relay = '';

  /** The session handle, only for a relay on another origin (a same-origin relay uses its cookie). */
  @property() session = '';

  /** A ready-made client, instead of `relay`/`session` (e.g. with a custom `fetch`). */
  @property({ attribute: false }) client?: RelayClient;

  /** Overrides for the built-in strings of the current language. */
  @property({ attribute: false }) messages?: MessageOverrides;

  /** The final decision, reflected so a page can style the finished state. */
  @property({ reflect: true }) decision: DecidedView['decision'] | null = null;

  readonly #load = new Task(this, {
    task: async ([client], { signal }) => {
      if (!client) throw new RelayError('invalid_response', 'No relay is configured.');
      return client.view(signal);
    },
    args: () => [this.#client] as const,
    onComplete: (view) => this.#show(view),
    onError: (error) => this.#reportIfFatal(error),
  });

  /** The element for the open action, loaded the first time a strategy needs it. */
  readonly #actionElement = new Task(this, {
    task: async ([tag]) => (tag ? loadElement(tag) : undefined),
    args: () => [this.#openActionTag] as const,
  });

  get #openActionTag(): string | undefined {
    const view = this.view;
    if (view?.state !== 'challenge' || view.action.method === 'UNSUPPORTED') return undefined;
    return actionElements[view.action.method].tag;
  }

  // The step elements' events are caught on the shadow root, before they reach the host: a page
  // listener on the host (added before the flow was connected, so before any of the flow's own)
  // would otherwise hear a step's verify-complete as well as the flow's. Only events from inside
  // pass the shadow root; the flow's own, dispatched on the host, do not.
  override connectedCallback(): void {
    super.connectedCallback();
    this.renderRoot.addEventListener(VerifyStepEvent.eventName, this.#handleStep as EventListener);
    this.renderRoot.addEventListener(VerifyCompleteEvent.eventName, this.#swallowInnerComplete as EventListener);
    this.renderRoot.addEventListener(VerifyErrorEvent.eventName, this.#forwardInnerError as EventListener);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.renderRoot.removeEventListener(VerifyStepEvent.eventName, this.#handleStep as EventListener);
    this.renderRoot.removeEventListener(VerifyCompleteEvent.eventName, this.#swallowInnerComplete as EventListener);
    this.renderRoot.removeEventListener(VerifyErrorEvent.eventName, this.#forwardInnerError as EventListener);
  }


  protected override updated(changed: PropertyValues): void {
    if (changed.has('view') && this.view?.state === 'decided') this.decisionHeading?.focus();
  }

  /** Loads the view again from the relay (e.g. after the shopper fixed their connection). */
  reload(): void {
    void this.#load.run();
  }

  get #client(): RelayClient | undefined {
    return this.#clientOf();
  }

  readonly #handleStep = (event: VerifyStepEvent): void => {
    this.#show(event.detail.view);
  };

  // Leaf elements announce completion themselves when used alone; inside the flow, the flow speaks.
  readonly #swallowInnerComplete = (event: VerifyCompleteEvent): void => {
    event.stopPropagation();
  };

  readonly #forwardInnerError = (event: VerifyErrorEvent): void => {
    event.stopPropagation();
    this.dispatchEvent(new VerifyErrorEvent(event.detail));
  };

  #show(view: SessionView): void {
    // Views carry a revision; an answer that arrives after a newer one must not undo it.
    if (this.view && view.revision < this.view.revision) return;
    const previous = this.view;
    this.view = view;
    if (view.state === 'decided') {
      this.decision = view.decision;
      this.#live.announce(this.#localize.msg.flowDecisionTitle[view.decision]);
      if (this.#completedRevision < 0) {
        this.#completedRevision = view.revision;
        this.dispatchEvent(new VerifyCompleteEvent({ decision: view.decision }));
      }
      return;
    }
    if (view.action.method === 'UNSUPPORTED') {
      const message = this.#localize.msg.flowUnsupported(view.action.name);
      this.dispatchEvent(new VerifyErrorEvent({ code: 'unsupported_action', message }));
    } else if (view.step.total > 1 && previous?.state === 'challenge' && previous.step.index !== view.step.index) {
      this.#live.announce(this.#localize.msg.flowStep(view.step.index, view.step.total));
    }
  }

  #reportIfFatal(error: unknown): void {
    const { code } = relayFailure(error);
    if (endsSession(code)) {
      this.dispatchEvent(new VerifyErrorEvent({ code, message: this.#localize.msg.errorMessage(code) }));
    }
  }

  override render(): TemplateResult {
    return html`
      <div part="base">
        ${this.view ? this.#renderView(this.view) : this.#renderLoad()}
        <p part="status" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.#live.status}</p>
      </div>
    `;
  }

  #renderLoad(): TemplateResult | typeof nothing {
    const msg = this.#localize.msg;
    const loading = () => html`<p part="loading" aria-busy="true">${msg.flowLoading}</p>`;
    return this.#load.render({
      // A configured flow starts loading at its first update. On a server it never starts, so it
      // renders the same loading line the browser's first render shows, and hydration matches.
      initial: () => (this.#client ? loading() : this.#renderError('invalid_response')),
      pending: loading,
      complete: () => nothing,
      error: (error) => this.#renderError(relayFailure(error).code),
    }) as TemplateResult | typeof nothing;
  }

  #renderError(code: string, retry: () => void = this.reload): TemplateResult {
    const msg = this.#localize.msg;
    const canRetry = !endsSession(code) && this.#client !== undefined;
    const busy = this.#load.status === TaskStatus.PENDING || this.#actionElement.status === TaskStatus.PENDING;
    return html`
      <div part="error" role="alert">
        <p class="message--error">${msg.errorMessage(code)}</p>
        ${canRetry
          ? html`<button part="button" class="button" type="button" ?disabled=${busy} @click=${retry}>${msg.retry}</button>`
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
    // Once defined (a later step, a second flow), render at once rather than after a task tick.
    if (!customElements.get(actionElements[action.method].tag)) {
      const pending = html`${step}<p part="loading" aria-busy="true">${msg.flowLoading}</p>`;
      return this.#actionElement.render({
        initial: () => pending,
        pending: () => pending,
        complete: () => html`${step}${this.#renderAction(action)}`,
        // The element's file could not be fetched (offline, a blocked CDN path): try it again.
        error: (error) => html`${step}${this.#renderError(relayFailure(error).code, () => void this.#actionElement.run())}`,
      }) as TemplateResult;
    }
    return html`${step}${this.#renderAction(action)}`;
  }

  #renderAction(action: Exclude<ActionView, { method: 'UNSUPPORTED' }>): TemplateResult {
    const tag = actionTags[action.method];
    return staticHtml`<${tag} part="action" .action=${action} .client=${this.#client} .messages=${this.messages}></${tag}>`;
  }

  #renderDecision(view: DecidedView): TemplateResult {
    const msg = this.#localize.msg;
    return html`
      <div part="decision">
        <h2 tabindex="-1">${msg.flowDecisionTitle[view.decision]}</h2>
        <p>${msg.flowDecisionBody[view.decision]}</p>
      </div>
    `;
  }
}
