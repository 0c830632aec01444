/**
 * Where verification sessions live between requests. The interface is async and stores whole
 * sessions by id with a lifetime, so a shared store (Redis: `SET id json EX ttl`) can replace the
 * memory one when the relay runs on several instances.
 */
import type { Session } from './sessions.js';

export interface SessionStore {
  get(id: string): Promise<Session | null>;
  /** Insert or replace; the session disappears after `ttlSeconds`. */
  set(session: Session, ttlSeconds: number): Promise<void>;
  delete(id: string): Promise<void>;
}

interface StoredEntry {
  session: Session;
  expiresAt: number;
}

/** Expired entries are swept every this many writes, so memory does not grow with abandoned sessions. */
const SWEEP_EVERY_WRITES = 256;

/** Single-process store. Sessions are copied in and out so callers never share mutable state with it. */
export class MemorySessionStore implements SessionStore {
  readonly #entries = new Map<string, StoredEntry>();
  readonly #now: () => number;
  #writesSinceSweep = 0;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  async get(id: string): Promise<Session | null> {
    const entry = this.#entries.get(id);
    if (!entry) return null;
    if (this.#now() >= entry.expiresAt) {
      this.#entries.delete(id);
      return null;
    }
    return structuredClone(entry.session);
  }

  async set(session: Session, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) {
      this.#entries.delete(session.id);
      return;
    }
    this.#entries.set(session.id, { session: structuredClone(session), expiresAt: this.#now() + ttlSeconds * 1000 });
    this.#writesSinceSweep += 1;
    if (this.#writesSinceSweep >= SWEEP_EVERY_WRITES) this.#sweep();
  }

  async delete(id: string): Promise<void> {
    this.#entries.delete(id);
  }

  #sweep(): void {
    this.#writesSinceSweep = 0;
    const now = this.#now();
    for (const [id, entry] of this.#entries) if (now >= entry.expiresAt) this.#entries.delete(id);
  }
}

/** `RELAY_STORE_URL` → store. Only `memory:` exists today; the config schema rejects anything else. */
export function createStoreFromUrl(storeUrl: string, now: () => number): SessionStore {
  if (storeUrl === 'memory:') return new MemorySessionStore({ now });
  throw new Error(`RELAY_STORE_URL: unsupported store "${storeUrl.split(':')[0] ?? ''}:" (only memory: in this version)`);
}
