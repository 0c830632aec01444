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
import { sessionAliases } from './session-index.js';
import type { Session } from './sessions.js';
import type { SessionStore, StoredEvent, VersionedSession } from './store/index.js';
import type { Telemetry } from './telemetry.js';
import { secondsUntil } from './time.js';
import { FIELDS_NO_VIEW_READS } from './view.js';

/** The browser's picture of a session at `now`: the writer's only tie to the methods. */
export type RenderView = (session: Session, now: number) => SessionView;

export interface StoredChange {
  /** The session the stored run of the change was given. */
  before: Session;
  /** The session as stored; `before` itself when the change changed nothing (and nothing was stored). */
  after: Session;
  /** The view of `after`, when the change touched a field a view reads (built once, to compare); null otherwise. */
  view: SessionView | null;
}

/** A change's session, with what the change found out on the way (a refusal, the operation it chose...). */
export interface Changed<Result> {
  session: Session;
  result: Result;
}

/** Told of each stored change (not of a new session): the journey's moments that follow from it. */
export type OnStored = (before: Session, after: Session, now: number) => void;

/** Tries of one change against concurrent writers before giving up with 503. */
const MAX_ATTEMPTS = 50;

const NO_VIEW_READS: ReadonlySet<string> = new Set<string>([...FIELDS_NO_VIEW_READS, 'revision']);

export class SessionWriter {
  readonly #store: SessionStore;
  readonly #render: RenderView;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #onStored: OnStored | undefined;
  readonly #telemetry: Telemetry | undefined;

  constructor(dependencies: { store: SessionStore; render: RenderView; now: () => number; logger: Logger; onStored?: OnStored | undefined; telemetry?: Telemetry | undefined }) {
    this.#store = dependencies.store;
    this.#render = dependencies.render;
    this.#now = dependencies.now;
    this.#logger = dependencies.logger;
    this.#onStored = dependencies.onStored;
    this.#telemetry = dependencies.telemetry;
  }

