/**
 * The one place a session is loaded, changed and stored. A change is a pure function of the stored
 * session; it is stored only if nobody (on any instance) changed the session in between, and run
 * again on the new state otherwise. So concurrent answers, resends and webhooks never overwrite
 * each other, and the limits computed in a change are exact. A change the browser can see gets the
 * next revision, and its view goes to the replay log and to every stream in the same atomic
 * commit; a change it cannot see (an answer reserved before Kount is asked) keeps the revision.
 */
import type { SessionView } from '../contract/browser.js';
import { RelayError } from './errors.js';
import { KEPT_EVENTS } from './live-updates.js';
import type { Logger } from './logger.js';
import type { Methods } from './methods/index.js';
import { sessionAliases } from './session-index.js';
import type { Session } from './sessions.js';
import type { SessionStore, StoredEvent, VersionedSession } from './store/index.js';
import { secondsUntil } from './time.js';
import { buildView } from './view.js';

export interface StoredChange {
  before: Session;
  after: Session;
}

/** Tries of one change against concurrent writers before giving up with 503. */
const MAX_ATTEMPTS = 50;

export class SessionWriter {
  readonly #store: SessionStore;
  readonly #methods: Methods;
  readonly #now: () => number;
  readonly #logger: Logger;

  constructor(dependencies: { store: SessionStore; methods: Methods; now: () => number; logger: Logger }) {
    this.#store = dependencies.store;
    this.#methods = dependencies.methods;
    this.#now = dependencies.now;
    this.#logger = dependencies.logger;
  }

  async load(sessionId: string): Promise<Session> {
    return (await this.#read(sessionId)).session;
  }

  async create(session: Session): Promise<void> {
    const now = this.#now();
    if (!(await this.#commit(session, null, now, this.#event(session, now)))) {
      throw new RelayError('internal_error', 'A new verification could not be stored.');
    }
  }

  /**
   * Applies `change` to the stored session and stores the result. Returning the session it was
   * given stores nothing; throwing refuses the request and stores nothing.
   */
  async change(sessionId: string, change: (session: Session, now: number) => Session): Promise<StoredChange> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const { session: before, version } = await this.#read(sessionId);
      const now = this.#now();
      const changed = change(before, now);
      if (changed === before) return { before, after: before };
      // Views are compared at the same revision; a visible change then gets the next one, in its session and its event.
      const unchanged = { ...changed, revision: before.revision };
      const view = this.view(unchanged, now);
      const visible = JSON.stringify(view) !== JSON.stringify(this.view(before, now));
      const after: Session = visible ? { ...changed, revision: before.revision + 1 } : unchanged;
      const event = visible ? { id: after.revision, data: JSON.stringify({ ...view, revision: after.revision }) } : null;
      if (await this.#commit(after, version, now, event)) return { before, after };
      // Another request stored its change first: read it and apply ours on top.
      if (attempt > 3) await new Promise((resolve) => setTimeout(resolve, Math.random() * attempt));
    }
    this.#logger.warn('relay.store.contention', { attempts: MAX_ATTEMPTS });
    throw new RelayError('store_unavailable', 'The verification service is busy right now. Please try again in a moment.', { retryAfterSeconds: 1 });
  }

  view(session: Session, now: number): SessionView {
    return buildView(session, now, this.#methods);
  }

  async #read(sessionId: string): Promise<VersionedSession> {
    const stored = await this.#store.read(sessionId);
    // 422 like a wrong code, so a probe cannot tell a forgotten session from a bad guess (SECURITY 16).
    if (!stored) throw new RelayError('session_unknown', 'This verification could not be found. Please start again.');
    return stored;
  }

  #event(session: Session, now: number): StoredEvent {
    return { id: session.revision, data: JSON.stringify(this.view(session, now)) };
  }

  #commit(session: Session, expectedVersion: number | null, now: number, event: StoredEvent | null): Promise<boolean> {
    return this.#store.commit({
      session,
      expectedVersion,
      ttlSeconds: secondsUntil(session.expiresAt, now),
      aliases: sessionAliases(session),
      event,
      keepEvents: KEPT_EVENTS,
    });
  }
}
