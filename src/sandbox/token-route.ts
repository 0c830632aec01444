import type { Context } from 'hono';
import type * as z from 'zod/mini';
import { TokenRequest, type TokenResponse } from '../contract/kount/index.js';
import { constantTimeEqual } from './constant-time.js';
import { jsonError } from './json-errors.js';
import type { TokenIssuer } from './tokens.js';

type TokenResponseBody = z.input<typeof TokenResponse>;

/** OAuth2 error code for a failed check of the form body (RFC 6749 §5.2). */
function formErrorCode(field: PropertyKey | undefined, provided: boolean): string {
  if (field === 'scope') return 'invalid_scope';
  if (field === 'grant_type' && provided) return 'unsupported_grant_type';
  return 'invalid_request';
}

/**
 * `POST` client-credentials token endpoint, served at both issuers' paths. The client is checked
 * before the body, as OAuth2 servers do, so a wrong key never learns anything about the body.
 */
export function tokenHandler(tokens: TokenIssuer, apiKey: string) {
  return async (c: Context): Promise<Response> => {
    const credentials = /^Basic\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (credentials === undefined || !constantTimeEqual(apiKey, credentials)) {
      return jsonError(c, 401, { error: 'invalid_client', message: 'client authentication failed' }, { 'WWW-Authenticate': 'Basic realm="k360-sandbox"' });
    }
    if (!/^application\/x-www-form-urlencoded\b/i.test((c.req.header('content-type') ?? '').trim())) {
      return jsonError(c, 400, { error: 'invalid_request', message: 'Content-Type must be application/x-www-form-urlencoded' });
    }
    const form = new URLSearchParams(await c.req.text());
    const parsed = TokenRequest.safeParse(Object.fromEntries(form));
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path[0];
      const provided = typeof field === 'string' && form.has(field);
      const message = `${String(field ?? 'body')} must be ${field === 'scope' ? 'k1_integration_api' : 'client_credentials'}`;
      return jsonError(c, 400, { error: formErrorCode(field, provided), message, field: String(field ?? '') });
    }
    const issued = tokens.issue();
    const body: TokenResponseBody = {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      scope: parsed.data.scope,
    };
    return c.json(body, 200, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  };
}
