/**
 * The single-process store: the default, and the demo's. It follows the shared contract exactly
 * (compare-and-set, atomic commits, TTLs, listeners), so code and tests that pass on it behave the
 * same on Redis. Sessions are copied in and out: callers never share mutable state with it.
 */
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

/** Expired entries are swept every this many writes, so memory does not grow with abandoned sessions. */
const SWEEP_EVERY_WRITES = 256;

export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, Entry<SessionEntry>>();
  readonly #values = new Map<string, Entry<string>>();
  readonly #counters = new Map<string, Entry<number>>();
  readonly #listeners = new Map<string, Set<EventListener>>();
  readonly #now: () => number;
  #writesSinceSweep = 0;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Sessions held (expired ones included until they are swept or read). */
  get size(): number {
    return this.#sessions.size;
  }

  async read(id: string): Promise<VersionedSession | null> {
    const entry = this.#read(this.#sessions, id);
    return entry === null ? null : { session: structuredClone(entry.session), version: entry.version };
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
    this.#write(this.#sessions, session.id, { session: structuredClone(session), version, events }, ttlSeconds);
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
    let listeners = this.#listeners.get(sessionId);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(sessionId, listeners);
    }
    // A function of its own per call, so the same listener added twice is removed once per call.
    const entry: EventListener = (event) => listener(event);
    listeners.add(entry);
    return () => {
      const current = this.#listeners.get(sessionId);
      current?.delete(entry);
      if (current?.size === 0) this.#listeners.delete(sessionId);
    };
  }

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    if (this.#read(this.#values, key) !== null) return false;
    this.#write(this.#values, key, '1', ttlSeconds);
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
    entries.set(key, { value, expiresAt: this.#now() + ttlSeconds * 1000 });
    this.#writesSinceSweep += 1;
    if (this.#writesSinceSweep >= SWEEP_EVERY_WRITES) this.#sweep();
  }

  #sweep(): void {
    this.#writesSinceSweep = 0;
    const now = this.#now();
    for (const entries of [this.#sessions, this.#values, this.#counters] as Map<string, Entry<unknown>>[]) {
      for (const [key, entry] of entries) if (now >= entry.expiresAt) entries.delete(key);
    }
  }
}
