/**
 * Watching a verification session live (SECURITY 25-26): the relay's server-sent events read with
 * `fetch` (EventSource cannot send the bearer header a relay on another origin needs), and polling
 * of the view with jittered backoff when the stream cannot be used. Either way the caller sees
 * the same views, each newer than the last, and the watch ends on a final decision.
 */
import type { SessionView } from '../contract/browser.js';
import { EventStreamParser } from './event-stream-parser.js';
import { RelayError } from './relay-error.js';
import { readView } from './relay-client.js';

export { EventStreamParser, type ServerSentEvent } from './event-stream-parser.js';

/** How the views are arriving right now. */
export type LiveConnection = 'connecting' | 'streaming' | 'polling' | 'offline' | 'stopped';

/** What `watchSession` needs from a client: `RelayClient`, or anything with the same calls. */
export interface LiveUpdatesClient {
  view(signal?: AbortSignal): Promise<SessionView>;
  events(options: { lastEventId?: string; signal: AbortSignal }): Promise<Response>;
  readonly relay: string;
}

export interface WatchSessionOptions {
  /** Each view newer than the last one reported (by `revision`); a decided view is the last call. */
  onView(view: SessionView): void;
  /** The connection changed (`connecting`, `streaming`, `polling`, `stopped`). */
  onConnection?(state: LiveConnection): void;
  /**
   * Something went wrong that the caller may want to show or log: an event whose data is not a
   * valid view (ignored, the watch goes on), or a read the relay refused with a 4xx status
   * (`session_expired`...), after which the watch has stopped.
   */
  onError?(error: RelayError): void;
  /** Source of jitter in [0, 1); `Math.random` by default (tests pass their own). */
  random?: () => number;
  /**
   * Whether a view is new to the caller, when the caller holds the newest view itself (the
   * elements' SessionController); by default, newer than the last one this watch reported.
   */
  isNewer?(view: SessionView): boolean;
}

/** First wait between polls, and the longest. */
export const POLL_MIN_MS = 2_000;
export const POLL_MAX_MS = 30_000;
/** Waited before reconnecting a dropped stream when the relay sent no `retry:` hint. */
export const DEFAULT_STREAM_RETRY_MS = 3_000;
/**
 * The relay writes a heartbeat at least every 15 s; a stream silent for three of them is held
 * back by something in between (a buffering proxy) and counts as dropped.
 */
export const STREAM_IDLE_MS = 45_000;

/** How a 4xx read ends the watch: the same request will not start working by itself. */
function isFinalRefusal(error: RelayError): boolean {
  return error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}

function asRelayError(error: unknown): RelayError {
  if (error instanceof RelayError) return error;
  // Duck-typed: a page may load two copies of the client.
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string') {
    const { code, message, status } = error as { code: string; message?: unknown; status?: unknown };
    return new RelayError(code, typeof message === 'string' ? message : code, {
      status: typeof status === 'number' ? status : 0,
      cause: error,
    });
  }
  return new RelayError('network_error', 'The relay could not be reached.', { cause: error });
}

function isEventStream(response: Response): boolean {
  const type = response.headers.get('content-type') ?? '';
  return type.split(';')[0]!.trim().toLowerCase() === 'text/event-stream';
}

/** Why a stream stopped before a final view. */
type StreamEnd = 'finished' | 'dropped' | 'unusable' | 'aborted';

/**
 * Watches a session's views until a final decision or `stop()`.
 *
 * The stream first: each `view` event is validated against the contract and reported when it is
 * newer than the last. A stream that drops is reconnected once, after the relay's `retry:` hint,
 * with `Last-Event-ID` so only what came after is replayed; a second drop in a row (no new view in
 * between), a non-200 answer other than 204, another content type or a network error switches to
 * polling `client.view()`: 2 s at first, doubling to 30 s, each wait jittered by ±20 % (back to
 * 2 s after a change). 204 means the session is over: its final view is read once.
 *
 * `refresh()` reads the view now (a hint from another tab, the network coming back); while
 * polling, it also restarts the backoff.
 */
export class SessionWatch {
  readonly #client: LiveUpdatesClient;
  readonly #options: WatchSessionOptions;
  readonly #random: () => number;
  #connection: LiveConnection | undefined;
  #stopped = false;
  #lastRevision = -Infinity;
  #lastEventId: string | undefined;
  #retryMs = DEFAULT_STREAM_RETRY_MS;
  /** Drops in a row without a new view in between. */
  #drops = 0;
  #pollAttempt = 0;
  #polling = false;
  /** The stream, or the poll in flight. */
  #work: AbortController | undefined;
  #refreshRead: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Starts watching at once (the stream first). */
  constructor(client: LiveUpdatesClient, options: WatchSessionOptions) {
    this.#client = client;
    this.#options = options;
    this.#random = options.random ?? Math.random;
    void this.#connect();
  }

  /** Stops for good: nothing is read or reported after it. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#clearTimer();
    this.#work?.abort();
    this.#refreshRead?.abort();
    this.#setConnection('stopped');
  }

  /** Reads the view now; while polling, also starts the backoff over. */
  refresh(): void {
    if (this.#stopped) return;
    if (this.#polling) {
      this.#clearTimer();
      this.#pollAttempt = 0;
      void this.#poll();
      return;
    }
    this.#refreshRead?.abort();
    const controller = new AbortController();
    this.#refreshRead = controller;
    this.#client.view(controller.signal).then(
      (view) => {
        if (!controller.signal.aborted) this.#deliver(view);
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !this.#stopped) this.#failRead(error);
      },
    );
  }

