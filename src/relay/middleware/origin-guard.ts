import type { MiddlewareHandler } from 'hono';
import type { OriginPolicy } from '../origin-policy.js';

/** CORS preflights are answered here; a state-changing request needs the CSRF header and an allowed Origin (SECURITY 10, 11). */
export function originGuard(origins: OriginPolicy): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return origins.preflight(c.req.raw);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') origins.assertMayChangeState(c.req.raw);
    await next();
  };
}
