/**
 * The store the relay uses, over any engine (SECURITY 42): each session goes down sealed as a whole
 * and each view of its replay log sealed on its own (`SessionCodec`), and comes back opened, so the
 * engine (memory, Redis, or the host's own) only ever holds text it cannot read. Versions, aliases,
 * values, claims and quotas pass through as they are.
 *
 * Opening is not paid twice for the same text: this instance remembers, for its most recently used
 * sessions, the session it last sealed or opened and that sealed text, and hands the same frozen
 * session back while the engine still holds exactly that text (the usual case: an answer reads
 * what this instance wrote a moment ago). Text the instance has not seen is opened and checked.
 */
import { silentLogger, type Logger } from '../logger.js';
import { deepFreeze } from '../objects.js';
import type { Session } from '../sessions.js';
import { SealedWithUnknownKey } from './sealing.js';
import type { EventListener, Quota, QuotaAnswer, SessionCommit, SessionStore, StoreEngine, StoredEvent, StoreValues, VersionedSession } from './session-store.js';
import { SessionCodec } from './stored-session.js';

export interface SealedStoreOptions {
  /** `RELAY_SESSION_SECRET`: the first seals, every one opens. */
  sessionSecret: string | readonly string[];
  logger?: Logger;
}

/** Sessions whose last sealed text and opened value an instance keeps: enough for those in an answer's round trip. */
const REMEMBERED_SESSIONS = 1024;

interface Remembered {
  data: string;
  session: Session;
}

export class SealedSessionStore implements SessionStore {
  readonly #engine: StoreEngine;
  readonly #codec: SessionCodec;
  readonly #logger: Logger;
  /** Most recently used last, so the first is the one to forget. */
  readonly #sessions = new Map<string, Remembered>();
  /**
   * The event a commit is handing the engine, while the engine's `commit` call runs: an engine in
   * this process (memory) tells listeners then, with that very object, which is not opened again.
   */
  #committing: { sessionId: string; sealed: StoredEvent; opened: StoredEvent } | null = null;
  readonly #missedEventListeners: Array<() => void> = [];
  /** The engine's stream leases (they name no one), when it keeps them; absent otherwise, as the engine has it. */
  readonly leaseStreams?: NonNullable<StoreValues['leaseStreams']>;

  constructor(engine: StoreEngine, options: SealedStoreOptions) {
    this.#engine = engine;
    if (engine.leaseStreams !== undefined) this.leaseStreams = engine.leaseStreams.bind(engine);
    this.#codec = new SessionCodec(options.sessionSecret);
    this.#logger = options.logger ?? silentLogger;
    engine.onMissedEvents?.(() => this.#missedEvents());
  }

  async read(id: string): Promise<VersionedSession | null> {
    const record = await this.#engine.read(id);
    if (record === null) return null;
    const session = typeof record.data === 'string' ? this.#open(id, record.data) : null;
    if (session === null) {
      this.#logger.warn('relay.store.unreadable_session');
      return null;
    }
    return { session, version: record.version };
  }

  async commit(change: SessionCommit): Promise<boolean> {
    const { session, expectedVersion, ttlSeconds, aliases, event, keepEvents } = change;
    // Handed back as it is by later reads: nobody may change it behind the store's back.
    deepFreeze(session);
    const data = this.#codec.encode(session);
    const sealedEvent = event === null ? null : this.#codec.encodeEvent(session.id, event);
    let committing: Promise<boolean>;
    this.#committing = sealedEvent === null || event === null ? null : { sessionId: session.id, sealed: sealedEvent, opened: event };
    try {
      committing = this.#engine.commit({ sessionId: session.id, data, expectedVersion, ttlSeconds, aliases, event: sealedEvent, keepEvents });
    } finally {
      this.#committing = null;
    }
    const committed = await committing;
    if (committed) {
      if (ttlSeconds > 0) this.#remember(session.id, { data, session });
      else this.#sessions.delete(session.id);
    }
    return committed;
  }

  /** Throws `SealedWithUnknownKey` when a kept event was sealed with a key this instance does not hold; drops unreadable ones. */
  async events(sessionId: string): Promise<StoredEvent[]> {
    const sealed = await this.#engine.events(sessionId);
    return sealed.flatMap((event) => {
      const opened = this.#openEvent(sessionId, event);
      return opened === null ? [] : [opened];
    });
  }

  listen(sessionId: string, listener: EventListener): Promise<() => void> {
    return this.#engine.listen(sessionId, (sealed) => {
      let opened: StoredEvent | null;
      try {
        opened = this.#openEvent(sessionId, sealed);
      } catch (error) {
        if (!(error instanceof SealedWithUnknownKey)) throw error;
        this.#logger.warn('relay.store.sealed_with_unknown_key', { keyId: error.keyId, heldKeyIds: this.#codec.keyIds, hint: 'RELAY_SESSION_SECRET differs between instances: add a new secret last on every instance before any instance puts it first' });
        opened = null;
      }
      // Listeners read the log when told events were missed: the next readable one is never lost.
      if (opened === null) this.#missedEvents();
      else listener(opened);
    });
  }

  onMissedEvents(listener: () => void): void {
    this.#missedEventListeners.push(listener);
  }

  claim(key: string, ttlSeconds: number, value?: string): Promise<boolean> {
    return this.#engine.claim(key, ttlSeconds, value);
  }

  getValue(key: string): Promise<string | null> {
    return this.#engine.getValue(key);
  }

  setValue(key: string, value: string, ttlSeconds: number): Promise<void> {
    return this.#engine.setValue(key, value, ttlSeconds);
  }

  takeQuota(quotas: readonly Quota[]): Promise<QuotaAnswer> {
    return this.#engine.takeQuota(quotas);
  }

  returnQuota(keys: readonly string[]): Promise<void> {
    return this.#engine.returnQuota(keys);
  }

  connect(): Promise<void> {
    return this.#engine.connect();
  }

  close(): Promise<void> {
    return this.#engine.close();
  }

  #open(id: string, data: string): Session | null {
    const known = this.#sessions.get(id);
    if (known !== undefined && known.data === data) {
      this.#remember(id, known);
      return known.session;
    }
    const session = this.#codec.decode(id, data);
    if (session !== null) this.#remember(id, { data, session: deepFreeze(session) });
    return session;
  }

  #remember(id: string, remembered: Remembered): void {
    this.#sessions.delete(id);
    this.#sessions.set(id, remembered);
    if (this.#sessions.size > REMEMBERED_SESSIONS) {
      const oldest = this.#sessions.keys().next();
      if (oldest.done !== true) this.#sessions.delete(oldest.value);
    }
  }

  #openEvent(sessionId: string, sealed: StoredEvent): StoredEvent | null {
    const committing = this.#committing;
    if (committing !== null && committing.sealed === sealed && committing.sessionId === sessionId) return committing.opened;
    return this.#codec.decodeEvent(sessionId, sealed);
  }

  #missedEvents(): void {
    for (const listener of this.#missedEventListeners) listener();
  }
}
