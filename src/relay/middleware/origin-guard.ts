import type { MiddlewareHandler } from 'hono';
import type { OriginPolicy } from '../origin-policy.js';

/** CORS preflights are answered here; a state-changing request needs the CSRF header and an allowed Origin (SECURITY 10, 11). */
export function originGuard(origins: OriginPolicy): MiddlewareHandler {
  // Not async: the chain's promise is handed on as it is (one promise fewer per request).
  return (c, next) => {
    if (c.req.method === 'OPTIONS') return Promise.resolve(origins.preflight(c.req.raw));
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') origins.assertMayChangeState(c.req.raw);
    return next();
  };
}
