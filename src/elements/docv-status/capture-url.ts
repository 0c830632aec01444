/**
 * Which capture URLs `<docv-status>` turns into a link and a QR code. The relay already keeps
 * only https (and http on localhost) URLs, but the element also runs with an `action` a page
 * built itself, and a `javascript:` link or a phishing page on plain http must never be one tap
 * away from a shopper who trusts the checkout.
 */
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The URL, normalised, when it is safe to offer; otherwise null. */
export function safeCaptureUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  // Credentials in a link only serve to disguise where it goes.
  if (url.username || url.password) return null;
  if (url.protocol === 'https:') return url.href;
  if (url.protocol === 'http:' && loopbackHosts.has(url.hostname)) return url.href;
  return null;
}
