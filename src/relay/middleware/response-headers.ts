import type { MiddlewareHandler } from 'hono';
import { noStoreHeaders } from '../http-headers.js';
import type { OriginPolicy } from '../origin-policy.js';

const NO_STORE = Object.entries(noStoreHeaders());

/** First in the chain, so error and not-found answers get the same headers as successes: no cache, and CORS for listed origins. */
export function responseHeaders(origins: OriginPolicy): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const { headers } = c.res;
    // Most answers were made with these already; a header set again is validated again.
    for (const [name, value] of NO_STORE) if (headers.get(name) !== value) headers.set(name, value);
    origins.decorate(c.req.raw, headers);
  };
}
