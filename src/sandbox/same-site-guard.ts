import type { MiddlewareHandler } from 'hono';
import { jsonError } from './json-errors.js';

/** The sandbox listens on localhost: a page on another site must not change it (reset, faults, link answers). */
export const refuseCrossSiteChanges: MiddlewareHandler = async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.header('sec-fetch-site') === 'cross-site') {
    return jsonError(c, 403, { error: 'forbidden', message: 'cross-site requests cannot change the sandbox' });
  }
  await next();
};
