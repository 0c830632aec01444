/**
 * `GET {base}/session/events`: the session's views as server-sent events (SECURITY 25). `retry:`
 * once, then `id: <revision>` / `event: view` / `data: <SessionView JSON>` per change, the current
 * view first (or, with `Last-Event-ID: n`, exactly the kept events after n), a `: heartbeat`
 * comment every heartbeat interval (one shared timer); the stream ends after a final view, and a finished session gets 204
 * so EventSource stops reconnecting. Only the view travels: no handle, token, id or contact.
 *
 * A stored change's view goes out as the text the commit wrote (see live-updates.ts); the relay's
 * own revision check (`id` only grows on a stream) is the one here. On Node (`toNodeListener`) the
 * events are written straight to Node's response; elsewhere (Next.js route handlers, any fetch
 * runtime) the body is a standard `ReadableStream`.
 */
import type { SessionView } from '../contract/browser.js';
import { noStoreHeaders } from './http-headers.js';
import { liveEventOf, type LiveEvent, type LiveUpdates } from './live-updates.js';
import type { Logger } from './logger.js';
import type { EventSink, NativeResponses, StreamBody } from './request-context.js';
import { Heartbeat } from './heartbeat.js';
import { MAX_STREAMS_PER_SESSION, type ClosableStream, type Lease, type StreamEnd, type StreamLeases, type StreamLimits } from './stream-leases.js';

/** What a browser waits before reconnecting after a dropped stream. */
export const STREAM_RETRY_MS = 3000;

/**
 * The streams open on this instance. A handle cannot hold more than `MAX_STREAMS_PER_SESSION` open
 * (400 opened from one handle would each hold a connection, a subscription and a timer); the
 * oldest goes first, so the tab the shopper is looking at now keeps its stream. With `leases` the
 * store keeps that bound over every instance sharing it, and one per client network too (SECURITY
 * 43, stream-leases.ts), and the streams are listed there; without them (a store engine that keeps
 * no leases), per session on this instance, here.
 */
export class OpenStreams {
  readonly #bySession = new Map<string, ClosableStream[]>();
  readonly #leases: StreamLeases | undefined;
  #shuttingDown = false;

  constructor(leases?: StreamLeases) {
    this.#leases = leases;
  }

