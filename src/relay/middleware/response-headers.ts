import type { MiddlewareHandler } from 'hono';
import { noStoreHeaders } from '../http-headers.js';
import type { OriginPolicy } from '../origin-policy.js';
import type { RelayRequestContext } from '../request-context.js';

const NO_STORE_HEADERS = noStoreHeaders();
const NO_STORE = Object.entries(NO_STORE_HEADERS);

/** First in the chain, so error and not-found answers get the same headers as successes: no cache, and CORS for listed origins. */
export function responseHeaders(origins: OriginPolicy): MiddlewareHandler<{ Bindings: RelayRequestContext | undefined }> {
  return async (c, next) => {
    await next();
    // The relay's own answers on Node: a plain record the adapter sends (RelayRequestContext.native).
    const native = c.env?.native?.headersOf(c.res);
    if (native !== undefined) Object.assign(native, NO_STORE_HEADERS);
    const { headers } = c.res;
    if (native === undefined) {
    // Most answers were made with these already; a header set again is validated again.
      for (const [name, value] of NO_STORE) if (headers.get(name) !== value) headers.set(name, value);
    }
    origins.decorate(c.req.raw, headers);
  };
}
