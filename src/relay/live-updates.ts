/**
 * Live updates (SECURITY 25): every stored change of a session is an event whose id is the view's
 * `revision` (it only grows). The store commits it with the session, keeps the last `KEPT_EVENTS`
 * for replay, and tells every instance listening; this process listens once per session however
 * many of its streams (and `relay.subscribe` callers) wait on it.
 */
import { SessionView } from '../contract/browser.js';
import type { Logger } from './logger.js';
import type { SessionStore, StoredEvent } from './store/index.js';

/** Replay window: a client further behind gets the current view instead (it is never shown a gap as if it were complete). */
export const KEPT_EVENTS = 50;

export interface ViewEvent {
  /** The view's `revision`: increasing per session, the SSE `id`. */
  id: number;
  view: SessionView;
}

export type ViewListener = (event: ViewEvent) => unknown;

export interface ReplayResult {
  events: ViewEvent[];
  /** False when events after `afterId` have already left the window, so the replay would have a gap. */
  complete: boolean;
}

interface Listening {
  listeners: Set<ViewListener>;
  /** Resolves to the store subscription's end once the store listens. */
  stop: Promise<() => void>;
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
  async subscribe(sessionId: string, listener: ViewListener): Promise<() => void> {
    let listening = this.#sessions.get(sessionId);
    if (!listening) {
      const created: Listening = { listeners: new Set(), stop: Promise.resolve(() => undefined) };
      created.stop = this.#store.listen(sessionId, (event) => this.#deliver(created, event));
      created.stop.catch(() => {
        if (this.#sessions.get(sessionId) === created) this.#sessions.delete(sessionId);
      });
      this.#sessions.set(sessionId, created);
      listening = created;
    }
    const entry = listening;
    const own: ViewListener = (event) => listener(event);
    entry.listeners.add(own);
    try {
      await entry.stop;
    } catch (error) {
      entry.listeners.delete(own);
      throw error;
    }
    return () => {
      entry.listeners.delete(own);
      if (entry.listeners.size > 0 || this.#sessions.get(sessionId) !== entry) return;
      this.#sessions.delete(sessionId);
      void entry.stop.then((stop) => stop(), () => undefined);
    };
  }

  /** Listeners currently subscribed to a session (tests check that a closed stream cleans up). */
  listenerCount(sessionId: string): number {
    return this.#sessions.get(sessionId)?.listeners.size ?? 0;
  }

  /** The kept events with an id above `afterId`, oldest first. */
  async since(sessionId: string, afterId: number): Promise<ReplayResult> {
    const kept = (await this.#store.events(sessionId)).flatMap((event) => this.#read(event) ?? []);
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
    if (listening.listeners.size === 0) return;
    const push: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        const event = this.#read(stored);
        if (event !== null) for (const listener of [...listening.listeners]) this.#notify(listener, event);
      })
      .finally(() => this.#pushes.delete(push));
    this.#pushes.add(push);
  }

  #read(stored: StoredEvent): ViewEvent | null {
    try {
      const view = SessionView.safeParse(JSON.parse(stored.data));
      if (view.success) return { id: stored.id, view: view.data };
    } catch {
      // Falls through: an unreadable event is left out (a replay then reports a gap).
    }
    this.#logger.warn('relay.events.unreadable', { id: stored.id });
    this.#missedEvents += 1;
    return null;
  }

  #notify(listener: ViewListener, event: ViewEvent): void {
    try {
      const result = listener(event);
      if (result instanceof Promise) result.catch((error: unknown) => this.#logger.warn('relay.events.listener_failed', { error }));
    } catch (error) {
      this.#logger.warn('relay.events.listener_failed', { error });
    }
  }
}