  #setConnection(next: LiveConnection): void {
    if (this.#connection === next) return;
    this.#connection = next;
    this.#options.onConnection?.(next);
  }

  /** Reports a view if it is newer; returns whether it was. Stops after a final one. */
  #deliver(view: SessionView): boolean {
    const isNewer = this.#options.isNewer ?? ((next: SessionView) => next.revision > this.#lastRevision);
    if (this.#stopped || !isNewer(view)) return false;
    this.#lastRevision = view.revision;
    try {
      this.#options.onView(view);
    } finally {
      if (view.state === 'decided') this.stop();
    }
    return true;
  }

  /** A failed read: ends the watch when the relay refused it for good; returns whether it did. */
  #failRead(error: unknown): boolean {
    const failure = asRelayError(error);
    if (!isFinalRefusal(failure)) return false;
    try {
      this.#options.onError?.(failure);
    } finally {
      this.stop();
    }
    return true;
  }

  #pollDelay(): number {
    const nominal = Math.min(POLL_MAX_MS, POLL_MIN_MS * 2 ** this.#pollAttempt);
    return Math.min(POLL_MAX_MS, Math.round(nominal * (0.8 + 0.4 * this.#random())));
  }

  #schedule(run: () => void, delay: number): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      run();
    }, delay);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #poll(): Promise<void> {
    if (this.#stopped) return;
    this.#work?.abort();
    const controller = new AbortController();
    this.#work = controller;
    let changed = false;
    try {
      changed = this.#deliver(await this.#client.view(controller.signal));
    } catch (error) {
      if (controller.signal.aborted || this.#stopped) return;
      if (this.#failRead(error)) return;
    }
    if (controller.signal.aborted || this.#stopped) return;
    // 2 s after a change (or the first poll), then doubling with every quiet or failed poll.
    if (changed) this.#pollAttempt = 0;
    const delay = this.#pollDelay();
    this.#pollAttempt++;
    this.#schedule(() => void this.#poll(), delay);
  }

  #startPolling(): void {
    if (this.#stopped) return;
    this.#polling = true;
    this.#setConnection('polling');
    this.#pollAttempt = 0;
    void this.#poll();
  }

  /** The session is over (204): read its final view once. */
  async #readFinalView(): Promise<void> {
    const controller = new AbortController();
    this.#work = controller;
    try {
      const view = await this.#client.view(controller.signal);
      if (this.#stopped) return;
      this.#deliver(view);
      // A 204 with a view still open (a race with a new action): watch it by polling.
      if (!this.#stopped) this.#startPolling();
    } catch (error) {
      if (controller.signal.aborted || this.#stopped) return;
      if (!this.#failRead(error)) this.#startPolling();
    }
  }

  async #readStream(response: Response, controller: AbortController): Promise<StreamEnd> {
    const body = response.body;
    if (!body) return 'dropped';
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new EventStreamParser();
    let idle: ReturnType<typeof setTimeout> | undefined;
    let stalled = false;
    const watchIdle = (): void => {
      if (idle !== undefined) clearTimeout(idle);
      idle = setTimeout(() => {
        stalled = true;
        void reader.cancel().catch(() => {});
      }, STREAM_IDLE_MS);
    };
    const onAbort = (): void => void reader.cancel().catch(() => {});
    controller.signal.addEventListener('abort', onAbort, { once: true });
    watchIdle();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (controller.signal.aborted || this.#stopped) return 'aborted';
        if (done || stalled) return 'dropped';
        watchIdle();
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          if (parser.lastEventId) this.#lastEventId = parser.lastEventId;
          if (event.type !== 'view') continue;
          const view = parseView(event.data);
          if (!view) {
            this.#options.onError?.(new RelayError('invalid_response', 'The relay sent an update this page cannot read.', { status: 200 }));
            continue;
          }
          if (this.#deliver(view)) this.#drops = 0;
          if (this.#stopped) return 'finished';
        }
        if (parser.retryMs !== undefined) this.#retryMs = parser.retryMs;
      }
    } catch {
      return controller.signal.aborted || this.#stopped ? 'aborted' : 'dropped';
    } finally {
      if (idle !== undefined) clearTimeout(idle);
      controller.signal.removeEventListener('abort', onAbort);
    }
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    this.#setConnection('connecting');
    const controller = new AbortController();
    this.#work = controller;
    let response: Response;
    try {
      const lastEventId = this.#lastEventId;
      response = await this.#client.events({ ...(lastEventId ? { lastEventId } : {}), signal: controller.signal });
    } catch {
      if (controller.signal.aborted || this.#stopped) return;
      return this.#startPolling();
    }
    if (controller.signal.aborted || this.#stopped) {
      void response.body?.cancel().catch(() => {});
      return;
    }
    if (response.status === 204) return this.#readFinalView();
    if (response.status !== 200 || !isEventStream(response)) {
      void response.body?.cancel().catch(() => {});
      return this.#startPolling();
    }
    this.#setConnection('streaming');
    const end = await this.#readStream(response, controller);
    if (end !== 'dropped' || this.#stopped) return;
    this.#drops++;
    if (this.#drops >= 2) return this.#startPolling();
    this.#setConnection('connecting');
    this.#schedule(() => void this.#connect(), this.#retryMs);
  }
}

/** Starts a `SessionWatch`: the function form, for callers that only stop and refresh it. */
export function watchSession(client: LiveUpdatesClient, options: WatchSessionOptions): SessionWatch {
  return new SessionWatch(client, options);
}

function parseView(data: string): SessionView | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  return readView(json);
}
