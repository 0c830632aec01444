import { SESSION_COOKIE } from '../contract/browser.js';

/**
 * SECURITY 8: `__Host-` makes the browser refuse the cookie unless it is Secure, has `Path=/` and no
 * Domain, so no sibling subdomain can set or read it; HttpOnly keeps it from scripts; Strict keeps
 * it off cross-site requests.
 */
export function sessionCookie(handle: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${handle}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`;
}

/** The value of cookie `name` in a `Cookie` request header, or null. */
export function readCookie(cookieHeader: string | null | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  for (const pair of cookieHeader.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0) continue;
    if (pair.slice(0, separator).trim() === name) {
      const value = pair.slice(separator + 1).trim();
      return value === '' ? null : value;
    }
  }
  return null;
}

export function handleFromCookieHeader(cookieHeader: string | null | undefined): string | null {
  return readCookie(cookieHeader, SESSION_COOKIE);
}
