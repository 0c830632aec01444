/**
 * Live updates (SECURITY 25): every stored change of a session is an event whose id is the view's
 * `revision` (it only grows). The store commits it with the session, keeps the last `KEPT_EVENTS`
 * for replay, and tells every instance listening; this process listens once per session however
 * many of its streams (and `relay.subscribe` callers) wait on it.
 *
 * The view travels as the text the commit wrote (`StoredEvent.data`, one `JSON.stringify` by the
 * writer): streams forward it as it is. It is checked once, where it comes in from the store: that
 * it can go out as one SSE `data:` line, and whether it is the final view. Only `relay.subscribe`
 * callers, who want objects, get it parsed (once per event, however many of them listen).
 */
import type { SessionView } from '../contract/browser.js';
import type { Logger } from './logger.js';
import type { SessionStore, StoredEvent } from './store/index.js';

/** Replay window: a client further behind gets the current view instead (it is never shown a gap as if it were complete). */
export const KEPT_EVENTS = 50;

/** What `relay.subscribe` listeners get: the view's revision and the view. */
export interface ViewEvent {
  /** The view's `revision`: increasing per session, the SSE `id`. */
  id: number;
  view: SessionView;
}

export type ViewListener = (event: ViewEvent) => unknown;

/** A stored event as streams send it: the view's JSON text as the commit wrote it. */
export interface LiveEvent {
  /** The view's `revision`: the SSE `id`. */
  readonly id: number;
  /** The view as JSON, one line. */
  readonly data: string;
  /** The session is decided: the last event a stream sends. */
  readonly final: boolean;
}

export type LiveListener = (event: LiveEvent) => unknown;

export interface ReplayResult {
  events: LiveEvent[];
  /** False when events after `afterId` have already left the window, so the replay would have a gap. */
  complete: boolean;
}

interface Listening {
  /** Made to fit: one stream per session is the usual case (a Set would cost it ~130 bytes more). */
  listeners: LiveListener[];
  /** Resolves to the store subscription's end once the store listens. */
  stop: Promise<() => void>;
}

const OPEN_PREFIX = '{"state":"challenge"';
const FINAL_PREFIX = '{"state":"decided"';

/**
 * The event as it came from the store, checked once: text that could break the SSE framing (a line
 * break) or is not a view is refused. The writer's `JSON.stringify` puts `state` first, so the usual
 * check is a prefix; any other shape is parsed once to be sure.
 */
export function readStoredEvent(stored: StoredEvent): LiveEvent | null {
  const { id, data } = stored;
  if (!Number.isSafeInteger(id) || id < 0 || data.includes('\n') || data.includes('\r')) return null;
  if (data.startsWith(OPEN_PREFIX)) return { id, data, final: false };
  if (data.startsWith(FINAL_PREFIX)) return { id, data, final: true };
  try {
    const value = JSON.parse(data) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const { state } = value as { state?: unknown };
    if (state !== 'challenge' && state !== 'decided') return null;
    return { id, data, final: state === 'decided' };
  } catch {
    return null;
  }
}

/** A view as a stream's first event: serialised once, here. */
export function liveEventOf(view: SessionView): LiveEvent {
  return { id: view.revision, data: JSON.stringify(view), final: view.state === 'decided' };
}

/** Takes `listener` off once; false when it was off already. */
function removeListener(listening: Listening, listener: LiveListener): boolean {
  const index = listening.listeners.indexOf(listener);
  if (index < 0) return false;
  listening.listeners.splice(index, 1);
  return true;
}

const NOT_LISTENING: Promise<() => void> = Promise.resolve(() => undefined);

/** Parsed once per event for every `relay.subscribe` listener of this process. */
const parsedViews = new WeakMap<LiveEvent, ViewEvent>();

function viewEventOf(event: LiveEvent): ViewEvent {
  let parsed = parsedViews.get(event);
  if (parsed === undefined) {
    parsed = { id: event.id, view: JSON.parse(event.data) as SessionView };
    parsedViews.set(event, parsed);
  }
  return parsed;
}

export class LiveUpdates {
  readonly #store: SessionStore;
  readonly #logger: Logger;
  readonly #sessions = new Map<string, Listening>();
  readonly #pushes = new Set<Promise<void>>();
  #missedEvents = 0;

