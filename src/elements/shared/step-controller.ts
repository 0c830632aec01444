/**
 * The life of one verification step, which every leaf element (`<otp-entry>`, `<kba-quiz>`,
 * `<oth-waiting>`, `<docv-status>`) shares. The session itself (the newest view, the re-read after
 * a refusal, the live stream) belongs to a `SessionController`: the one `<verification-flow>`
 * provides (`sessionContext`), or the step's own when the element stands alone, for its `client`
 * property or its `relay`/`session` attributes. What stays here is the step's own state:
 *
 * - `run(busy, (client, signal) => …)`: one relay call at a time, on a `@lit/task` Task. A new run
 *   aborts the one in flight, and a run that was aborted or replaced resolves `undefined`, so a
 *   stale answer never lands. `busy` says what is in flight until the current run settles. A
 *   refusal that changed the view (`refusalChangesView`) comes with `reread`: the session reads
 *   the view again once, and `reread` settles when that read has.
 * - `apply(view)`: offers a view the relay returned to the session. Each view the session keeps
 *   (from here, the stream or the flow) is reported (`verify-step`), then shows its action, ends
 *   the step on a decision (`verify-complete`) or when the strategy moved to another method.
 * - `live(on)`: the step follows the session live (one stream per session, shared with the flow).
 * - The standalone load: a host with no action reads the view itself once per client, as it
 *   updates; a failed load the host does not handle sets `loadFailed`, and `retryLoad()` tries again.
 * - `endSession(code, message)`: a failure nothing on this page can mend ends the step with `verify-error`.
 *
 * What a failure means, and how it is shown, stays with each element.
 */
import { ContextConsumer } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import { html, type ReactiveController, type ReactiveControllerHost, type ReactiveElement, type TemplateResult } from 'lit';
import type { ActionView, FinalDecision, SessionView } from '../../contract/browser.js';
import type { RelayClient } from '../../client/relay-client.js';
import type { LiveConnection } from '../../client/live-updates.js';
import type { LiveViewController } from './live-view-controller.js';
import { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent, type VerifyAnalyticsDetail } from './events.js';
import { Funnel } from './funnel.js';
import { endsSession, relayFailure, type RelayError, type RelayFailure } from '../../client/relay-error.js';
import { relayClientOf, SessionController, sessionContext, type RelayClientSource } from './session-controller.js';

type StepMethod = NonNullable<VerifyAnalyticsDetail['method']>;

/**
 * The catalogue key for a failure's copy: its code, or for a per-network `send_limited` the
 * network's own copy (new details do not help there, unlike after too many sends to a destination).
 * Here rather than beside `relayFailure`: only the step elements meet it, and the entry has no bytes to spare.
 */
export function messageCodeOf({ code, limit }: RelayFailure): string {
  return limit === 'network' ? 'send_limited_network' : code;
}

/** What every step's client can do: read the session's view. */
export interface ViewReader {
  view(signal?: AbortSignal): Promise<SessionView>;
}

/** What the controller reads from its host: the element's own properties of the same names. */
export interface StepHost<Client> extends ReactiveControllerHost, RelayClientSource<Client>, EventTarget {
  readonly isConnected: boolean;
}

export interface StepOptions<Action extends ActionView> {
  /** The method the element renders; a view with another one ends the step. */
  readonly method: Action['method'];
  /**
   * Whether the host has an action on screen; without one it reads the view itself. Left out by a
   * host whose views come another way (live updates).
   */
  hasAction?(): boolean;
  /** Shows the step's action from a view the relay returned. */
  show(action: Action): void;
  /** The step ended (decided, moved on, session gone): stop timers, listeners and live updates. */
  onFinish?(): void;
  /** The session left this step for a decision or another action; called before either is reported. */
  onLeave?(): void;
  /** The view is decided; called before `verify-complete` is dispatched. */
  onDecided?(decision: FinalDecision): void;
  /**
   * A standalone load failed: whether the host handled it (e.g. the session is gone). Unhandled,
   * the step shows `loadFailed` and offers Try again.
   */
  onLoadFailure?(failure: RelayFailure): boolean;
  /** A load succeeded, before its view is applied (e.g. to clear the error it replaces). */
  onLoaded?(): void;
  /**
   * For a step that follows the session live (`live(true)`): the watch, which the step's file
   * brings along (it stays out of the CDN entry, which every page pays).
   */
  live?: typeof LiveViewController;
  /** While live: the connection changed. */
  onConnection?(state: LiveConnection): void;
  /** While live: the watch stopped on a refused read, or skipped an unreadable update. */
  onWatchError?(error: RelayError): void;
}

