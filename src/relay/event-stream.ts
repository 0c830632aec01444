/**
 * `GET {base}/session/events`: the session's views as server-sent events (SECURITY 25). `retry:`
 * once, then `id: <revision>` / `event: view` / `data: <SessionView JSON>` per change, the current
 * view first (or, with `Last-Event-ID: n`, exactly the kept events after n), a `: heartbeat`
 * comment every heartbeat interval (one shared timer); the stream ends after a final view, and a finished session gets 204
 * so EventSource stops reconnecting. Only the view travels: no handle, token, id or contact.
 */
import type { SessionView } from '../contract/browser.js';
import { noStoreHeaders } from './http-headers.js';
import type { LiveUpdates, ViewEvent } from './live-updates.js';
import type { Logger } from './logger.js';

/** What a browser waits before reconnecting after a dropped stream. */
export const STREAM_RETRY_MS = 3000;

/** Streams one session may hold open on one instance; one more closes the oldest. */
export const MAX_STREAMS_PER_SESSION = 4;

/**
 * The streams open on this instance, by session: a handle cannot hold more than `MAX_STREAMS_PER_SESSION` open (400
 * opened from one handle would each hold a connection, a subscription and a timer). The oldest
 * goes first, so the tab the shopper is looking at now keeps its stream.
 */
export class OpenStreams {
  readonly #bySession = new Map<string, Array<(reason: StreamEnd) => void>>();
  #shuttingDown = false;

