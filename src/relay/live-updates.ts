/**
 * Live updates (SECURITY 25): every change of a session's state becomes an event whose id is the
 * view's `revision` (it only grows), published to the streams open in this process and kept in the
 * store, the last `KEPT_EVENTS` per session, so a reconnecting stream can replay what it missed and
 * a stream on another instance can catch up.
 */
import * as z from 'zod/mini';
import { SessionView } from '../contract/browser.js';
import type { Logger } from './logger.js';
import type { SessionStore } from './store.js';

/** Replay window: a client further behind gets the current view instead (it is never shown a gap as if it were complete). */
export const KEPT_EVENTS = 50;

export interface ViewEvent {
  /** The view's `revision`: increasing per session, the SSE `id`. */
  id: number;
  view: SessionView;
}

export type ViewListener = (event: ViewEvent) => unknown;

const StoredEvents = z.array(z.object({ id: z.number(), view: SessionView }));

const eventsKey = (sessionId: string): string => `k360:events:${sessionId}`;

export interface ReplayResult {
  events: ViewEvent[];
  /** False when events after `afterId` have already left the window, so the replay would have a gap. */
  complete: boolean;
}

export class LiveUpdates {
  readonly #store: SessionStore;
  readonly #logger: Logger;
  readonly #listeners = new Map<string, Set<ViewListener>>();

  constructor(store: SessionStore, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
  }

  /**
   * Keeps the event, then tells this process's listeners. Called under the session's lock, after the
   * session itself is stored. A listener is never awaited: a slow or stuck one (a browser that does
   * not read, a customer hook waiting on its network) cannot hold up the session or the others.
   */
  async publish(sessionId: string, view: SessionView, ttlSeconds: number): Promise<void> {
    const event: ViewEvent = { id: view.revision, view };
    const kept = (await this.#read(sessionId)).filter((existing) => existing.id < event.id);
    kept.push(event);
    await this.#store.setValue(eventsKey(sessionId), JSON.stringify(kept.slice(-KEPT_EVENTS)), ttlSeconds);
    for (const listener of [...(this.#listeners.get(sessionId) ?? [])]) this.#notify(listener, event);
  }

  subscribe(sessionId: string, listener: ViewListener): () => void {
    let listeners = this.#listeners.get(sessionId);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(sessionId, listeners);
    }
    listeners.add(listener);
    return () => {
      const current = this.#listeners.get(sessionId);
      current?.delete(listener);
      if (current?.size === 0) this.#listeners.delete(sessionId);
    };
  }

  /** Listeners currently subscribed to a session (tests check that a closed stream cleans up). */
  listenerCount(sessionId: string): number {
    return this.#listeners.get(sessionId)?.size ?? 0;
  }

  /** The kept events with an id above `afterId`, oldest first. */
  async since(sessionId: string, afterId: number): Promise<ReplayResult> {
    const kept = await this.#read(sessionId);
    const events = kept.filter((event) => event.id > afterId);
    const oldest = kept[0];
    // Every stored change publishes the next revision, so the window covers `afterId` when it starts
    // at most one after it. Anything else (trimmed, or a write that failed) is reported as a gap.
    const complete = oldest === undefined || oldest.id <= afterId + 1;
    return { events, complete };
  }

  async #read(sessionId: string): Promise<ViewEvent[]> {
    const raw = await this.#store.getValue(eventsKey(sessionId));
    if (raw === null) return [];
    try {
      const parsed = StoredEvents.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    } catch {
      // Falls through: an unreadable log is dropped, the next event starts a new one.
    }
    this.#logger.warn('relay.events.unreadable');
    return [];
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
