/** The Kount access token, fetched once for everyone and replaced before it runs out (SECURITY 1, 2). */
import { RelayError } from './errors.js';

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
  /** When the token request left, so the lifetime is counted from the earliest moment it can have started. */
  requestedAt: number;
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
  refreshAt: number;
}

/**
 * How much life must be left for a token to be used: `min(600 s, expires_in − 120 s)`. When that
 * would leave less than half the life (expires_in ≤ 240 s) half the life is used instead, so a short
 * token still gets a sane margin rather than one of a second or less.
 */
export function refreshMarginSeconds(expiresInSeconds: number): number {
  if (expiresInSeconds <= 240) return expiresInSeconds / 2;
  return Math.min(600, expiresInSeconds - 120);
}

/** A token this close to its end is not reused as a fallback: the call itself may take that long. */
const FALLBACK_SAFETY_MS = 30_000;

export class TokenCache {
  readonly #issue: () => Promise<IssuedToken>;
  readonly #now: () => number;
  #cached: CachedToken | null = null;
  #inFlight: Promise<CachedToken> | null = null;

  constructor(issue: () => Promise<IssuedToken>, now: () => number) {
    this.#issue = issue;
    this.#now = now;
  }

  /** A token with more than the refresh margin of life left; concurrent callers share one request. */
  async get(): Promise<string> {
    const cached = this.#cached;
    if (cached && this.#now() < cached.refreshAt) return cached.accessToken;
    let fresh: CachedToken;
    try {
      fresh = await this.#refresh();
    } catch (error) {
      // Kount's token endpoint is down but the current token is still good for a while: use it.
      if (cached && this.#cached === cached && this.#now() < cached.expiresAt - FALLBACK_SAFETY_MS) return cached.accessToken;
      throw error;
    }
    if (this.#now() >= fresh.expiresAt) {
      throw new RelayError('upstream_auth_failed', 'Kount issued an access token that had already expired.');
    }
    return fresh.accessToken;
  }

  /** Forget `accessToken` after Kount refused it; a newer token fetched meanwhile is kept. */
  invalidate(accessToken: string): void {
    if (this.#cached?.accessToken === accessToken) this.#cached = null;
  }

  #refresh(): Promise<CachedToken> {
    this.#inFlight ??= this.#issue()
      .then((issued) => {
        const lifeMs = issued.expiresInSeconds * 1000;
        const token: CachedToken = {
          accessToken: issued.accessToken,
          expiresAt: issued.requestedAt + lifeMs,
          refreshAt: issued.requestedAt + lifeMs - refreshMarginSeconds(issued.expiresInSeconds) * 1000,
        };
        this.#cached = token;
        return token;
      })
      .finally(() => {
        this.#inFlight = null;
      });
    return this.#inFlight;
  }
}