  /** Registers an open stream of a client network (null: unknown); `remove` it once it has ended. */
  add(sessionId: string, stream: ClosableStream, clientNetwork: string | null = null): void {
    if (this.#shuttingDown) return stream.end('shutdown');
    // One list per stream, not two: a stream with a lease is listed by the leases alone.
    stream.lease = this.#leases?.take(stream, sessionId, clientNetwork);
    if (stream.lease !== undefined) return;
    let streams = this.#bySession.get(sessionId);
    if (streams === undefined) {
      // Made to fit: an empty array's first push reserves room for 17.
      streams = [stream];
      this.#bySession.set(sessionId, streams);
    } else {
      streams.push(stream);
    }
    while (streams.length > MAX_STREAMS_PER_SESSION) streams.shift()?.end('superseded');
  }

  remove(sessionId: string, stream: ClosableStream): void {
    if (stream.lease !== undefined) {
      this.#leases?.release(stream.lease);
      stream.lease = undefined;
      return;
    }
    const streams = this.#bySession.get(sessionId);
    if (streams === undefined) return;
    const index = streams.indexOf(stream);
    if (index >= 0) streams.splice(index, 1);
    if (streams.length === 0) this.#bySession.delete(sessionId);
  }

  /** The bounds over all instances, when the store keeps leases. */
  get limits(): StreamLimits | undefined {
    return this.#leases?.limits;
  }

  get size(): number {
    let count = this.#leases?.size ?? 0;
    for (const streams of this.#bySession.values()) count += streams.length;
    return count;
  }

  /** Shutdown: ends every open stream (and any opened from now on) with a retry hint, so pages reconnect to another instance. */
  closeAll(): number {
    this.#shuttingDown = true;
    const all = [...this.#bySession.values()].flat().concat(this.#leases?.streams() ?? []);
    for (const stream of all) stream.end('shutdown');
    return all.length;
  }
}


/** After a shutdown, pages come back within this many milliseconds (spread, so they do not all land at once). */
const SHUTDOWN_RETRY_MS = { min: 250, spread: 1000 } as const;


/** The session's view and when the session expires (epoch ms). */
export interface CurrentView {
  view: SessionView;
  expiresAt: number;
}

export interface EventStreamDependencies {
  live: LiveUpdates;
  logger: Logger;
  /** The instance's shared heartbeat; a number gives the stream a timer of its own (tests). */
  heartbeat: Heartbeat | number;
  /** Where the instance counts its open streams; without it, a session's streams are not limited. */
  streams?: OpenStreams;
  /** The session's view now; null once it is gone (expired). */
  currentView(sessionId: string): Promise<CurrentView | null>;
  now?: () => number;
}

export interface EventStreamRequest {
  sessionId: string;
  /** From `Last-Event-ID`; null on a first connection or when the header is not a whole number. */
  lastEventId: number | null;
  /** Aborts when the client goes away; left out where the server cancels the body instead (RelayRequestContext). */
  signal?: AbortSignal | undefined;
  /** On Node: the adapter writes the stream to Node's response itself (RelayRequestContext). */
  native?: NativeResponses | undefined;
  /** The client's network (`streamNetworkOf`), which bounds its streams over all sessions (SECURITY 43); null or left out when unknown. */
  clientNetwork?: string | null | undefined;
}

const encoder = new TextEncoder();

/** The `Last-Event-ID` header as a revision, or null. */
export function parseLastEventId(header: string | null): number | null {
  if (header === null) return null;
  const trimmed = header.trim();
  return /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : null;
}

/** One `view` event; `data` is the view's JSON text, one line (JSON.stringify escapes line breaks inside strings). */
export function formatViewEvent(event: Pick<LiveEvent, 'id' | 'data'>): string {
  return `id: ${event.id}\nevent: view\ndata: ${event.data}\n\n`;
}

const NOTHING: readonly LiveEvent[] = Object.freeze([]);
const RETRY_LINE = `retry: ${STREAM_RETRY_MS}\n\n`;
const HEARTBEAT_LINE = ': heartbeat\n\n';

export async function openEventStream(dependencies: EventStreamDependencies, request: EventStreamRequest): Promise<Response> {
  const { live, currentView } = dependencies;
  const { sessionId, lastEventId } = request;

  // Listening (on every instance's changes) before the current state is read, so a change landing
  // in between is buffered, not lost.
  const stream = new ViewStream(dependencies, sessionId, request.clientNetwork ?? null);
  const unsubscribe = await live.listen(sessionId, (event) => stream.receive(event));
  stream.unsubscribe = unsubscribe;

  let first: LiveEvent[];
  try {
    const current = await currentView(sessionId);
    if (current === null || current.view.state === 'decided') {
      unsubscribe();
      return new Response(null, { status: 204, headers: noStoreHeaders() });
    }
    const { view } = current;
    stream.expiresAt = current.expiresAt;
    first = [liveEventOf(view)];
    if (lastEventId !== null) {
      const replay = await live.since(sessionId, lastEventId);
      // With a gap, or a client ahead of us (another relay's ids), the current view is the honest answer.
      if (replay.complete && lastEventId <= view.revision) {
        first = replay.events;
        stream.lastSentId = lastEventId;
      }
    }
  } catch (error) {
    unsubscribe();
    throw error;
  }

  stream.first = first;
  const headers = eventStreamHeaders();
  // Node: the adapter sends the head (with what the middlewares added) and hands over its response.
  if (request.native) return request.native.stream(200, headers, stream);
  return new Response(readableBody(stream, request.signal), { status: 200, headers });
}

/**
 * The stream as a standard `ReadableStream` (any fetch runtime). Its own function, so that what
 * `openEventStream` read on the way (the first view's text) is not held by the stream's closures.
 */
function readableBody(stream: ViewStream, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const onAbort = (): void => stream.abort();
      const sink: EventSink = {
        write(text) {
          try {
            controller.enqueue(encoder.encode(text));
            return true;
          } catch {
            return false;
          }
        },
        end() {
          signal?.removeEventListener('abort', onAbort);
          try {
            controller.close();
          } catch {
            // Already cancelled by the client.
          }
        },
      };
      stream.start(sink);
      if (stream.closed) return;
      if (signal?.aborted) stream.abort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    },
    cancel() {
      stream.abort();
    },
  });
}

/**
 * One open stream: what it has sent, its subscription, heartbeat and place among the session's
 * streams. Its methods are shared by every stream (10,000 open streams are 10,000 of these, not
 * 10,000 sets of closures).
 */
class ViewStream implements StreamBody, ClosableStream {
  readonly #dependencies: EventStreamDependencies;
  readonly #sessionId: string;
  readonly #clientNetwork: string | null;
  lease: Lease | undefined;
  lastSentId = -1;
  expiresAt = 0;
  closed = false;
  unsubscribe: (() => void) | undefined;
  /** What the stream sends first: the current view, or the replay after `Last-Event-ID`. */
  first: readonly LiveEvent[] = NOTHING;
  #sink: EventSink | undefined;
  /** Events that came before the stream started, in order. */
  #buffered: LiveEvent[] | undefined;
  #catchingUp = false;
  /** Events the store's bus may have dropped (a reconnection) are read back at the next heartbeat. */
  #missedEvents: number;
  #heartbeat: Heartbeat | undefined;
  #registered = false;