/**
 * How a run ended: its value, or the failure the relay or the network gave. After a refusal that
 * changed the view, `reread` settles once the session read it again: `null` when the view arrived
 * (and was shown), else the read's failure (one that ends the session is already handled).
 */
export type StepOutcome<T> =
  | { readonly value: T; readonly failure?: undefined; readonly reread?: undefined }
  | { readonly value?: undefined; readonly failure: RelayFailure; readonly reread?: Promise<RelayFailure | null> };

type Perform<Client> = (client: Client, signal: AbortSignal) => Promise<unknown>;

export class StepController<Client extends ViewReader, Action extends ActionView, Busy extends string = never>
  implements ReactiveController
{
  readonly #host: StepHost<Client>;
  readonly #options: StepOptions<Action>;
  /** The flow's session, when the element is inside one. */
  #provided: SessionController | undefined;
  /** The element's own session, made the first time it needs one outside a flow. */
  #own: SessionController | undefined;
  #unsubscribe: (() => void) | undefined;
  #wantsLive = false;
  readonly #task: Task<[Perform<Client>, Client], unknown>;
  /** The run whose result is awaited; any other run that settles was replaced. */
  #current: Perform<Client> | undefined;
  #busy: Busy | 'loading' | null = null;
  #finished = false;
  #loadFailed = false;
  #errorCode: string | null = null;
  #decision: FinalDecision | undefined;
  #loadedFor: Client | RelayClient | undefined;
  /** The step's funnel events (`verify-analytics`); the elements report what only they see. */
  readonly funnel: Funnel;

  constructor(host: StepHost<Client>, options: StepOptions<Action>) {
    this.#host = host;
    this.#options = options;
    // Answered at once when a flow above provides its session (the request is sent on connect).
    new ContextConsumer(host as unknown as ReactiveElement, {
      context: sessionContext,
      callback: (session) => {
        if (session === this.#provided) return;
        this.#unsubscribe?.();
        this.#unsubscribe = undefined;
        this.#provided = session;
      },
    });
    this.funnel = new Funnel(host);
    this.#task = new Task(host, {
      autoRun: false,
      task: ([perform, client], { signal }) => perform(client, signal),
    });
    host.addController(this);
  }

  /** The session this step belongs to: the flow's, else the element's own. */
  get session(): SessionController {
    return this.#provided ?? (this.#own ??= new SessionController(this.#host, relayClientOf(this.#host)));
  }

  /** Inside `<verification-flow>`, which reports what the session's views say about the journey. */
  get inFlow(): boolean {
    return this.#provided !== undefined;
  }

  /** The client to talk to the relay with, or `undefined` when the host has neither. */
  get client(): Client | undefined {
    // A RelayClient built from `relay`/`session` has every call a step's client type asks for.
    return this.session.client as Client | RelayClient | undefined as Client | undefined;
  }

  /** How the live views are arriving right now (`stopped` when the step does not follow them). */
  get connection(): LiveConnection {
    return this.#wantsLive ? this.session.connection : 'stopped';
  }

  /** What is in flight (`loading` for a read of the view), or null. */
  get busy(): Busy | 'loading' | null {
    return this.#busy;
  }

  /** The step is over: decided, moved to another action, or the session cannot go on. */
  get finished(): boolean {
    return this.#finished;
  }

  /** The standalone load failed and was not handled: nothing to show until `retryLoad()`. */
  get loadFailed(): boolean {
    return this.#loadFailed;
  }

  /** The last error code shown (`wrong_code`, `network_error`, ...), or null. */
  get errorCode(): string | null {
    return this.#errorCode;
  }
  set errorCode(code: string | null) {
    if (this.#errorCode !== code) this.#update(() => (this.#errorCode = code));
  }

  /** The decision of the decided view that ended the step, if one did. */
  get decision(): FinalDecision | undefined {
    return this.#decision;
  }

  /**
   * Runs one relay call, aborting the one in flight. Resolves `undefined` when there is no client,
   * or when the run was aborted or replaced; otherwise its value or its failure.
   */
  async run<T>(busy: Busy | 'loading' | null, perform: (client: Client, signal: AbortSignal) => Promise<T>): Promise<StepOutcome<T> | undefined> {
    const client = this.client;
    if (!client) return undefined;
    this.#current = perform;
    this.#setBusy(busy);
    await this.#task.run([perform, client]);
    if (this.#current !== perform) return undefined;
    this.#current = undefined;
    this.#setBusy(null);
    if (this.#task.status === TaskStatus.COMPLETE) return { value: this.#task.value as T };
    const failure = relayFailure(this.#task.error);
    if (failure.code === 'aborted') return undefined;
    const reread = this.session.refused(failure)?.then((readFailure) => {
      // The session is gone: the host says so as for a failed load.
      if (readFailure && endsSession(readFailure.code) && !this.#finished) this.#options.onLoadFailure?.(readFailure);
      return readFailure;
    });
    return reread ? { failure, reread } : { failure };
  }

  /** Aborts the run in flight, if any; its result is dropped. */
  abort(): void {
    if (!this.#current) return;
    this.#current = undefined;
    this.#task.abort();
    this.#setBusy(null);
  }

  /**
   * Offers `view` to the session, which reports it to this step (and the flow) when it is the
   * newest. Returns false, and does nothing, for a view older than the one held or after the step ended.
   */
  apply(view: SessionView): boolean {
    if (this.#finished) return false;
    const kept = this.session.offer(view);
    // A host off the page hears nothing from the session: it moves to the view here.
    if (kept && !this.#unsubscribe) this.#onView(view);
    return kept;
  }

  /** Follows the session live (`on`), or stops; until the step ends or the host leaves the page. */
  live(on: boolean): void {
    this.#wantsLive = on;
    this.#syncLive();
  }

  /** Reads the view now (through the live watch when one is open). */
  refresh(): void {
    this.session.refresh();
  }

  /** A view the session kept: report it and move to it. */
  #onView(view: SessionView): void {
    if (this.#finished) return;
    this.#host.dispatchEvent(new VerifyStepEvent({ view }));
    if (view.state === 'decided') {
      this.#decision = view.decision;
      this.#options.onLeave?.();
      this.finish();
      this.funnel.emit('decided', view.decision);
      this.#options.onDecided?.(view.decision);
      this.#host.dispatchEvent(new VerifyCompleteEvent({ decision: view.decision }));
    } else if (view.action.method === this.#options.method) {
      this.funnel.show(this.#options.method as StepMethod, view.step.index);
      this.funnel.locked(view.action);
      this.#options.show(view.action as Action);
    } else {
      // The strategy moved on to an action this element does not render; the flow takes over.
      this.#options.onLeave?.();
      this.finish();
    }
  }

  #syncLive(): void {
    this.session.watch(this.#host, this.#wantsLive && !this.#finished && this.#host.isConnected, this.#options.live);
  }

  /** Ends the step: nothing more is sent or shown for it. */
  finish(): void {
    if (this.#finished) return;
    this.#update(() => (this.#finished = true));
    this.#syncLive();
    this.#options.onFinish?.();
  }

  /**
   * When `code` means the session cannot go on, ends the step and tells the page (`verify-error`).
   * Returns whether it did.
   */
  endSession(code: string, message: string): boolean {
    if (!endsSession(code)) return false;
    this.finish();
    this.#host.dispatchEvent(new VerifyErrorEvent({ code, message }));
    return true;
  }

  /**
   * Reads the view and applies it, as a standalone host does when it has nothing to show. A
   * failure the host does not handle sets `loadFailed`.
   */
  async load(): Promise<'applied' | 'failed' | 'aborted'> {
    if (!this.client) return 'failed';
    if (this.#loadFailed) this.#update(() => (this.#loadFailed = false));
    const outcome = await this.run('loading', (client, signal) => client.view(signal));
    if (!outcome) return 'aborted';
    if (outcome.failure) {
      this.readFailed(outcome.failure);
      return 'failed';
    }
    this.#options.onLoaded?.();
    return this.apply(outcome.value) ? 'applied' : 'aborted';
  }

  /** A read of the view failed (the load, or the session's re-read): the host handles it, or the step offers Try again. */
  readFailed(failure: RelayFailure): void {
    if (!this.#options.onLoadFailure?.(failure)) this.#update(() => (this.#loadFailed = true));
  }

  /** Try again after a failed load: the next update reads the view again. */
  retryLoad(): void {
    this.#loadedFor = undefined;
    this.#errorCode = null;
    this.#loadFailed = false;
    this.#host.requestUpdate();
  }

  // Before the host renders rather than after, so that starting the load is part of this update
  // (the loading state included) instead of scheduling another.
  hostUpdate(): void {
    const client = this.client;
    const hasAction = this.#options.hasAction;
    if (!hasAction || hasAction() || !client || !this.#host.isConnected || this.#loadedFor === client) return;
    this.#loadedFor = client;
    void this.load();
  }

  hostConnected(): void {
    addEventListener('pagehide', this.#onPageHide);
    this.#unsubscribe ??= this.session.subscribe({
      onView: (view) => this.#onView(view),
      onConnection: (state) => {
        if (this.#wantsLive && !this.#finished) this.#host.requestUpdate();
        if (this.#wantsLive) this.#options.onConnection?.(state);
      },
      onWatchError: (error) => {
        if (this.#wantsLive && !this.#finished) this.#options.onWatchError?.(error);
      },
    });
    this.#syncLive();
  }

  hostDisconnected(): void {
    removeEventListener('pagehide', this.#onPageHide);
    // Nothing may act for an element that left the page; it loads again if it comes back.
    this.abort();
    this.#loadedFor = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#syncLive();
  }

  /** The shopper left the page with the step still open. */
  readonly #onPageHide = (): void => {
    if (!this.#finished && this.funnel.shown) this.funnel.emit('abandoned');
  };

  #setBusy(busy: Busy | 'loading' | null): void {
    if (this.#busy !== busy) this.#update(() => (this.#busy = busy));
  }

  #update(change: () => unknown): void {
    change();
    this.#host.requestUpdate();
  }
}

/**
 * Where focus lands when a page, or `<verification-flow>`, calls a step element's `focus()`: the
 * first match of `selector` in its shadow root (its heading or first control). False when nothing
 * matched, so the host falls back to the default. Here rather than in a file of its own, which
 * would be one more chunk for every step to fetch.
 */
export function focusStart(root: ParentNode, selector: string, options?: FocusOptions): boolean {
  const start = root.querySelector<HTMLElement>(selector);
  start?.focus(options);
  return start !== null;
}

/**
 * One of the icons (a path from icons.ts) as the steps draw it, decorative beside text that says
 * the same. Here for the reason `focusStart` is; `<verification-flow>` draws its decision's icon
 * itself, as the entry cannot share a module that renders with the steps' chunk.
 */
export function icon(path: string): TemplateResult {
  return html`<svg part="icon" class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d=${path}></path></svg>`;
}
