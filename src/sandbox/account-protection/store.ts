import type { AccountProtectionFlow } from './personas.js';
import { secretKey } from '../constant-time.js';
import type { MfaSession, MfaStatusUpdatePayload } from './mfa-session.js';

interface IssuedDecision {
  readonly flow: AccountProtectionFlow;
  readonly accountId: string | undefined;
}

const MAX_KEPT = 10_000;

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= MAX_KEPT) break;
    map.delete(oldest);
  }
}

/** Everything the Account Protection part of the sandbox remembers; `clear()` runs on `POST /sandbox/reset`. */
export class AccountProtectionStore {
  readonly #failedAttempts = new Map<string, number>();
  readonly #decisions = new Map<string, IssuedDecision>();
  readonly #sessions = new Map<string, MfaSession>();
  /** Every link token ever sent, so an old link's page can say it was replaced. */
  readonly #links = new Map<string, MfaSession>();
  readonly #events: MfaStatusUpdatePayload[] = [];

  failedAttempts(accountId: string | undefined): number {
    return accountId === undefined ? 0 : (this.#failedAttempts.get(accountId) ?? 0);
  }

  countFailedAttempt(accountId: string): number {
    const count = this.failedAttempts(accountId) + 1;
    remember(this.#failedAttempts, accountId, count);
    return count;
  }

  /** A passed challenge (MFA verified, or a successful Challenge Outcome) clears the account's failures. */
  clearFailedAttempts(accountId: string | undefined): void {
    if (accountId !== undefined) this.#failedAttempts.delete(accountId);
  }

  recordDecision(correlationId: string, decision: IssuedDecision): void {
    remember(this.#decisions, correlationId, decision);
  }

  decision(correlationId: string): IssuedDecision | undefined {
    return this.#decisions.get(correlationId);
  }

  addSession(session: MfaSession): void {
    remember(this.#sessions, session.id, session);
    this.trackLink(session);
  }

  /** Call after a send or resend: the session's newest link becomes findable. */
  trackLink(session: MfaSession): void {
    if (session.linkToken) remember(this.#links, secretKey(session.linkToken), session);
  }

  session(id: string): MfaSession | undefined {
    return this.#sessions.get(id);
  }

  sessionForLink(token: string): MfaSession | undefined {
    return this.#links.get(secretKey(token));
  }

  recordEvent(event: MfaStatusUpdatePayload): void {
    this.#events.push(event);
    if (this.#events.length > 1000) this.#events.splice(0, this.#events.length - 1000);
  }

  events(mfaId?: string): readonly MfaStatusUpdatePayload[] {
    return mfaId === undefined ? [...this.#events] : this.#events.filter((event) => event.mfaId === mfaId);
  }

  clear(): void {
    this.#failedAttempts.clear();
    this.#decisions.clear();
    this.#sessions.clear();
    this.#links.clear();
    this.#events.length = 0;
  }
}
