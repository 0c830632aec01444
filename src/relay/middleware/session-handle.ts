import type { MiddlewareHandler } from 'hono';
import { handleFromCookieHeader } from '../cookies.js';
import { RelayError } from '../errors.js';
import type { HandleSigner } from '../handles.js';

export interface SessionVariables {
  /** The session the request's handle names, checked once here (as Hono's `jwt` sets `jwtPayload`). */
  sessionId: string;
}

/**
 * Checks the session handle (bearer header or `__Host-` cookie) before anything else: a forged,
 * expired or missing one is turned away with 401 before the body is read or Kount asked (SECURITY 12).
 */
export function sessionHandle(signer: HandleSigner, now: () => number): MiddlewareHandler<{ Variables: SessionVariables }> {
  // Not async: a refusal is thrown to Hono as it is, and the chain's promise is handed on.
  return (c, next) => {
    c.set('sessionId', signer.verify(handleFromRequest(c.req.raw), now()));
    return next();
  };
}

/**
 * The session handle a browser request carries: a bearer header (relay on another origin) wins
 * over the `__Host-` cookie (same origin). Neither → `session_missing`.
 */
export function handleFromRequest(request: Request): string {
  const authorization = request.headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new RelayError('session_invalid', 'The Authorization header must be "Bearer <session handle>".');
    return match[1];
  }
  const handle = handleFromCookieHeader(request.headers.get('cookie'));
  if (handle === null) throw new RelayError('session_missing', 'No verification is in progress in this browser.');
  return handle;
}
