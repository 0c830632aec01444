import type { MiddlewareHandler } from 'hono';
import { handleFromCookieHeader } from '../cookies.js';
import { RelayError } from '../errors.js';
import { UnknownKeyHandle, type HandleSigner } from '../handles.js';

export interface SessionVariables {
  /** The session the request's handle names, checked once here (as Hono's `jwt` sets `jwtPayload`). */
  sessionId: string;
}

/**
 * Checks the session handle (bearer header or `__Host-` cookie) before anything else: a forged,
 * expired or missing one is turned away with 401 before the body is read or Kount asked (SECURITY 12).
 * A handle signed with a secret this instance does not hold yet, for a session the store holds, is
 * turned away with 503 instead, which the browser retries (SECURITY 38).
 */
export function sessionHandle(signer: HandleSigner, now: () => number): MiddlewareHandler<{ Variables: SessionVariables }> {
  // Not async: a refusal is thrown to Hono as it is, and the chain's promise is handed on.
  return (c, next) => {
    let sessionId: string;
    try {
      sessionId = signer.verify(handleFromRequest(c.req.raw), now());
    } catch (error) {
      // Only this rare case waits for the store; every other handle is checked without a read.
      if (error instanceof UnknownKeyHandle) return signer.refusalFor(error).then((refusal) => Promise.reject(refusal));
      throw error;
    }
    c.set('sessionId', sessionId);
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