  async load(sessionId: string): Promise<Session> {
    return (await this.#read(sessionId)).session;
  }

  /** Stores a new session with its first view as revision 0's event, and gives that view back. */
  async create(session: Session): Promise<SessionView> {
    const now = this.#now();
    const view = this.#render(session, now);
    if (!(await this.#commit(session, null, now, { id: session.revision, data: JSON.stringify(view) }))) {
      throw new RelayError('internal_error', 'A new verification could not be stored.');
    }
    return view;
  }

  /**
   * Applies `change` to the stored session and stores the result. A session equal to the one it
   * was given stores nothing; throwing refuses the request and stores nothing.
   */
  change(sessionId: string, change: (session: Session, now: number) => Session, read?: VersionedSession): Promise<StoredChange> {
    return this.changeWith(sessionId, (session, now) => ({ session: change(session, now), result: undefined }), read);
  }

  /**
   * `change`, for a change that also hands back what it computed: the `result` of the run that was
   * stored, so a caller never keeps state from a run that was thrown away. `read`: the session as
   * the caller has just read it (with its version), tried first instead of reading it again; a
   * stale one only costs the first attempt, as any concurrent writer does. `quiet`: the caller tells
   * `onStored` itself (after the moments of its own that come first).
   */
  async changeWith<Result>(
    sessionId: string,
    change: (session: Session, now: number) => Changed<Result>,
    read?: VersionedSession,
    quiet = false,
  ): Promise<StoredChange & { result: Result }> {
    let first = read?.session.id === sessionId ? read : undefined;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const { session: before, version } = first ?? (await this.#read(sessionId));
      first = undefined;
      const now = this.#now();
      const { session: changed, result } = change(before, now);
      const stored = this.#toStore(before, changed, now);
      if (stored === null) return { before, after: before, view: null, result };
      if (await this.#commit(stored.after, version, now, stored.event)) {
        if (!quiet) this.#onStored?.(before, stored.after, now);
        return { before, after: stored.after, view: stored.view, result };
      }
      // Another request stored its change first: read it and apply ours on top.
      this.#telemetry?.storeCasRetry();
      if (attempt > 3) await new Promise((resolve) => setTimeout(resolve, Math.random() * attempt));
    }
    this.#logger.warn('relay.store.contention', { attempts: MAX_ATTEMPTS });
    throw new RelayError('store_unavailable', 'The verification service is busy right now. Please try again in a moment.', { retryAfterSeconds: 1 });
  }

  view(session: Session, now: number): SessionView {
    return this.#render(session, now);
  }

  /**
   * What storing `changed` takes: nothing when no field changed; no view when only fields no view
   * reads did; otherwise both views, compared at the same revision, and a visible change gets the
   * next revision in its session, its view and its event (serialised once, here).
   */
  #toStore(before: Session, changed: Session, now: number): { after: Session; view: SessionView | null; event: StoredEvent | null } | null {
    const fields = changedFields(before, changed);
    if (fields.length === 0) return null;
    const unchanged: Session = { ...changed, revision: before.revision };
    if (fields.every((field) => NO_VIEW_READS.has(field))) return { after: unchanged, view: null, event: null };
    const view = this.#render(unchanged, now);
    if (sameJson(view, this.#render(before, now))) return { after: unchanged, view, event: null };
    const after: Session = { ...changed, revision: before.revision + 1 };
    const shown: SessionView = { ...view, revision: after.revision };
    return { after, view: shown, event: { id: after.revision, data: JSON.stringify(shown) } };
  }

  async #read(sessionId: string): Promise<VersionedSession> {
    const stored = await this.#observed('read', () => this.#store.read(sessionId));
    // 422 like a wrong code, so a probe cannot tell a forgotten session from a bad guess (SECURITY 16).
    if (!stored) throw new RelayError('session_unknown', 'This verification could not be found. Please start again.');
    return stored;
  }

  #commit(session: Session, expectedVersion: number | null, now: number, event: StoredEvent | null): Promise<boolean> {
    const commit = () =>
      this.#store.commit({
        session,
        expectedVersion,
        ttlSeconds: secondsUntil(session.expiresAt, now),
        aliases: sessionAliases(session),
        event,
        keepEvents: KEPT_EVENTS,
      });
    const telemetry = this.#telemetry;
    if (telemetry?.recording !== true) return commit();
    return telemetry.inSpan('k360.store.commit', commit, (error) => this.#countStoreError('commit', error));
  }

  /** A store call, its failure counted (`k360.store.errors`) by operation and error type. */
  async #observed<T>(operation: 'read' | 'commit', call: () => Promise<T>): Promise<T> {
    if (this.#telemetry?.recording !== true) return call();
    try {
      return await call();
    } catch (error) {
      this.#countStoreError(operation, error);
      throw error;
    }
  }

  #countStoreError(operation: 'read' | 'commit', error: unknown): void {
    this.#telemetry?.storeError(operation, error instanceof RelayError ? error.code : error instanceof Error ? error.name : 'Error');
  }
}

/** The fields whose values differ (the same object, or an equal copy, is no change). */
function changedFields(before: Session, changed: Session): string[] {
  if (changed === before) return [];
  const left = before as Record<string, unknown>;
  const right = changed as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].filter((key) => left[key] !== right[key] && !sameJson(left[key], right[key]));
}

/**
 * Whether two values would serialise to the same JSON, without serialising them: a property that is
 * undefined counts as absent, and key order does not matter (it never means anything here).
 */
export function sameJson(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) || Array.isArray(right)) {
    return Array.isArray(left) && Array.isArray(right) && left.length === right.length && left.every((item, index) => sameJson(item, right[index]));
  }
  const a = left as Record<string, unknown>;
  const b = right as Record<string, unknown>;
  const keys = definedKeys(a);
  return keys.length === definedKeys(b).length && keys.every((key) => sameJson(a[key], b[key]));
}

function definedKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((key) => record[key] !== undefined);
}
