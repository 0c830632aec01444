import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Kount 360 publishes no error envelope, so the sandbox uses one small shape everywhere:
 * `{ error, message, field? }`, with OAuth2 error codes on the token endpoint.
 */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly field?: string;
}

export function jsonError(c: Context, status: ContentfulStatusCode, body: ErrorBody, headers?: Record<string, string>): Response {
  return c.json(body, status, { 'Cache-Control': 'no-store', ...headers });
}

/** `strategy.actions[0].data.otp`: the way a developer would write the path in code. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const name = String(segment);
      return index === 0 ? name : `.${name}`;
    })
    .join('');
}
