/**
 * Which verification session a webhook is about. Kount's webhooks name the step-up service's
 * `sessionId` (one-time link, passcode, DocV) or the case's `authenticationId`, Account Protection's
 * the MFA id; every commit of a session writes these aliases with it, so any instance sharing the
 * store can find it.
 */
import type { StrategyAction } from '../contract/kount/index.js';
import type { Session } from './sessions.js';
import type { SessionStore } from './store/index.js';

/** The step-up session id Kount gave an action (webhooks name it). */
export function stepUpSessionIdOf(action: StrategyAction): string | undefined {
  const id = action.data?.sessionId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

const stepUpKey = (stepUpSessionId: string): string => `step-up:${stepUpSessionId}`;
const caseKey = (authenticationId: string): string => `case:${authenticationId}`;
const mfaKey = (mfaId: string): string => `mfa:${mfaId}`;

/** The store keys that name `session`, written with each commit for as long as the session lives. */
export function sessionAliases(session: Session): string[] {
  // An Account Protection MFA is found by its MFA id only, never by a step-up webhook's ids.
  if (session.mfa !== undefined) return [mfaKey(session.mfa.id)];
  const keys = [caseKey(session.authenticationId)];
  for (const action of session.actions) {
    const id = stepUpSessionIdOf(action);
    if (id !== undefined) keys.push(stepUpKey(id));
  }
  return keys;
}

export class SessionIndex {
  readonly #store: SessionStore;

  constructor(store: SessionStore) {
    this.#store = store;
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
