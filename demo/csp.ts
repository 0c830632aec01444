/**
 * The page policy from SECURITY.md item 27: the elements must work with no inline script or
 * style, no eval, and Trusted Types enforced (Lit's templates use the `lit-html` policy). The one
 * inline script is the import map that pins the files the bundle loads on demand; it is allowed
 * by its hash, never by 'unsafe-inline'.
 */
export function pagePolicy(inlineScriptHashes: readonly string[] = [], collectorOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    ["script-src 'self'", ...inlineScriptHashes.map((hash) => `'${hash}'`)].join(' '),
    "style-src 'self'",
    "img-src 'self' data:",
    // Kount's device data collector: its fetch and XHR calls, and its 1-pixel iframe.
    ["connect-src 'self'", ...collectorOrigins].join(' '),
    ...(collectorOrigins.length > 0 ? [`frame-src ${collectorOrigins.join(' ')}`] : []),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
  ].join('; ');
}

export function pageHeaders(inlineScriptHashes: readonly string[] = [], collectorOrigins: readonly string[] = []): Record<string, string> {
  return {
    'content-security-policy': pagePolicy(inlineScriptHashes, collectorOrigins),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
}
