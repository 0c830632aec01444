/**
 * The single-process store: the default, and the demo's. It follows the shared contract exactly
 * (compare-and-set, atomic commits, TTLs, listeners), so code and tests that pass on it behave the
 * same on Redis. Sessions are immutable values: the store freezes what it is given (deeply, so a
 * change that writes into a stored session throws instead of changing it behind the store's back)
 * and hands out the same frozen value, with no copy in or out.
 */
import { deepFreeze } from '../objects.js';
import type { Session } from '../sessions.js';
import type { EventListener, Quota, QuotaAnswer, SessionCommit, SessionStore, StoredEvent, VersionedSession } from './session-store.js';

interface Entry<Value> {
  value: Value;
  expiresAt: number;
}

interface SessionEntry {
  session: Session;
  version: number;
  events: StoredEvent[];
}

/**
 * Each write looks at this many more held entries of the map it writes (in turn, from where the last
 * write stopped) and drops the expired ones, so memory does not grow with abandoned sessions and no
 * write pays for the whole map: every entry is looked at once per `size / EXAMINED_PER_WRITE` writes.
 */
const EXAMINED_PER_WRITE = 4;

type Entries = Map<string, Entry<unknown>>;

export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, Entry<SessionEntry>>();
  readonly #values = new Map<string, Entry<string>>();
  readonly #counters = new Map<string, Entry<number>>();
  /** Per session, its listeners: an array made to fit (one stream per session is the usual case, and a Set costs it ~130 bytes more). */
  readonly #listeners = new Map<string, EventListener[]>();
  readonly #now: () => number;
  /** Where each map's expiry walk stands (a Map's iterator survives inserts and deletes). */
  readonly #expiryWalks = new Map<Entries, Iterator<[string, Entry<unknown>]>>();

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Sessions held (expired ones included until a write's expiry walk or a read drops them). */
  get size(): number {
    return this.#sessions.size;
  }

  async read(id: string): Promise<VersionedSession | null> {
    const entry = this.#read(this.#sessions, id);
    return entry === null ? null : { session: entry.session, version: entry.version };
  }

  /** The stored session alone (tests look at what was stored). */
  async get(id: string): Promise<Session | null> {
    return (await this.read(id))?.session ?? null;
  }

  async commit(change: SessionCommit): Promise<boolean> {
    // No await before the write: a commit cannot interleave with another one.
    const { session, expectedVersion, ttlSeconds, aliases, event, keepEvents } = change;
    const current = this.#read(this.#sessions, session.id);
    if ((current?.version ?? null) !== expectedVersion) return false;
    const kept = current?.events ?? [];
    const events = event === null ? kept : [...kept.filter((old) => old.id < event.id), event].slice(-keepEvents);
    const version = expectedVersion === null ? 0 : expectedVersion + 1;
    this.#write(this.#sessions, session.id, { session: deepFreeze(session), version, events }, ttlSeconds);
    for (const alias of aliases) this.#write(this.#values, alias, session.id, ttlSeconds);
    if (event === null) return true;
    for (const listener of [...(this.#listeners.get(session.id) ?? [])]) {
      try {
        listener(event);
      } catch {
        // The write has happened; a listener's own trouble is its own (LiveUpdates logs it).
      }
    }
    return true;
  }

  async events(sessionId: string): Promise<StoredEvent[]> {
    return [...(this.#read(this.#sessions, sessionId)?.events ?? [])];
  }

  async listen(sessionId: string, listener: EventListener): Promise<() => void> {
    const listeners = this.#listeners.get(sessionId);
    // A function of its own when this one listens already, so the same listener added twice is removed once per call.
    const entry: EventListener = listeners?.includes(listener) === true ? (event) => listener(event) : listener;
    const held = listeners ?? [entry];
    if (listeners === undefined) this.#listeners.set(sessionId, held);
    else held.push(entry);
    return () => {
      const index = held.indexOf(entry);
      if (index < 0) return;
      held.splice(index, 1);
      if (held.length === 0 && this.#listeners.get(sessionId) === held) this.#listeners.delete(sessionId);
    };
  }

  async claim(key: string, ttlSeconds: number, value = '1'): Promise<boolean> {
    if (this.#read(this.#values, key) !== null) return false;
    this.#write(this.#values, key, value, ttlSeconds);
    return true;
  }

  async getValue(key: string): Promise<string | null> {
    return this.#read(this.#values, key);
  }

  async setValue(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.#write(this.#values, key, value, ttlSeconds);
  }

  async takeQuota(quotas: readonly Quota[]): Promise<QuotaAnswer> {
    const now = this.#now();
    const live = (key: string): Entry<number> | undefined => {
      const entry = this.#counters.get(key);
      return entry !== undefined && now < entry.expiresAt ? entry : undefined;
    };
    for (const { key, limit } of quotas) {
      const entry = live(key);
      if (entry !== undefined && entry.value >= limit) return { taken: false, key, retryAfterSeconds: Math.max(1, Math.ceil((entry.expiresAt - now) / 1000)) };
    }
    for (const { key, windowSeconds } of quotas) {
      const entry = live(key);
      if (entry === undefined) this.#write(this.#counters, key, 1, windowSeconds);
      else entry.value += 1;
    }
    return { taken: true };
  }

  async returnQuota(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const entry = this.#counters.get(key);
      if (entry !== undefined && entry.value > 0) entry.value -= 1;
    }
  }

  async connect(): Promise<void> {}

  async close(): Promise<void> {
    this.#listeners.clear();
  }

  #read<Value>(entries: Map<string, Entry<Value>>, key: string): Value | null {
    const entry = entries.get(key);
    if (!entry) return null;
    if (this.#now() >= entry.expiresAt) {
      entries.delete(key);
      return null;
    }
    return entry.value;
  }

  #write<Value>(entries: Map<string, Entry<Value>>, key: string, value: Value, ttlSeconds: number): void {
    if (ttlSeconds <= 0) {
      entries.delete(key);
      return;
    }
    const now = this.#now();
    entries.set(key, { value, expiresAt: now + ttlSeconds * 1000 });
    this.#expireSome(entries as Entries, now);
  }

  #expireSome(entries: Entries, now: number): void {
    let walk = this.#expiryWalks.get(entries);
    for (let examined = 0; examined < EXAMINED_PER_WRITE; examined += 1) {
      let next = walk?.next();
      if (next === undefined || next.done === true) {
        walk = entries.entries();
        next = walk.next();
        if (next.done === true) break;
      }
      const [key, entry] = next.value;
      if (now >= entry.expiresAt) entries.delete(key);
    }
    if (walk !== undefined) this.#expiryWalks.set(entries, walk);
  }
}
