/** The admin API answers errors in the browser API's shape, with the same stable codes and a few of its own. */
import { adminErrorStatus } from '../../contract/admin-api.js';
import type { ErrorBody } from '../../contract/browser.js';
import { OutcomeError, isRelayError, toErrorResponse } from '../errors.js';
import { noStoreHeaders } from '../http-headers.js';

export type AdminErrorCode = keyof typeof adminErrorStatus;

export function adminError(code: AdminErrorCode, message: string, headers: Record<string, string> = {}): Response {
  const body: ErrorBody = { error: { code, message } };
  return new Response(JSON.stringify(body), {
    status: adminErrorStatus[code],
    headers: { ...noStoreHeaders(), 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** A relay refusal keeps its code and status; an outcome refusal is a 409; anything else a bland 500. */
export function adminErrorResponse(error: unknown): Response {
  if (error instanceof OutcomeError) return adminError(error.code, error.message);
  return toErrorResponse(isRelayError(error) ? error : undefined);
}
