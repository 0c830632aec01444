import { RelayError } from './errors.js';
import { handleFromCookieHeader } from './cookies.js';

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
