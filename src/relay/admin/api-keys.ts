/**
 * Bearer keys of the admin API (`RELAY_ADMIN_API_KEYS`): several at once, so a key can be rotated
 * (add the new one, move the backends, drop the old one). The request's key is compared with every
 * key in constant time, whatever matches, so timing says nothing about which key or how much of it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { adminError } from './admin-errors.js';

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;

export function bearerKeys(keys: readonly string[]): MiddlewareHandler {
  if (keys.length === 0) throw new Error('The admin API needs at least one key (RELAY_ADMIN_API_KEYS).');
  const digests = keys.map(digest);
  return async (c, next) => {
    const given = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    const candidate = digest(given ?? '');
    let matched = false;
    for (const known of digests) if (timingSafeEqual(candidate, known)) matched = true;
    if (given === undefined || !matched) {
      return adminError('unauthorized', 'Send a valid admin API key as "Authorization: Bearer <key>".', { 'www-authenticate': 'Bearer realm="k360-verify-admin"' });
    }
    await next();
  };
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
