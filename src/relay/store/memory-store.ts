/**
 * The single-process engine: the default, and the demo's. It follows the shared contract exactly
 * (compare-and-set, atomic commits, TTLs, listeners), so code and tests that pass on it behave the
 * same on Redis. It holds sessions and views as the sealing layer gives them (sealed text), and
 * hands listeners the very event object it was given (the sealing layer then opens nothing).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { Session } from '../sessions.js';
import { SealedSessionStore } from './sealed-store.js';
import type { EventListener, LeaseChange, Quota, QuotaAnswer, RecordCommit, StoreEngine, StoredEvent, StoredRecord, StreamLease } from './session-store.js';

interface Entry<Value> {
  value: Value;
  expiresAt: number;
}

interface SessionEntry {
  data: string;
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

export class MemoryStoreEngine implements StoreEngine {
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

  async read(id: string): Promise<StoredRecord | null> {
    const entry = this.#read(this.#sessions, id);
    return entry === null ? null : { data: entry.data, version: entry.version };
  }

  async commit(change: RecordCommit): Promise<boolean> {
    // No await before the write: a commit cannot interleave with another one.
    const { sessionId, data, expectedVersion, ttlSeconds, aliases, event, keepEvents } = change;
    const current = this.#read(this.#sessions, sessionId);
    if ((current?.version ?? null) !== expectedVersion) return false;
    const kept = current?.events ?? [];
    const events = event === null ? kept : [...kept.filter((old) => old.id < event.id), event].slice(-keepEvents);
    const version = expectedVersion === null ? 0 : expectedVersion + 1;
    this.#write(this.#sessions, sessionId, { data, version, events }, ttlSeconds);
    for (const alias of aliases) this.#write(this.#values, alias, sessionId, ttlSeconds);
    if (event === null) return true;
    for (const listener of [...(this.#listeners.get(sessionId) ?? [])]) {
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

  /** Per lease set, its leases in the order they were first opened (one process opens them one after another). */
  readonly #leaseSets = new Map<string, HeldLease>();
  /** Lease times count tenths of a second from the first lease: small integers, which V8 keeps unboxed (for years). */
  #leaseEpoch: number | undefined;

  async leaseStreams(change: LeaseChange, leases: readonly StreamLease[], ttlSeconds: number): Promise<string[]> {
    this.#leaseEpoch ??= this.#now();
    const now = Math.floor((this.#now() - this.#leaseEpoch) / 100);
    const expiresAt = now + Math.ceil(ttlSeconds * 10);
    const ended = new Set<string>();
    for (const { id, sets } of leases) {
      // Taken out of one set by this opening: out of its later sets too, so it is not counted there.
      const dropped: string[] = [];
      for (const { key, limit } of sets) {
        if (change === 'renew') {
          // Every heartbeat, for every stream: a walk, nothing built (an expired lease left in the chain counts nowhere).
          let mine = this.#leaseSets.get(key);
          while (mine !== undefined && (mine.id !== id || mine.expiresAt <= now)) mine = mine.next;
          if (mine === undefined) ended.add(id);
          else mine.expiresAt = expiresAt;
          continue;
        }
        const held: HeldLease[] = [];
        for (let lease = this.#leaseSets.get(key); lease !== undefined; lease = lease.next) {
          if (lease.expiresAt > now && !dropped.includes(lease.id)) held.push(lease);
        }
        const mine = held.findIndex((lease) => lease.id === id);
        if (change === 'release') {
          if (mine >= 0) held.splice(mine, 1);
        } else if (mine >= 0) {
          (held[mine] as HeldLease).expiresAt = expiresAt;
        } else {
          held.push(new HeldLease(id, expiresAt));
          for (const oldest of held.splice(0, Math.max(0, held.length - limit))) {
            ended.add(oldest.id);
            dropped.push(oldest.id);
          }
        }
        held.forEach((lease, index) => (lease.next = held[index + 1]));
        if (held[0] === undefined) this.#leaseSets.delete(key);
        else this.#leaseSets.set(key, held[0]);
      }
    }
    return [...ended];
  }
}

/** A set's leases as a chain, oldest first: one lease (a session's one stream, the usual case) is one small object. */
class HeldLease {
  readonly id: string;
  expiresAt: number;
  next: HeldLease | undefined;

  constructor(id: string, expiresAt: number) {
    this.id = id;
    this.expiresAt = expiresAt;
    this.next = undefined;
  }
}

/**
 * The memory engine under the sealing layer: what `RELAY_STORE_URL=memory:` gives, and a store a
 * test or a host can share between relays in one process. Without `sessionSecret` it seals with a
 * key of its own, made at random: nothing it holds outlives the process anyway.
 */
export class MemorySessionStore extends SealedSessionStore {
  readonly #engine: MemoryStoreEngine;

  constructor(options: { now?: () => number; sessionSecret?: string | readonly string[]; logger?: Logger } = {}) {
    const engine = new MemoryStoreEngine({ now: options.now });
    super(engine, { sessionSecret: options.sessionSecret ?? randomBytes(32).toString('base64url'), logger: options.logger });
    this.#engine = engine;
  }

  /** Sessions held (expired ones included until a write's expiry walk or a read drops them). */
  get size(): number {
    return this.#engine.size;
  }

  /** The stored session alone (tests look at what was stored). */
  async get(id: string): Promise<Session | null> {
    return (await this.read(id))?.session ?? null;
  }
}
