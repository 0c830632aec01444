/**
 * A session's views, live, for an element: `watchSession` (stream, polling fallback) tied to the
 * host's life, the browser's connectivity and the other tabs of the same shopper. Which view is
 * new is the owner's to say (`isNewer`: the SessionController holds the newest view), so the
 * page compares revisions in one place.
 *
 * - Stops when the host leaves the page and resumes when it comes back.
 * - `offline`: pauses and reports `offline`; `online`: reads the view at once and resumes.
 * - Tells other tabs watching the same relay that it saw a revision, on a `BroadcastChannel`
 *   named `k360-verify:<relay>`; when another tab saw a newer one, re-reads the view. The message
 *   is only a hint: its content is never shown or trusted, the view always comes from the relay.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SessionView } from '../../contract/browser.js';
import { watchSession, type LiveConnection, type LiveUpdatesClient } from '../../client/live-updates.js';
import type { RelayError } from '../../client/relay-error.js';

export interface LiveViewOptions {
  /** Whether a view of this revision would be news to the owner (a stream repeats, other tabs hint). */
  isNewer(revision: number): boolean;
  /** Each view `isNewer` took. */
  onView(view: SessionView): void;
  /** The connection changed (after the host was asked to update). */
  onConnection?(state: LiveConnection): void;
  /** The relay refused a read for good (the watch has stopped), or sent an unreadable update. */
  onError?(error: RelayError): void;
  /** Source of jitter for the polling backoff (tests). */
  random?: () => number;
}

/** Channel name shared by the tabs watching one relay. */
export const liveChannelName = (relay: string): string => `k360-verify:${relay}`;

export class LiveViewController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: LiveViewOptions;
  #client: LiveUpdatesClient | undefined;
  #watcher: { stop(): void; refresh(): void } | undefined;
  #channel: BroadcastChannel | undefined;
  #connection: LiveConnection = 'stopped';
  #hostConnected = false;
  /** The watch ended by itself (final view, refused read): do not restart it on reconnect. */
  #ended = false;
  #generation = 0;

  constructor(host: ReactiveControllerHost, options: LiveViewOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** How the views are arriving right now. */
  get connection(): LiveConnection {
    return this.#connection;
  }

  /**
   * Watches the session `client` talks to (starting, or switching from the one watched before);
   * `undefined` stops. The same client again changes nothing.
   */
  watch(client: LiveUpdatesClient | undefined): void {
    if (client === this.#client && (this.#watcher || this.#ended || !this.#hostConnected || this.#connection === 'offline')) return;
    this.#teardown();
    this.#client = client;
    this.#ended = false;
    if (!client) return this.#setConnection('stopped');
    this.#start();
  }

  /** Stops watching for good (until the next `watch`) and closes the channel to other tabs. */
  stop(): void {
    this.#teardown();
    this.#client = undefined;
    this.#setConnection('stopped');
  }

  /** Reads the view now (the stream keeps running). */
  refresh(): void {
    this.#watcher?.refresh();
  }

  hostConnected(): void {
    this.#hostConnected = true;
    window.addEventListener('offline', this.#onOffline);
    window.addEventListener('online', this.#onOnline);
    this.#start();
  }

  hostDisconnected(): void {
    this.#hostConnected = false;
    window.removeEventListener('offline', this.#onOffline);
    window.removeEventListener('online', this.#onOnline);
    this.#teardown();
    this.#setConnection('stopped');
  }

  #start(): void {
    const client = this.#client;
    if (!client || this.#watcher || this.#ended || !this.#hostConnected) return;
    if (!navigator.onLine) return this.#setConnection('offline');
    this.#openChannel(client.relay);
    // Callbacks of a watch that was torn down (stopped, switched) are ignored.
    const generation = ++this.#generation;
    const current = () => generation === this.#generation;
    this.#watcher = watchSession(client, {
      isNewer: (view) => this.#options.isNewer(view.revision),
      onView: (view) => {
        if (current()) this.#onView(view);
      },
      onConnection: (state) => {
        if (!current()) return;
        if (state === 'stopped') {
          // It ended by itself (a final view, a refused read): it does not come back on reconnect.
          this.#generation++;
          this.#watcher = undefined;
          this.#ended = true;
          this.#closeChannel();
        }
        this.#setConnection(state);
      },
      onError: (error) => {
        if (current()) this.#options.onError?.(error);
      },
      ...(this.#options.random ? { random: this.#options.random } : {}),
    });
  }

  #onView(view: SessionView): void {
    this.#channel?.postMessage({ revision: view.revision });
    this.#options.onView(view);
  }

  #setConnection(state: LiveConnection): void {
    if (this.#connection === state) return;
    this.#connection = state;
    this.#host.requestUpdate();
    this.#options.onConnection?.(state);
  }

  #teardown(): void {
    this.#generation++;
    const watcher = this.#watcher;
    this.#watcher = undefined;
    watcher?.stop();
    this.#closeChannel();
  }

  #openChannel(relay: string): void {
    if (this.#channel || typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(liveChannelName(relay));
    channel.onmessage = (event: MessageEvent) => this.#onHint(event.data);
    this.#channel = channel;
  }

  #closeChannel(): void {
    this.#channel?.close();
    this.#channel = undefined;
  }

  /** Another tab saw a revision: only a number is read from it, and only to decide to re-read. */
  #onHint(data: unknown): void {
    const revision = typeof data === 'object' && data !== null ? (data as { revision?: unknown }).revision : undefined;
    if (typeof revision !== 'number' || !Number.isFinite(revision)) return;
    if (this.#options.isNewer(revision)) this.refresh();
  }

  readonly #onOffline = (): void => {
    if (!this.#client || this.#ended) return;
    this.#teardown();
    this.#setConnection('offline');
  };

  readonly #onOnline = (): void => {
    if (!this.#client || this.#ended || this.#watcher) return;
    // A new watch reads the view at once (the stream's first event, or the first poll).
    this.#start();
  };
}
