/**
 * The one owner of a verification session in the page. `<verification-flow>` makes one and
 * provides it to the step elements inside it (`sessionContext`, Lit's `@lit/context`); a step
 * element used alone makes its own, for its `client` property or its `relay`/`session` attributes.
 *
 * - `view`: the newest view the page has seen. `offer(view)` is the page's only revision check:
 *   an answer that arrives after a newer view (from the stream, another request) is dropped here,
 *   and every subscriber hears each view it keeps.
 * - `refused(failure)`: after a refusal the contract marks as changing the view
 *   (`refusalChangesView`: a wrong code spent an attempt, new questions were drawn...), reads the
 *   view again once and offers it. The elements show the real counts, never a guess.
 * - `watch(holder, on)`: one event stream per session owner, open while anything holds it, so a
 *   flow keeps the same stream from a one-time link to document verification.
 *
 * What a step does with a view (show it, finish, announce) stays with the step (StepController).
 */
import { createContext } from '@lit/context';
import { RelayClient } from '../../client/relay-client.js';
import type { ReactiveControllerHost } from 'lit';
import { refusalChangesView, type SessionView } from '../../contract/browser.js';
import type { LiveConnection, LiveUpdatesClient } from '../../client/live-updates.js';
// Type only: the stream's code comes with the steps that follow it (oth-waiting, docv-status hand
// the class over in `watch`), so a page that never watches (an OTP page) never loads it.
import type { LiveViewController } from './live-view-controller.js';
import { relayFailure, type RelayError, type RelayFailure } from '../../client/relay-error.js';

/** What the session reads with: a `RelayClient`, or anything with its `view` call (and `events` to be watched live). */
export interface SessionClient {
  view(signal?: AbortSignal): Promise<SessionView>;
  events?: LiveUpdatesClient['events'];
  readonly relay?: string;
}

/** What a subscriber hears. */
export interface SessionListener {
  /** A view newer than (or as new as) the one held before it. */
  onView(view: SessionView): void;
  /** The live connection changed (`streaming`, `polling`, `offline`...). */
  onConnection?(state: LiveConnection): void;
  /** The watch stopped on a refused read, or skipped an unreadable update. */
  onWatchError?(error: RelayError): void;
}

/*
 * Which client an element talks to the relay with: its `client` property when set (as
 * `<verification-flow>` passes its own), else a `RelayClient` for its `relay`/`session`
 * attributes, built once per pair of values. A function rather than a controller: it has no
 * lifecycle, and `<verification-flow>` (in the CDN entry) needs only this part of the
 * StepController the leaves use.
 */
/** The element properties a client is resolved from. */
export interface RelayClientSource<Client> {
  /** A ready-made client; wins over `relay`/`session`. */
  client?: Client | undefined;
  /** Where the relay's browser API is mounted; empty for none. */
  relay: string;
  /** The session handle, for a relay on another origin; empty for none. */
  session: string;
}

/** Returns a function that reads `host`'s client now: `undefined` when it has neither a client nor a relay. */
export function relayClientOf<Client>(host: RelayClientSource<Client>): () => Client | RelayClient | undefined {
  let memo: { relay: string; session: string; client: RelayClient } | undefined;
  return () => {
    const { client, relay, session } = host;
    if (client) return client;
    if (!relay) return undefined;
    if (memo?.relay !== relay || memo.session !== session) {
      memo = { relay, session, client: new RelayClient({ relay, ...(session ? { session } : {}) }) };
    }
    return memo.client;
  };
}

export const sessionContext = createContext<SessionController>('k360-verify/session');

const changesView: ReadonlySet<string> = new Set(refusalChangesView);

/** Clients without a stream, wrapped once each so the live controller sees the same object every time. */
const pollingClients = new WeakMap<SessionClient, LiveUpdatesClient>();

/** The client as the live watch reads it: a client without `events` is polled. */
function liveClient(client: SessionClient): LiveUpdatesClient {
  if (typeof client.events === 'function') return client as LiveUpdatesClient;
  let wrapped = pollingClients.get(client);
  if (!wrapped) {
    wrapped = {
      relay: client.relay ?? '',
      view: (signal) => client.view(signal),
      // No stream to open: the watch falls back to polling `view`.
      events: () => Promise.reject(new TypeError('This client has no live-update stream.')),
    };
    pollingClients.set(client, wrapped);
  }
  return wrapped;
}

