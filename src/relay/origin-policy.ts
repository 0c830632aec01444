/** Who may change a session's state, and which other origins may read the relay's answers. */
import { CSRF_HEADER } from '../contract/browser.js';
import { RelayError } from './errors.js';

// `last-event-id`: the client resumes an event stream from the last view it saw (fetch, not EventSource).
export const CORS_ALLOWED_HEADERS = ['content-type', 'authorization', 'last-event-id', CSRF_HEADER];
export const CORS_ALLOWED_METHODS = ['GET', 'POST'];

export interface OriginPolicyOptions {
  /** `RELAY_ALLOWED_ORIGINS`: other origins that may call the relay (CORS and CSRF). */
  allowedOrigins: readonly string[];
  /**
   * `RELAY_PUBLIC_ORIGIN`: the shop's own origin as browsers see it. Behind a proxy that ends TLS
   * or rewrites `Host`, the request URL the relay sees is not the page's origin; this one still
   * counts as the same origin.
   */
  publicOrigin?: string | undefined;
  /**
   * `RELAY_TRUST_FORWARDED_HEADERS`: the proxy in front sets `X-Forwarded-Proto` and
   * `X-Forwarded-Host` and strips them from what clients send; only then are they read.
   */
  trustForwardedHeaders?: boolean;
}

/** A host and optional port, nothing else (no path, user or scheme): what `Host` and `X-Forwarded-Host` may hold. */
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
/** Loopback and wildcard addresses: what a server puts in request URLs when it does not know the shop's name. */
const SERVER_OWN_ADDRESS = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0|\[::\])$/;

export class OriginPolicy {
  readonly #crossOrigins: ReadonlySet<string>;
  readonly #publicOrigin: string | undefined;
  readonly #trustForwardedHeaders: boolean;

  constructor(options: OriginPolicyOptions) {
    this.#crossOrigins = new Set(options.allowedOrigins);
    this.#publicOrigin = options.publicOrigin;
    this.#trustForwardedHeaders = options.trustForwardedHeaders === true;
  }

  /**
   * The origins this request counts as same-origin with: its own URL's, the one its browser
   * addressed when that URL names the server's own address, the public one, and the forwarded one
   * when trusted.
   */
  #sameOrigins(request: Request): string[] {
    const url = new URL(request.url);
    const origins = [url.origin];
    // `next start` builds every request URL from the address it listens on (http://localhost:3000),
    // whatever host the browser asked for. The browser sets `Host` itself and no page can change it,
    // so a browser sends an Origin equal to `scheme://Host` only from a page of that very host. A name
    // rebound by DNS to the shop passes this too, but its requests carry none of the shop's cookies.
    if (SERVER_OWN_ADDRESS.test(url.hostname)) {
      const host = request.headers.get('host');
      if (host !== null && HOST.test(host)) origins.push(`${url.protocol}//${host.toLowerCase()}`);
    }
    if (this.#publicOrigin !== undefined) origins.push(this.#publicOrigin);
    if (this.#trustForwardedHeaders) {
      const proto = firstValue(request.headers.get('x-forwarded-proto'));
      const host = firstValue(request.headers.get('x-forwarded-host'));
      if ((proto === 'https' || proto === 'http') && host !== undefined && HOST.test(host)) origins.push(`${proto}://${host.toLowerCase()}`);
    }
    return origins;
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
    if (origin !== null && !this.#sameOrigins(request).includes(origin) && !this.#crossOrigins.has(origin)) {
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

/** The first of a comma-separated header's values (the client's side of a proxy chain), trimmed. */
function firstValue(header: string | null): string | undefined {
  const value = header?.split(',')[0]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
