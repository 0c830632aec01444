/**
 * The life of one verification step, which every leaf element (`<otp-entry>`, `<kba-quiz>`,
 * `<oth-waiting>`, `<docv-status>`) shares:
 *
 * - `client`: the host's `client` property when set (`<verification-flow>` passes its own), else a
 *   `RelayClient` for its `relay`/`session` attributes (`relayClientOf`).
 * - `run(busy, (client, signal) => …)`: one relay call at a time, on a `@lit/task` Task. A new run
 *   aborts the one in flight, and a run that was aborted or replaced resolves `undefined`, so a
 *   stale answer never lands. `busy` says what is in flight until the current run settles.
 * - `apply(view)`: reports a view the relay returned (`verify-step`), then shows its action, ends
 *   the step on a decision (`verify-complete`) or when the strategy moved to another method. A view
 *   older than the one shown, or one arriving after the step ended, is ignored.
 * - The standalone load: a host with no action reads the view itself once per client, as it
 *   updates; a failed load the host does not handle sets `loadFailed`, and `retryLoad()` tries again.
 * - `endSession(code, message)`: a failure nothing on this page can mend ends the step with `verify-error`.
 *
 * What a failure means, and how it is shown, stays with each element.
 */
import { Task, TaskStatus } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ActionView, FinalDecision, SessionView } from '../../contract/browser.js';
import type { RelayClient } from '../../client/relay-client.js';
import { VerifyCompleteEvent, VerifyErrorEvent, VerifyStepEvent, type VerifyAnalyticsDetail } from './events.js';
import { Funnel } from './funnel.js';
import { relayClientOf, type RelayClientSource } from './relay-client-of.js';
import { endsSession, relayFailure, type RelayFailure } from './relay-failure.js';

type StepMethod = NonNullable<VerifyAnalyticsDetail['method']>;

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
  /** The view is decided; called before `verify-complete` is dispatched. */
  onDecided?(decision: FinalDecision): void;
  /**
   * A standalone load failed: whether the host handled it (e.g. the session is gone). Unhandled,
   * the step shows `loadFailed` and offers Try again.
   */
  onLoadFailure?(failure: RelayFailure): boolean;
  /** A load succeeded, before its view is applied (e.g. to clear the error it replaces). */
  onLoaded?(): void;
}

/** How a run ended: its value, or the failure the relay or the network gave. */
export type StepOutcome<T> = { readonly value: T; readonly failure?: undefined } | { readonly value?: undefined; readonly failure: RelayFailure };

type Perform<Client> = (client: Client, signal: AbortSignal) => Promise<unknown>;

export class StepController<Client extends ViewReader, Action extends ActionView, Busy extends string = never>
  implements ReactiveController
{
  readonly #host: StepHost<Client>;
  readonly #options: StepOptions<Action>;
  readonly #clientOf: () => Client | RelayClient | undefined;
  readonly #task: Task<[Perform<Client>, Client], unknown>;
  /** The run whose result is awaited; any other run that settles was replaced. */
  #current: Perform<Client> | undefined;
  #busy: Busy | 'loading' | null = null;
  #finished = false;
  #loadFailed = false;
  #errorCode: string | null = null;
  #decision: FinalDecision | undefined;
  #revision = -Infinity;
  #loadedFor: Client | RelayClient | undefined;
  /** The step's funnel events (`verify-analytics`); the elements report what only they see. */
  readonly funnel: Funnel;

  constructor(host: StepHost<Client>, options: StepOptions<Action>) {
    this.#host = host;
    this.#options = options;
    this.#clientOf = relayClientOf(host);
    this.funnel = new Funnel(host);
    this.#task = new Task(host, {
      autoRun: false,
      task: ([perform, client], { signal }) => perform(client, signal),
    });
    host.addController(this);
  }

  /** The client to talk to the relay with, or `undefined` when the host has neither. */
  get client(): Client | undefined {
    // A RelayClient built from `relay`/`session` has every call a step's client type asks for.
    return this.#clientOf() as Client | undefined;
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
    return failure.code === 'aborted' ? undefined : { failure };
  }

  /** Aborts the run in flight, if any; its result is dropped. */
  abort(): void {
    if (!this.#current) return;
    this.#current = undefined;
    this.#task.abort();
    this.#setBusy(null);
  }

  /**
   * Reports `view` and moves to it. Returns false, and does nothing, for a view older than the one
   * shown or after the step ended.
   */
  apply(view: SessionView): boolean {
    if (this.#finished || view.revision < this.#revision) return false;
    this.#revision = view.revision;
    this.#host.dispatchEvent(new VerifyStepEvent({ view }));
    if (view.state === 'decided') {
      this.#decision = view.decision;
      this.finish();
      this.funnel.emit('decided', view.decision);
      this.#options.onDecided?.(view.decision);
      this.#host.dispatchEvent(new VerifyCompleteEvent({ decision: view.decision }));
    } else if (view.action.method === this.#options.method) {
      this.funnel.show(this.#options.method as StepMethod, view.step.index);
      this.#options.show(view.action as Action);
    } else {
      // The strategy moved on to an action this element does not render; the flow takes over.
      this.finish();
    }
    return true;
  }

  /** Ends the step: nothing more is sent or shown for it. */
  finish(): void {
    if (this.#finished) return;
    this.#update(() => (this.#finished = true));
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
      if (!this.#options.onLoadFailure?.(outcome.failure)) this.#update(() => (this.#loadFailed = true));
      return 'failed';
    }
    this.#options.onLoaded?.();
    return this.apply(outcome.value) ? 'applied' : 'aborted';
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
  }

  hostDisconnected(): void {
    removeEventListener('pagehide', this.#onPageHide);
    // Nothing may act for an element that left the page; it loads again if it comes back.
    this.abort();
    this.#loadedFor = undefined;
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
