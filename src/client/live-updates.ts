/**
 * Watching a verification session live (SECURITY 25-26): the relay's server-sent events read with
 * `fetch` (EventSource cannot send the bearer header a relay on another origin needs), and polling
 * of the view with jittered backoff when the stream cannot be used. Either way the caller sees
 * the same views, each newer than the last, and the watch ends on a final decision.
 */
import { SessionView } from '../contract/browser.js';
import { RelayError } from './relay-error.js';

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

/** One dispatched server-sent event. */
export interface ServerSentEvent {
  /** The `event:` field, `message` when there was none. */
  type: string;
  data: string;
  /** The last event id in force when it was dispatched (`''` when none was ever set). */
  lastEventId: string;
}

/**
 * An incremental parser for `text/event-stream` (WHATWG HTML, "Interpreting an event stream").
 * Feed it decoded text in chunks of any size: lines may end with CRLF, LF or CR, even when a CRLF
 * is split between two chunks; `data:` lines join with LF; comments are skipped; `id` and `retry`
 * are kept. An event not closed by a blank line when the stream ends is dropped, as the spec says.
 */
export class EventStreamParser {
  #buffer = '';
  /** The last chunk ended with CR: an LF starting the next one belongs to the same line end. */
  #skipLeadingLf = false;
  #data = '';
  #hasData = false;
  #type = '';
  #lastEventId = '';
  #retryMs: number | undefined;
  #started = false;

  /** The id to send as `Last-Event-ID` when reconnecting. */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /** The relay's `retry:` hint in milliseconds, if it sent one. */
  get retryMs(): number | undefined {
    return this.#retryMs;
  }

  /** Parses `text` and returns the events it completed. */
  push(text: string): ServerSentEvent[] {
    if (!this.#started && text.length > 0) {
      this.#started = true;
      // A byte order mark may open the stream (TextDecoder usually drops it already).
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.#skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
    if (text.length > 0) this.#skipLeadingLf = false;
    this.#buffer += text;

    const events: ServerSentEvent[] = [];
    let start = 0;
    for (let index = 0; index < this.#buffer.length; index++) {
      const char = this.#buffer[index];
      if (char !== '\n' && char !== '\r') continue;
      const line = this.#buffer.slice(start, index);
      if (char === '\r') {
        if (index + 1 < this.#buffer.length) {
          if (this.#buffer[index + 1] === '\n') index++;
        } else {
          this.#skipLeadingLf = true;
        }
      }
      start = index + 1;
      const event = this.#processLine(line);
      if (event) events.push(event);
    }
    this.#buffer = this.#buffer.slice(start);
    return events;
  }

  #processLine(line: string): ServerSentEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#type = value;
        break;
      case 'data':
        this.#data += value + '\n';
        this.#hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retryMs = Number(value);
        break;
      default:
        // Unknown fields are ignored.
        break;
    }
    return undefined;
  }

