import type { MiddlewareHandler } from 'hono';
import { noStoreHeaders } from '../http-headers.js';
import type { OriginPolicy } from '../origin-policy.js';

/** First in the chain, so error and not-found answers get the same headers as successes: no cache, and CORS for listed origins. */
export function responseHeaders(origins: OriginPolicy): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(noStoreHeaders())) c.res.headers.set(name, value);
    origins.decorate(c.req.raw, c.res.headers);
  };
}
