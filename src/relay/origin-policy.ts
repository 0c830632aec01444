/** Who may change a session's state, and which other origins may read the relay's answers. */
import { CSRF_HEADER } from '../contract/browser.js';
import { RelayError } from './errors.js';

// `last-event-id`: the client resumes an event stream from the last view it saw (fetch, not EventSource).
export const CORS_ALLOWED_HEADERS = ['content-type', 'authorization', 'last-event-id', CSRF_HEADER];
export const CORS_ALLOWED_METHODS = ['GET', 'POST'];

export class OriginPolicy {
  readonly #crossOrigins: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[]) {
    this.#crossOrigins = new Set(allowedOrigins);
  }

  /** Listed in `RELAY_ALLOWED_ORIGINS`: gets CORS answers. */
  isAllowedCrossOrigin(origin: string | null): origin is string {
    return origin !== null && this.#crossOrigins.has(origin);
  }

  /**
   * SECURITY 10. A form or an image tag cannot set a custom header, and a script on another origin
   * can only do so after a CORS preflight that unlisted origins fail. The Origin and Fetch Metadata
   * checks refuse the rest, e.g. a listed origin's page framed by an attacker's site.
   */
  assertMayChangeState(request: Request): void {
    if (request.headers.get('sec-fetch-site')?.toLowerCase() === 'cross-site') {
      throw new RelayError('origin_rejected', 'Requests from another site are not accepted.');
    }
    const origin = request.headers.get('origin');
    if (origin !== null && origin !== new URL(request.url).origin && !this.#crossOrigins.has(origin)) {
      throw new RelayError('origin_rejected', 'Requests from this origin are not accepted.');
    }
    if (!request.headers.get(CSRF_HEADER)) {
      throw new RelayError('csrf_rejected', `State-changing requests need the ${CSRF_HEADER} header.`);
    }
  }

  /** SECURITY 11: the exact listed origin, never `*`; nothing at all for anyone else. */
  preflight(request: Request): Response {
    const origin = request.headers.get('origin');
    const headers = new Headers({ vary: 'Origin', 'cache-control': 'no-store' });
    if (this.isAllowedCrossOrigin(origin)) {
      headers.set('access-control-allow-origin', origin);
      headers.set('access-control-allow-credentials', 'true');
      headers.set('access-control-allow-methods', CORS_ALLOWED_METHODS.join(', '));
      headers.set('access-control-allow-headers', CORS_ALLOWED_HEADERS.join(', '));
      headers.set('access-control-max-age', '600');
    }
    return new Response(null, { status: 204, headers });
  }

  /** Adds CORS headers to an actual response for a listed origin. */
  decorate(request: Request, headers: Headers): void {
    headers.append('vary', 'Origin');
    const origin = request.headers.get('origin');
    if (!this.isAllowedCrossOrigin(origin)) return;
    headers.set('access-control-allow-origin', origin);
    headers.set('access-control-allow-credentials', 'true');
    // Lets a cross-origin element read how long to wait after a 429.
    headers.set('access-control-expose-headers', 'Retry-After');
  }
}
