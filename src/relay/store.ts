/**
 * Where verification sessions live between requests. The interface is async and stores whole
 * sessions by id with a lifetime, so a shared store (Redis: `SET id json EX ttl`) can replace the
 * memory one when the relay runs on several instances.
 *
 * Beside sessions it keeps small string values by key, each with a lifetime: which session a Kount
 * step-up id belongs to, the last live-update events of a session, and the ids of webhook events
 * already taken. In a shared store these survive a restart, so a webhook Kount re-sends after one
 * is still recognised (SECURITY 22).
 */
import type { Session } from './sessions.js';

export interface SessionStore {
  get(id: string): Promise<Session | null>;
  /** Insert or replace; the session disappears after `ttlSeconds`. */
  set(session: Session, ttlSeconds: number): Promise<void>;
  delete(id: string): Promise<void>;
  /**
   * Records `key` for `ttlSeconds` unless it is already recorded, atomically (Redis: `SET key 1 NX EX ttl`).
   * True when this call recorded it: of several concurrent claims of one key exactly one wins.
   */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  getValue(key: string): Promise<string | null>;
  /** Insert or replace; the value disappears after `ttlSeconds` (at once when it is 0 or less). */
  setValue(key: string, value: string, ttlSeconds: number): Promise<void>;
}

interface StoredEntry<Value> {
  value: Value;
  expiresAt: number;
}

/** Expired entries are swept every this many writes, so memory does not grow with abandoned sessions. */
const SWEEP_EVERY_WRITES = 256;

/** Single-process store. Sessions are copied in and out so callers never share mutable state with it. */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, StoredEntry<Session>>();
  readonly #values = new Map<string, StoredEntry<string>>();
  readonly #now: () => number;
  #writesSinceSweep = 0;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Sessions held (expired ones included until they are swept or read). */
  get size(): number {
    return this.#sessions.size;
  }

  async get(id: string): Promise<Session | null> {
    const session = this.#read(this.#sessions, id);
    return session === null ? null : structuredClone(session);
  }

  async set(session: Session, ttlSeconds: number): Promise<void> {
    this.#write(this.#sessions, session.id, structuredClone(session), ttlSeconds);
  }

  async delete(id: string): Promise<void> {
    this.#sessions.delete(id);
  }

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    // No await between the check and the write: concurrent claims cannot interleave here.
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

  #read<Value>(entries: Map<string, StoredEntry<Value>>, key: string): Value | null {
    const entry = entries.get(key);
    if (!entry) return null;
    if (this.#now() >= entry.expiresAt) {
      entries.delete(key);
      return null;
    }
    return entry.value;
  }

  #write<Value>(entries: Map<string, StoredEntry<Value>>, key: string, value: Value, ttlSeconds: number): void {
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
    for (const entries of [this.#sessions, this.#values] as Map<string, StoredEntry<unknown>>[]) {
      for (const [key, entry] of entries) if (now >= entry.expiresAt) entries.delete(key);
    }
  }
}

/** `RELAY_STORE_URL` → store. Only `memory:` exists today; the config schema rejects anything else. */
export function createStoreFromUrl(storeUrl: string, now: () => number): SessionStore {
  if (storeUrl === 'memory:') return new MemorySessionStore({ now });
  throw new Error(`RELAY_STORE_URL: unsupported store "${storeUrl.split(':')[0] ?? ''}:" (only memory: in this version)`);
}