  constructor(dependencies: EventStreamDependencies, sessionId: string, clientNetwork: string | null) {
    this.#dependencies = dependencies;
    this.#sessionId = sessionId;
    this.#clientNetwork = clientNetwork;
    this.#missedEvents = dependencies.live.missedEvents;
  }

  /** The subscription's listener: sends, or keeps the event until the stream starts. */
  receive(event: LiveEvent): void {
    if (this.#sink) this.send(event);
    else if (!this.closed) (this.#buffered ??= []).push(event);
  }

  start(sink: EventSink): void {
    if (this.closed) {
      sink.end();
      return;
    }
    const { heartbeat, streams } = this.#dependencies;
    this.#sink = sink;
    const { first } = this;
    this.first = NOTHING;
    this.#write(RETRY_LINE);
    for (const event of first) this.send(event);
    const buffered = this.#buffered;
    this.#buffered = undefined;
    if (buffered) for (const event of buffered) this.send(event);
    if (this.closed) return;
    // The stream itself is what the heartbeat and the instance's list hold: no closure per stream.
    this.#heartbeat = typeof heartbeat === 'number' ? new Heartbeat(heartbeat) : heartbeat;
    this.#heartbeat.add(this);
    if (streams) {
      this.#registered = true;
      streams.add(this.#sessionId, this, this.#clientNetwork);
    }
  }

  /** Called by `OpenStreams` and `StreamLeases`: a newer stream of the session or the client network, or the instance stopping. */
  end(reason: StreamEnd): void {
    if (this.closed) return;
    if (reason === 'shutdown') {
      this.#write(`retry: ${SHUTDOWN_RETRY_MS.min + Math.floor(Math.random() * SHUTDOWN_RETRY_MS.spread)}\n\n`);
    } else {
      const limits = this.#dependencies.streams?.limits;
      this.#dependencies.logger.info('relay.events.oldest_closed', { perSession: MAX_STREAMS_PER_SESSION, ...(limits === undefined ? {} : { perClientNetwork: limits.perClientNetwork }) });
    }
    this.close();
  }

  send(event: LiveEvent): void {
    if (this.closed || event.id <= this.lastSentId) return;
    this.#write(formatViewEvent(event));
    this.lastSentId = event.id;
    if (event.final) this.close();
  }

  /** Ends the stream from the relay's side (final view, session gone, superseded, shutdown). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#cleanUp();
    this.#sink?.end();
  }

  /** The client went away, or the response was never sent (StreamBody). */
  discard(): void {
    this.abort();
  }

  /** The client went away (or the response was never sent): nothing more is written. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    this.#cleanUp();
  }

  #write(text: string): void {
    if (this.closed || !this.#sink) return;
    if (!this.#sink.write(text)) this.abort();
  }

  #cleanUp(): void {
    if (this.#registered) {
      this.#registered = false;
      this.#dependencies.streams?.remove(this.#sessionId, this);
    }
    this.#heartbeat?.remove(this);
    this.#heartbeat = undefined;
    this.unsubscribe?.();
    this.#buffered = undefined;
  }

  /** Called by the heartbeat every interval. */
  beat(): void {
    this.#write(HEARTBEAT_LINE);
    if (this.#missedEvents !== this.#dependencies.live.missedEvents || (this.#dependencies.now ?? Date.now)() >= this.expiresAt) void this.#catchUp();
  }

  /**
   * A safety net, read only when needed: after the store's bus may have dropped events (a
   * subscriber reconnecting), or once the session's time is up (it ends the stream when gone).
   */
  async #catchUp(): Promise<void> {
    if (this.#catchingUp || this.closed) return;
    const { live, logger, currentView } = this.#dependencies;
    this.#catchingUp = true;
    this.#missedEvents = live.missedEvents;
    try {
      const current = await currentView(this.#sessionId);
      if (current === null) return this.close();
      const { view } = current;
      this.expiresAt = current.expiresAt;
      const { events, complete } = await live.since(this.#sessionId, this.lastSentId);
      const latest = liveEventOf(view);
      for (const event of complete ? events : [latest]) this.send(event);
      if (!this.closed && view.revision > this.lastSentId) this.send(latest);
    } catch (error) {
      logger.warn('relay.events.catch_up_failed', { error });
    } finally {
      this.#catchingUp = false;
    }
  }
}

export function eventStreamHeaders(): Record<string, string> {
  return {
    ...noStoreHeaders(),
    'content-type': 'text/event-stream; charset=utf-8',
    // Proxies that buffer (nginx) would hold events back until the buffer fills.
    'x-accel-buffering': 'no',
  };
}
