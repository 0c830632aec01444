import type { MiddlewareHandler } from 'hono';
import { jsonError } from './json-errors.js';
import type { TokenIssuer } from './tokens.js';

/**
 * Every Identity Proofing call needs a live bearer token and the `x-client-id` header. Kount's
 * error bodies are undocumented; the status codes follow OAuth2 bearer usage (RFC 6750).
 */
export function requireApiCredentials(tokens: TokenIssuer, clientId: string): MiddlewareHandler {
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (match?.[1] === undefined) {
      return jsonError(c, 401, { error: 'invalid_token', message: 'a bearer token is required' }, { 'WWW-Authenticate': 'Bearer' });
    }
    const check = tokens.check(match[1]);
    if (check !== 'valid') {
      const message = check === 'expired' ? 'the access token has expired' : 'the access token is not valid';
      return jsonError(c, 401, { error: 'invalid_token', message }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
    if (c.req.header('x-client-id') !== clientId) {
      return jsonError(c, 403, { error: 'forbidden', message: 'x-client-id is missing or does not match the client', field: 'x-client-id' });
    }
    await next();
  };
}
