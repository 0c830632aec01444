/**
 * Where the relay keeps what must outlive a request: verification sessions, the keys that lead to
 * them (Kount's ids), their live-update events, and small values (webhook event ids). One contract,
 * two layers: an engine (`StoreEngine`) keeps text it cannot read (memory for one process, the
 * default and the demo's; Redis for several instances; or the host's own), and the sealing layer
 * above it (`SealedSessionStore`, the `SessionStore` the relay uses) turns sessions and their views
 * into sealed text and back, whichever engine is below (SECURITY 42).
 *
 * Sessions change by compare-and-set on a version the store keeps for each: a change is written only
 * when the stored session still has the version it was computed from, so two instances changing one
 * session at once cannot both win, and no update is lost (the loser reads again and re-applies).
 * The write is atomic with its side effects: the session, the aliases naming it, its event in the
 * replay log and the notice to listeners on every instance happen together or not at all.
 */
import type { Session } from '../sessions.js';

/** One live-update event: the view's revision (the SSE id) and the view as JSON (sealed, in an engine). */
export interface StoredEvent {
  id: number;
  data: string;
}

export type EventListener = (event: StoredEvent) => void;

/** A stored session and the version the store gave its last write. */
export interface VersionedSession {
  session: Session;
  version: number;
}

export interface SessionCommit {
  session: Session;
  /** The version the change was computed from; null when creating the session. The write gets the next one. */
  expectedVersion: number | null;
  /** Life of the session, its aliases and its events from now; 0 or less removes them. */
  ttlSeconds: number;
  /** Value keys that name this session (Kount's ids), written with the session id as their value. */
  aliases: readonly string[];
  /** The session's new view when the browser can see a change: kept in its replay log (the last `keepEvents`) and sent to listeners. */
  event: StoredEvent | null;
  keepEvents: number;
}

/** One counter of a rate limit: at most `limit` takes in a window of `windowSeconds` that starts with the first take. */
export interface Quota {
  key: string;
  limit: number;
  windowSeconds: number;
}

export type QuotaAnswer = { taken: true } | { taken: false; key: string; retryAfterSeconds: number };

/** A set of open event streams' leases and the most it holds: a session's streams, or a client network's (SECURITY 43). */
export interface LeaseSet {
  key: string;
  limit: number;
}

/** An open event stream's lease: an opaque id (it names nobody), and the sets it counts in. */
export interface StreamLease {
  id: string;
  sets: readonly LeaseSet[];
}

export type LeaseChange = 'open' | 'renew' | 'release';

/** What both layers offer alike: values, claims and quotas hold no personal data and are kept as they are. */
export interface StoreValues {
  /**
   * Calls `listener` whenever events may have been lost on their way to this instance's listeners
   * (Redis: the subscriber connection came back after a drop; the sealing layer: a view that did not
   * open). Streams then read what they missed from the log; an engine whose delivery cannot drop
   * events (memory) leaves this out.
   */
  onMissedEvents?(listener: () => void): void;
  /**
   * Records `key` (with `value`, '1' when left out) for `ttlSeconds` unless it is already recorded,
   * atomically (Redis: `SET key value NX PX ttl`). True when this call recorded it: of several
   * concurrent claims of one key exactly one wins.
   */
  claim(key: string, ttlSeconds: number, value?: string): Promise<boolean>;
  getValue(key: string): Promise<string | null>;
  /**
   * Takes one from every quota, or from none: when one is used up nothing is counted, and the answer
   * names it with the seconds until its window ends. Atomic, so concurrent takes on any instance
   * never pass a limit.
   */
  takeQuota(quotas: readonly Quota[]): Promise<QuotaAnswer>;
  /** Gives one back to each counter (never below zero): a take for a send that did not happen. */
  returnQuota(keys: readonly string[]): Promise<void>;
  /**
   * Leases of open event streams, so that streams are bounded over every instance (SECURITY 43).
   * `open` puts each lease in each of its sets as the newest (a lease a set holds already keeps its
   * place) and takes the oldest out of a set holding more than its limit; `renew` keeps each lease
   * a set still holds for `ttlSeconds` more; `release` takes them out. A lease not renewed within
   * `ttlSeconds` (its instance stopped) is dropped. Answers the ids of the leases whose streams must
   * end: those `open` took out, and those `renew` found gone from one of their sets. An engine
   * without it (a host's own) bounds streams per instance only.
   */
  leaseStreams?(change: LeaseChange, leases: readonly StreamLease[], ttlSeconds: number): Promise<string[]>;
  /** Insert or replace; the value disappears after `ttlSeconds` (at once when it is 0 or less). */
  setValue(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Opens connections and checks credentials, so a wrong configuration stops start-up. */
  connect(): Promise<void>;
  /** Closes connections; the store is not used afterwards. */
  close(): Promise<void>;
}

/** The store as the relay uses it: sessions and views in the clear, sealed on their way to the engine. */
export interface SessionStore extends StoreValues {
  /**
   * The stored session and its version, or null when there is none (never stored, expired or
   * unreadable). Throws `SealedWithUnknownKey` (503) when the engine holds it sealed with a key
   * this instance does not hold: the session exists, this instance cannot open it.
   */
  read(id: string): Promise<VersionedSession | null>;
  /** Compare-and-set, atomically with the aliases and the event. False when the version moved on. */
  commit(change: SessionCommit): Promise<boolean>;
  /** The session's kept events, oldest first. */
  events(sessionId: string): Promise<StoredEvent[]>;
  /**
   * Calls `listener` with each event committed for the session from now on, by any instance sharing
   * the store. Resolves once listening, so an event committed after that is never missed.
   */
  listen(sessionId: string, listener: EventListener): Promise<() => void>;
}

/** A session as an engine holds it: sealed text, and the version the engine gave its last write. */
export interface StoredRecord {
  data: string;
  version: number;
}

/** `SessionCommit` as an engine gets it: the session and the event's data are sealed text. */
export interface RecordCommit {
  sessionId: string;
  data: string;
  expectedVersion: number | null;
  ttlSeconds: number;
  aliases: readonly string[];
  event: StoredEvent | null;
  keepEvents: number;
}

/**
 * What a store engine does: keep text it never reads, with the same guarantees as `SessionStore`
 * (compare-and-set on the version, a commit atomic with its aliases, its event and the notice to
 * listeners, TTLs). `read` answers null only when it holds nothing for the id; it hands back the
 * text it was given, unchanged. The relay's `store` option takes one (the host's own engine sees
 * only sealed text) and puts the sealing layer above it.
 */
export interface StoreEngine extends StoreValues {
  read(sessionId: string): Promise<StoredRecord | null>;
  commit(change: RecordCommit): Promise<boolean>;
  /** The session's kept events (their data sealed), oldest first. */
  events(sessionId: string): Promise<StoredEvent[]>;
  /** Calls `listener` with each event (its data sealed) committed for the session from now on, by any instance sharing the engine. */
  listen(sessionId: string, listener: EventListener): Promise<() => void>;
}