  /** Registers a stream by the function that closes it; returns the function to call once it has ended. */
  add(sessionId: string, close: (reason: StreamEnd) => void): () => void {
    const streams = this.#bySession.get(sessionId) ?? [];
    streams.push(close);
    this.#bySession.set(sessionId, streams);
    const release = (): void => {
      const index = streams.indexOf(close);
      if (index >= 0) streams.splice(index, 1);
      if (streams.length === 0 && this.#bySession.get(sessionId) === streams) this.#bySession.delete(sessionId);
    };
    if (this.#shuttingDown) close('shutdown');
    while (streams.length > MAX_STREAMS_PER_SESSION) streams.shift()?.('superseded');
    return release;
  }

  get size(): number {
    let count = 0;
    for (const streams of this.#bySession.values()) count += streams.length;
    return count;
  }

  /** Shutdown: ends every open stream (and any opened from now on) with a retry hint, so pages reconnect to another instance. */
  closeAll(): number {
    this.#shuttingDown = true;
    const all = [...this.#bySession.values()].flat();
    for (const close of all) close('shutdown');
    return all.length;
  }
}

/** Why the relay ends a stream that is not finished: a newer stream of the session, or the instance stopping. */
export type StreamEnd = 'superseded' | 'shutdown';

/** After a shutdown, pages come back within this many milliseconds (spread, so they do not all land at once). */
const SHUTDOWN_RETRY_MS = { min: 250, spread: 1000 } as const;

/**
 * One timer for every stream of an instance: each open stream is one entry in a set, not a timer of
 * its own (10,000 streams were 10,000 timers, each waking on its own). A stream's first heartbeat
 * comes within one interval of opening, as before.
 */
export class Heartbeat {
  readonly #intervalMs: number;
  readonly #beats = new Set<() => void>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** Calls `beat` every interval until the returned function is called. */
  add(beat: () => void): () => void {
    this.#beats.add(beat);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => {
        for (const each of this.#beats) each();
      }, this.#intervalMs);
      // The connections keep a server alive; the timer alone must not keep a process from exiting.
      if (typeof this.#timer === 'object' && 'unref' in this.#timer) this.#timer.unref();
    }
    return () => {
      this.#beats.delete(beat);
      if (this.#beats.size > 0 || this.#timer === undefined) return;
      clearInterval(this.#timer);
      this.#timer = undefined;
    };
  }
}

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
}

const encoder = new TextEncoder();

/** The `Last-Event-ID` header as a revision, or null. */
export function parseLastEventId(header: string | null): number | null {
  if (header === null) return null;
  const trimmed = header.trim();
  return /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : null;
}

export function formatViewEvent(event: ViewEvent): string {
  // JSON.stringify escapes line breaks inside strings, so the view is always one `data:` line.
  return `id: ${event.id}\nevent: view\ndata: ${JSON.stringify(event.view)}\n\n`;
}

export async function openEventStream(dependencies: EventStreamDependencies, request: EventStreamRequest): Promise<Response> {
  const { live, logger, currentView, streams } = dependencies;
  const heartbeat = typeof dependencies.heartbeat === 'number' ? new Heartbeat(dependencies.heartbeat) : dependencies.heartbeat;
  const now = dependencies.now ?? Date.now;
  const { sessionId, lastEventId, signal } = request;

  // Listening (on every instance's changes) before the current state is read, so a change landing
  // in between is buffered, not lost.
  const buffered: ViewEvent[] = [];
  let deliver: ((event: ViewEvent) => void) | null = null;
  const unsubscribe = await live.subscribe(sessionId, (event) => {
    if (deliver) deliver(event);
    else buffered.push(event);
  });

  let first: ViewEvent[];
  let lastSentId = -1;
  let expiresAt: number;
  // Events the store's bus may have dropped (a reconnection) are read back at the next heartbeat.
  let missedEvents = live.missedEvents;
  try {
    const current = await currentView(sessionId);
    if (current === null || current.view.state === 'decided') {
      unsubscribe();
      return new Response(null, { status: 204, headers: noStoreHeaders() });
    }
    const { view } = current;
    expiresAt = current.expiresAt;
    first = [{ id: view.revision, view }];
    if (lastEventId !== null) {
      const replay = await live.since(sessionId, lastEventId);
      // With a gap, or a client ahead of us (another relay's ids), the current view is the honest answer.
      if (replay.complete && lastEventId <= view.revision) {
        first = replay.events;
        lastSentId = lastEventId;
      }
    }
  } catch (error) {
    unsubscribe();
    throw error;
  }

  let closed = false;
  let stopBeating: (() => void) | undefined;
  let catchingUp = false;
  let release: (() => void) | undefined;

  const cleanUp = (): void => {
    release?.();
    stopBeating?.();
    deliver = null;
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
  };
  const onAbort = (): void => {
    closed = true;
    cleanUp();
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string): void => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          onAbort();
        }
      };
      const close = (): void => {
        if (closed) return;
        closed = true;
        cleanUp();
        try {
          controller.close();
        } catch {
          // Already cancelled by the client.
        }
      };
      const send = (event: ViewEvent): void => {
        if (closed || event.id <= lastSentId) return;
        write(formatViewEvent(event));
        lastSentId = event.id;
        if (event.view.state === 'decided') close();
      };
      // A safety net, read only when needed: after the store's bus may have dropped events (a
      // subscriber reconnecting), or once the session's time is up (it ends the stream when gone).
      const catchUp = async (): Promise<void> => {
        if (catchingUp || closed) return;
        catchingUp = true;
        missedEvents = live.missedEvents;
        try {
          const current = await currentView(sessionId);
          if (current === null) return close();
          const { view } = current;
          expiresAt = current.expiresAt;
          const { events, complete } = await live.since(sessionId, lastSentId);
          for (const event of complete ? events : [{ id: view.revision, view }]) send(event);
          if (!closed && view.revision > lastSentId) send({ id: view.revision, view });
        } catch (error) {
          logger.warn('relay.events.catch_up_failed', { error });
        } finally {
          catchingUp = false;
        }
      };

      write(`retry: ${STREAM_RETRY_MS}\n\n`);
      for (const event of first) send(event);
      for (const event of buffered.splice(0)) send(event);
      if (closed) return;
      deliver = send;
      stopBeating = heartbeat.add(() => {
        write(': heartbeat\n\n');
        if (missedEvents !== live.missedEvents || now() >= expiresAt) void catchUp();
      });
      release = streams?.add(sessionId, (reason) => {
        if (reason === 'shutdown') {
          write(`retry: ${SHUTDOWN_RETRY_MS.min + Math.floor(Math.random() * SHUTDOWN_RETRY_MS.spread)}\n\n`);
        } else {
          logger.info('relay.events.oldest_closed', { limit: MAX_STREAMS_PER_SESSION });
        }
        close();
      });
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    },
    cancel() {
      onAbort();
    },
  });

  return new Response(body, { status: 200, headers: eventStreamHeaders() });
}

export function eventStreamHeaders(): Record<string, string> {
  return {
    ...noStoreHeaders(),
    'content-type': 'text/event-stream; charset=utf-8',
    // Proxies that buffer (nginx) would hold events back until the buffer fills.
    'x-accel-buffering': 'no',
  };
}