export class SessionController {
  readonly #clientOf: () => SessionClient | undefined;
  readonly #listeners = new Set<SessionListener>();
  readonly #holders = new Set<object>();
  readonly #host: ReactiveControllerHost;
  #live: LiveViewController | undefined;
  #client: SessionClient | undefined;
  #view: SessionView | undefined;
  #reread: AbortController | undefined;

  /**
   * @param host The element that owns the session (the flow, or a step used alone): the live
   *   stream follows its life on the page.
   * @param clientOf Reads the client now; a different client is a different session.
   */
  constructor(host: ReactiveControllerHost, clientOf: () => SessionClient | undefined) {
    this.#host = host;
    this.#clientOf = clientOf;
  }

  /** The client of the session, or `undefined` when the owner has none. */
  get client(): SessionClient | undefined {
    const client = this.#clientOf();
    if (client !== this.#client) {
      // Another session: nothing held for the last one applies to it.
      this.#client = client;
      this.#view = undefined;
      this.#reread?.abort();
      this.#syncWatch();
    }
    return client;
  }

  /** The newest view seen, if any. */
  get view(): SessionView | undefined {
    void this.client;
    return this.#view;
  }

  /** How the live views are arriving right now. */
  get connection(): LiveConnection {
    return this.#live?.connection ?? 'stopped';
  }

  /** Hears every view the session keeps, until the returned function is called. */
  subscribe(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Keeps `view` when it is not older than the one held (with `sameRevision` false, only when
   * newer: what a stream repeats is not news) and tells every subscriber. Returns whether it did.
   */
  offer(view: SessionView, sameRevision = true): boolean {
    void this.client;
    if (!this.#isNewer(view.revision, sameRevision)) return false;
    this.#view = view;
    for (const listener of [...this.#listeners]) listener.onView(view);
    return true;
  }

  /** Reads the view and offers it; resolves whether a view arrived (stale or not). */
  async read(signal?: AbortSignal): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    this.offer(await client.view(signal));
    return true;
  }

  /**
   * After a refusal that changed the view on the relay, reads it again (once; a newer refusal
   * replaces the read in flight). Resolves `null` once the view arrived, or the read's own
   * failure; `undefined` when the refusal changes nothing to read.
   */
  refused(failure: RelayFailure): Promise<RelayFailure | null> | undefined {
    if (!changesView.has(failure.code) || !this.client) return undefined;
    this.#reread?.abort();
    const reread = new AbortController();
    this.#reread = reread;
    return this.read(reread.signal).then(
      () => null,
      (error: unknown) => relayFailure(error),
    );
  }

  /** Reads the view now: through the live watch when one is open, else once. */
  refresh(): void {
    if (this.#live && this.#holders.size > 0 && this.#live.connection !== 'stopped') this.#live.refresh();
    else void this.read().catch(() => undefined);
  }

  /**
   * `holder` wants the views live (`on`), or no longer does; the stream is open while anything
   * does. The first step that follows the session live hands over the watch's class (`Live`).
   */
  watch(holder: object, on: boolean, Live?: typeof LiveViewController): void {
    void this.client;
    if (on) this.#holders.add(holder);
    else this.#holders.delete(holder);
    if (on && Live && !this.#live) {
      this.#live = new Live(this.#host, {
        isNewer: (revision) => this.#isNewer(revision, false),
        onView: (view) => this.offer(view, false),
        onConnection: (state) => this.#listeners.forEach((listener) => listener.onConnection?.(state)),
        onError: (error) => this.#listeners.forEach((listener) => listener.onWatchError?.(error)),
      });
    }
    this.#syncWatch();
  }

  /** Opens the watch again after it stopped by itself (a refused read the shopper retries). */
  rewatch(): void {
    this.#live?.stop();
    this.#syncWatch();
  }

  #syncWatch(): void {
    const client = this.#holders.size > 0 ? this.#client : undefined;
    this.#live?.watch(client ? liveClient(client) : undefined);
  }

  /** The page's one comparison of revisions. */
  #isNewer(revision: number, sameRevision: boolean): boolean {
    const held = this.#view?.revision ?? -Infinity;
    return sameRevision ? revision >= held : revision > held;
  }
}
