import type { MiddlewareHandler } from 'hono';
import type { HandleSigner } from '../handles.js';
import { handleFromRequest } from '../request-handle.js';

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
