/**
 * The one rule for URLs that carry secrets or are put in front of shoppers: https, or http on
 * this machine (the sandbox). The relay applies it to its own configuration and to Kount's
 * capture links; `<docv-status>` applies it again, because a page may build an action itself,
 * and a `javascript:` link or a phishing page on plain http must never be one tap away from a
 * shopper who trusts the checkout.
 */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function parseUrl(value: string): URL | null {
  try {
    return new URL(value.trim());
  } catch {
    return null;
  }
}

function isSecureOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

export function isSecureOrLoopbackUrl(value: string): boolean {
  const url = parseUrl(value);
  return url !== null && isSecureOrLoopback(url);
}

/** The URL, normalised, when it is safe to offer as a link; otherwise null. */
export function safeLinkUrl(raw: string | null | undefined): string | null {
  const url = raw ? parseUrl(raw) : null;
  // Credentials in a link only serve to disguise where it goes.
  if (url === null || url.username !== '' || url.password !== '') return null;
  return isSecureOrLoopback(url) ? url.href : null;
}
