/** The one rule for URLs the relay sends secrets to or puts in front of shoppers: https, or http on this machine. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isSecureOrLoopbackUrl(value: string): boolean {
  const url = parseUrl(value);
  return url !== null && isSecureOrLoopback(url);
}

export function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

export function isSecureOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}