  constructor(store: SessionStore, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
    store.onMissedEvents?.(() => {
      this.#missedEvents += 1;
    });
  }

  /**
   * Grows each time events may have been lost on their way here (the store's bus reconnected, an
   * event could not be read): a stream that saw another number reads the log at its next heartbeat,
   * and otherwise never reads the store.
   */
  get missedEvents(): number {
    return this.#missedEvents;
  }

  /**
   * Calls `listener` with each new view of the session stored by any instance. Resolves once the
   * store listens, so a change stored after that is never missed. A listener is never awaited: a
   * slow or stuck one (a browser that does not read, a host's hook) holds up nothing.
   */
  subscribe(sessionId: string, listener: ViewListener): Promise<() => void> {
    return this.listen(sessionId, (event) => listener(viewEventOf(event)));
  }

  /** The same as `subscribe`, with the events as stored (the view's text): what streams forward. */
  async listen(sessionId: string, listener: LiveListener): Promise<() => void> {
    const listening = this.#sessions.get(sessionId);
    // Its own entry, so one function subscribed twice is two subscriptions (streams pass a new one each).
    const own: LiveListener = listening?.listeners.includes(listener) === true ? (event) => listener(event) : listener;
    let entry: Listening;
    if (listening) {
      entry = listening;
      entry.listeners.push(own);
    } else {
      const created: Listening = { listeners: [own], stop: NOT_LISTENING };
      created.stop = this.#store.listen(sessionId, (event) => this.#deliver(created, event));
      this.#sessions.set(sessionId, created);
      entry = created;
    }
    try {
      await entry.stop;
    } catch (error) {
      // The store could not listen: the next subscriber of the session tries again.
      removeListener(entry, own);
      if (this.#sessions.get(sessionId) === entry) this.#sessions.delete(sessionId);
      throw error;
    }
    return () => {
      if (!removeListener(entry, own) || entry.listeners.length > 0 || this.#sessions.get(sessionId) !== entry) return;
      this.#sessions.delete(sessionId);
      void entry.stop.then((stop) => stop(), () => undefined);
    };
  }

  /** Listeners currently subscribed to a session (tests check that a closed stream cleans up). */
  listenerCount(sessionId: string): number {
    return this.#sessions.get(sessionId)?.listeners.length ?? 0;
  }

  /** The kept events with an id above `afterId`, oldest first. */
  async since(sessionId: string, afterId: number): Promise<ReplayResult> {
    const kept: LiveEvent[] = [];
    for (const stored of await this.#store.events(sessionId)) {
      const event = this.#read(stored);
      if (event !== null) kept.push(event);
    }
    const events = kept.filter((event) => event.id > afterId);
    const oldest = kept[0];
    // Every stored change has the next revision, so the window covers `afterId` when it starts at
    // most one after it. Anything else (trimmed, or an event that could not be read) is a gap.
    const complete = oldest === undefined || oldest.id <= afterId + 1;
    return { events, complete };
  }

  /** Resolves once every view received so far has been handed to its listeners. */
  async settled(): Promise<void> {
    while (this.#pushes.size > 0) await Promise.allSettled([...this.#pushes]);
  }

  /**
   * A macrotask later (SECURITY 24): the change that stored the event, and the answer to whoever
   * asked for it (a webhook from Kount, say), never wait on a listener, even one that blocks.
   */
  #deliver(listening: Listening, stored: StoredEvent): void {
    if (listening.listeners.length === 0) return;
    const push: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        const event = this.#read(stored);
        if (event !== null) for (const listener of [...listening.listeners]) this.#notify(listener, event);
      })
      .finally(() => this.#pushes.delete(push));
    this.#pushes.add(push);
  }

  #read(stored: StoredEvent): LiveEvent | null {
    const event = readStoredEvent(stored);
    if (event !== null) return event;
    this.#logger.warn('relay.events.unreadable', { id: stored.id });
    this.#missedEvents += 1;
    return null;
  }

  #notify(listener: LiveListener, event: LiveEvent): void {
    try {
      const result = listener(event);
      if (result instanceof Promise) result.catch((error: unknown) => this.#logger.warn('relay.events.listener_failed', { error }));
    } catch (error) {
      this.#logger.warn('relay.events.listener_failed', { error });
    }
  }
}
