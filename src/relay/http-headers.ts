/**
 * Headers every relay response carries: session views and errors are personal and short-lived, so
 * no cache (browser, proxy or CDN) may keep them.
 */
export function noStoreHeaders(): Record<string, string> {
  return {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...noStoreHeaders(), 'content-type': 'application/json; charset=utf-8' },
  });
}
