import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from './defaults.js';

export type TokenCheck = 'valid' | 'expired' | 'unknown';

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
}

export interface TokenIssuerOptions {
  readonly clientId: string;
  readonly lifetimeSeconds: number;
  readonly now: Clock;
  readonly issuer: string;
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/**
 * Issues and remembers access tokens. Real Kount tokens are RS256 JWTs carrying `client_id`, `scp`
 * and `exp`; ours look the same (so a relay that reads `client_id` from the token works) but the
 * signature is random bytes: nothing may trust them outside the sandbox, and the sandbox itself
 * only trusts its own table of issued tokens.
 */
export class TokenIssuer {
  readonly #options: TokenIssuerOptions;
  readonly #expiryByToken = new Map<string, number>();
  #issuedCount = 0;

  constructor(options: TokenIssuerOptions) {
    this.#options = options;
  }

  get issuedCount(): number {
    return this.#issuedCount;
  }

  issue(): IssuedToken {
    const { clientId, lifetimeSeconds, now, issuer } = this.#options;
    const issuedAtMs = now();
    const issuedAtSeconds = Math.floor(issuedAtMs / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: 'k360-sandbox' };
    const claims = {
      iss: issuer,
      aud: 'k1_sandbox_integration_api_auth_server',
      scp: ['k1_integration_api'],
      client_id: clientId,
      iat: issuedAtSeconds,
      exp: issuedAtSeconds + lifetimeSeconds,
      jti: randomUUID(),
    };
    const accessToken = [base64url(JSON.stringify(header)), base64url(JSON.stringify(claims)), base64url(randomBytes(256))].join('.');
    this.#pruneExpired(issuedAtMs);
    this.#expiryByToken.set(accessToken, issuedAtMs + lifetimeSeconds * 1000);
    this.#issuedCount += 1;
    return { accessToken, expiresIn: lifetimeSeconds };
  }

  check(accessToken: string): TokenCheck {
    const expiresAtMs = this.#expiryByToken.get(accessToken);
    if (expiresAtMs === undefined) return 'unknown';
    return this.#options.now() < expiresAtMs ? 'valid' : 'expired';
  }

  clear(): void {
    this.#expiryByToken.clear();
    this.#issuedCount = 0;
  }

  /** Keeps a long-running demo's memory flat; an expired token a day old is as good as unknown. */
  #pruneExpired(nowMs: number): void {
    const graceMs = 24 * 60 * 60 * 1000;
    for (const [token, expiresAtMs] of this.#expiryByToken) {
      if (expiresAtMs + graceMs < nowMs) this.#expiryByToken.delete(token);
    }
  }
}