  #dispatch(): ServerSentEvent | undefined {
    const hasData = this.#hasData;
    const event: ServerSentEvent = {
      type: this.#type || 'message',
      data: this.#data.endsWith('\n') ? this.#data.slice(0, -1) : this.#data,
      lastEventId: this.#lastEventId,
    };
    this.#data = '';
    this.#hasData = false;
    this.#type = '';
    return hasData ? event : undefined;
  }
}

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
export function watchSession(client: LiveUpdatesClient, options: WatchSessionOptions): { stop(): void; refresh(): void } {
  const random = options.random ?? Math.random;
  let connection: LiveConnection | undefined;
  let stopped = false;
  let lastRevision = -Infinity;
  let lastEventId: string | undefined;
  let retryMs = DEFAULT_STREAM_RETRY_MS;
  /** Drops in a row without a new view in between. */
  let drops = 0;
  let pollAttempt = 0;
  let polling = false;
  /** The stream, or the poll in flight. */
  let work: AbortController | undefined;
  let refreshRead: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const setConnection = (next: LiveConnection): void => {
    if (connection === next) return;
    connection = next;
    options.onConnection?.(next);
  };

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    work?.abort();
    refreshRead?.abort();
    setConnection('stopped');
  };

  /** Reports a view if it is newer; returns whether it was. Stops after a final one. */
  const deliver = (view: SessionView): boolean => {
    if (stopped || view.revision <= lastRevision) return false;
    lastRevision = view.revision;
    try {
      options.onView(view);
    } finally {
      if (view.state === 'decided') stop();
    }
    return true;
  };

  /** A failed read: ends the watch when the relay refused it for good; returns whether it did. */
  const failRead = (error: unknown): boolean => {
    const failure = asRelayError(error);
    if (!isFinalRefusal(failure)) return false;
    try {
      options.onError?.(failure);
    } finally {
      stop();
    }
    return true;
  };

  const pollDelay = (): number => {
    const nominal = Math.min(POLL_MAX_MS, POLL_MIN_MS * 2 ** pollAttempt);
    return Math.min(POLL_MAX_MS, Math.round(nominal * (0.8 + 0.4 * random())));
  };

  const schedule = (run: () => void, delay: number): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      run();
    }, delay);
  };

  const poll = async (): Promise<void> => {
    if (stopped) return;
    work?.abort();
    const controller = new AbortController();
    work = controller;
    let changed = false;
    try {
      changed = deliver(await client.view(controller.signal));
    } catch (error) {
      if (controller.signal.aborted || stopped) return;
      if (failRead(error)) return;
    }
    if (controller.signal.aborted || stopped) return;
    // 2 s after a change (or the first poll), then doubling with every quiet or failed poll.
    if (changed) pollAttempt = 0;
    const delay = pollDelay();
    pollAttempt++;
    schedule(() => void poll(), delay);
  };

  const startPolling = (): void => {
    if (stopped) return;
    polling = true;
    setConnection('polling');
    pollAttempt = 0;
    void poll();
  };

  /** The session is over (204): read its final view once. */
  const readFinalView = async (): Promise<void> => {
    const controller = new AbortController();
    work = controller;
    try {
      const view = await client.view(controller.signal);
      if (stopped) return;
      deliver(view);
      // A 204 with a view still open (a race with a new action): watch it by polling.
      if (!stopped) startPolling();
    } catch (error) {
      if (controller.signal.aborted || stopped) return;
      if (!failRead(error)) startPolling();
    }
  };

  const readStream = async (response: Response, controller: AbortController): Promise<StreamEnd> => {
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
        if (controller.signal.aborted || stopped) return 'aborted';
        if (done || stalled) return 'dropped';
        watchIdle();
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          if (parser.lastEventId) lastEventId = parser.lastEventId;
          if (event.type !== 'view') continue;
          const view = parseView(event.data);
          if (!view) {
            options.onError?.(new RelayError('invalid_response', 'The relay sent an update this page cannot read.', { status: 200 }));
            continue;
          }
          if (deliver(view)) drops = 0;
          if (stopped) return 'finished';
        }
        if (parser.retryMs !== undefined) retryMs = parser.retryMs;
      }
    } catch {
      return controller.signal.aborted || stopped ? 'aborted' : 'dropped';
    } finally {
      if (idle !== undefined) clearTimeout(idle);
      controller.signal.removeEventListener('abort', onAbort);
    }
  };

  const connect = async (): Promise<void> => {
    if (stopped) return;
    setConnection('connecting');
    const controller = new AbortController();
    work = controller;
    let response: Response;
    try {
      response = await client.events({ ...(lastEventId ? { lastEventId } : {}), signal: controller.signal });
    } catch {
      if (controller.signal.aborted || stopped) return;
      return startPolling();
    }
    if (controller.signal.aborted || stopped) {
      void response.body?.cancel().catch(() => {});
      return;
    }
    if (response.status === 204) return readFinalView();
    if (response.status !== 200 || !isEventStream(response)) {
      void response.body?.cancel().catch(() => {});
      return startPolling();
    }
    setConnection('streaming');
    const end = await readStream(response, controller);
    if (end !== 'dropped' || stopped) return;
    drops++;
    if (drops >= 2) return startPolling();
    setConnection('connecting');
    schedule(() => void connect(), retryMs);
  };

  const refresh = (): void => {
    if (stopped) return;
    if (polling) {
      // Read now and start the backoff over.
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      pollAttempt = 0;
      void poll();
      return;
    }
    refreshRead?.abort();
    const controller = new AbortController();
    refreshRead = controller;
    client.view(controller.signal).then(
      (view) => {
        if (!controller.signal.aborted) deliver(view);
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !stopped) failRead(error);
      },
    );
  };

  void connect();
  return { stop, refresh };
}

function parseView(data: string): SessionView | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const result = SessionView.safeParse(json);
  return result.success ? result.data : undefined;
}
