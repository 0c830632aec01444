/**
 * `abandoned`: a session that reaches its end undecided. The store forgets a session when it ends
 * (its TTL), so nothing is left to read afterwards: the instance that started the challenge looks
 * at it in its last second instead, and tells `abandoned` when it is still undecided then. After
 * that second the shopper's handle has expired and no webhook can find the session, so only a
 * decision stored within that last second could still follow (it is told too, as `decided`).
 *
 * Kept in this instance's memory: a session whose instance stopped before its end is not told.
 * Watched only while someone listens (an `onEvent` listener, or OpenTelemetry recording).
 */
import type { Logger } from './logger.js';
import type { Session } from './sessions.js';
import type { SessionStore } from './store/index.js';

/** How long before its end a session is looked at (its last second). */
export const ABANDON_LOOK_AHEAD_MS = 1_000;
/** How often the due sessions are looked at. */
const SWEEP_EVERY_MS = 500;

interface Watched {
  sessionId: string;
  /** When to look: the session's end less the look-ahead (later, after a failed read). */
  dueAt: number;
  endsAt: number;
}

export interface AbandonedSessionsDependencies {
  store: SessionStore;
  now: () => number;
  logger: Logger;
  /** Told each session found undecided in its last second, as stored then. */
  abandoned: (session: Session, now: number) => void;
}

export class AbandonedSessions {
  readonly #dependencies: AbandonedSessionsDependencies;
  /** Oldest due first from `#head` on; new sessions almost always go last (they share one TTL). */
  readonly #due: Watched[] = [];
  /** Where the entries not yet looked at start: taken from the front without moving the rest. */
  #head = 0;
  /** The sessions in the list, by id. */
  readonly #watched = new Set<string>();
  /** Those of them decided on this instance before their end: no read is needed to know they were not abandoned. */
  readonly #decided = new Set<string>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #sweeping: Promise<void> | undefined;
  #closed = false;

  constructor(dependencies: AbandonedSessionsDependencies) {
    this.#dependencies = dependencies;
  }

  get watching(): number {
    return this.#due.length - this.#head;
  }

  /** A decision this instance stored: the session is not looked at when it ends. */
  decided(sessionId: string): void {
    if (this.#watched.has(sessionId)) this.#decided.add(sessionId);
  }

  watch(session: Session): void {
    if (this.#closed) return;
    this.#watched.add(session.id);
    this.#insert({ sessionId: session.id, dueAt: session.expiresAt - ABANDON_LOOK_AHEAD_MS, endsAt: session.expiresAt });
  }

  #insert(entry: Watched): void {
    if (this.#closed) return;
    let index = this.#due.length;
    while (index > this.#head && this.#due[index - 1]!.dueAt > entry.dueAt) index -= 1;
    this.#due.splice(index, 0, entry);
    // Unref'd: a pending look never keeps the process alive.
    this.#timer ??= setInterval(() => void this.sweep(), SWEEP_EVERY_MS).unref();
  }

  /** Looks at every session due by now (the timer calls it; tests with their own clock may too). */
  sweep(): Promise<void> {
    return (this.#sweeping ??= this.#sweepDue().finally(() => (this.#sweeping = undefined)));
  }

  /** Stops watching: a stopping instance tells nothing more. */
  close(): void {
    this.#closed = true;
    this.#due.splice(0);
    this.#head = 0;
    this.#watched.clear();
    this.#decided.clear();
    this.#stopTimer();
  }

  async #sweepDue(): Promise<void> {
    const { now } = this.#dependencies;
    while (this.#head < this.#due.length && this.#due[this.#head]!.dueAt <= now()) {
      const entry = this.#due[this.#head]!;
      this.#head += 1;
      if (this.#decided.delete(entry.sessionId)) {
        this.#watched.delete(entry.sessionId);
        continue;
      }
      await this.#look(entry);
    }
    // Drop what was looked at once it is most of the array: one move for many entries, not one per entry.
    if (this.#head > 1024 && this.#head * 2 > this.#due.length) {
      this.#due.splice(0, this.#head);
      this.#head = 0;
    }
    if (this.watching === 0) {
      this.#due.splice(0);
      this.#head = 0;
      this.#watched.clear();
      this.#decided.clear();
      this.#stopTimer();
    }
  }

  async #look(entry: Watched): Promise<void> {
    const { store, now, logger, abandoned } = this.#dependencies;
    this.#watched.delete(entry.sessionId);
    let session: Session | undefined;
    try {
      session = (await store.read(entry.sessionId))?.session;
    } catch (error) {
      // The store is unreachable: try again at the next sweep while the session lives.
      const retryAt = now() + SWEEP_EVERY_MS;
      if (retryAt < entry.endsAt) {
        this.#watched.add(entry.sessionId);
        this.#insert({ ...entry, dueAt: retryAt });
      } else logger.warn('relay.abandoned_check_failed', { error });
      return;
    }
    if (session === undefined || session.decision !== null) return;
    const at = now();
    // A session whose end moved later (none does today) is looked at again then.
    if (session.expiresAt - ABANDON_LOOK_AHEAD_MS > at) return this.watch(session);
    abandoned(session, at);
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
