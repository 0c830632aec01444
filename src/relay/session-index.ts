/**
 * Which verification session a webhook is about. Kount's webhooks name the step-up service's
 * `sessionId` (one-time link, passcode, DocV) or the case's `authenticationId`; the relay writes
 * both into the store whenever it stores a session, so any instance sharing the store can find it.
 */
import type { Session } from './sessions.js';
import type { SessionStore } from './store.js';
import { stepUpSessionIdOf } from './progress.js';

const stepUpKey = (stepUpSessionId: string): string => `k360:step-up:${stepUpSessionId}`;
const caseKey = (authenticationId: string): string => `k360:case:${authenticationId}`;
const mfaKey = (mfaId: string): string => `k360:mfa:${mfaId}`;

export class SessionIndex {
  readonly #store: SessionStore;

  constructor(store: SessionStore) {
    this.#store = store;
  }

  /** Points the session's Kount ids at it for as long as the session lives. */
  async record(session: Session, ttlSeconds: number): Promise<void> {
    // An Account Protection MFA is found by its MFA id only, never by a step-up webhook's ids.
    if (session.mfa !== undefined) {
      await this.#store.setValue(mfaKey(session.mfa.id), session.id, ttlSeconds);
      return;
    }
    const keys = [caseKey(session.authenticationId)];
    for (const action of session.actions) {
      const id = stepUpSessionIdOf(action);
      if (id !== undefined) keys.push(stepUpKey(id));
    }
    await Promise.all(keys.map((key) => this.#store.setValue(key, session.id, ttlSeconds)));
  }

  /** The relay session for a step-up `sessionId` (tried first) or an `authenticationId`, or null. */
  async find(ids: { stepUpSessionId?: string | undefined; authenticationId?: string | undefined }): Promise<string | null> {
    if (ids.stepUpSessionId) {
      const found = await this.#store.getValue(stepUpKey(ids.stepUpSessionId));
      if (found !== null) return found;
    }
    return ids.authenticationId ? this.#store.getValue(caseKey(ids.authenticationId)) : null;
  }

  /** The relay session finishing the Account Protection MFA `mfaId` (`MFA.StatusUpdate.mfaId`), or null. */
  async findMfa(mfaId: string): Promise<string | null> {
    return mfaId === '' ? null : this.#store.getValue(mfaKey(mfaId));
  }
}
