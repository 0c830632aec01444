/** How the demo shop's API answers a failure, the same for every journey. */
import type { Context } from 'hono';
import { OutcomeError, RelayError } from '../src/relay/index.js';

export function invalidBody(c: Context, message: string): Response {
  return c.json({ error: { code: 'invalid_body', message } }, 400);
}

/**
 * What the shopper reads, by code: plain copy, never the relay's message, which is written for the
 * shop's developers (it may name an API, an option or Kount's status). That detail goes to the log.
 */
function shopperMessage(code: string, limit?: string): string {
  if (code.startsWith('upstream_') || code === 'store_unavailable') return "We couldn't reach our verification service. Please try again in a moment.";
  if (code.startsWith('session_') || code === 'inquiry_mismatch') return 'This verification has ended. Please start again.';
  if (code === 'outcome_consumed') return 'This verification was already used. Please start again.';
  if (code === 'outcome_pending') return 'Please finish the verification first.';
  // New details help after too many codes to these ones, never after too many starts from this network.
  if (code === 'send_limited' && limit === 'network') return 'Too many verifications were started from this network. Please try again later.';
  if (code === 'send_limited') return 'We have sent too many codes to these details. Please try again later.';
  if (code === 'origin_rejected' || code === 'csrf_rejected') return 'This page could not send your request. Reload the page and try again.';
  return 'Something went wrong on our side. Please try again.';
}

export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof OutcomeError || error instanceof RelayError) {
    console.error(JSON.stringify({ level: 'warn', event: 'demo.request_failed', code: error.code, detail: error.message }));
    // A developer's mistake in calling the relay (invalid_body from its own API) is the shop's fault, not the shopper's.
    const status = error instanceof OutcomeError ? 409 : error.code === 'invalid_body' ? 500 : error.status;
    const retryAfterSeconds = error instanceof RelayError ? error.retryAfterSeconds : undefined;
    const limit = error instanceof RelayError ? error.limit : undefined;
    if (retryAfterSeconds !== undefined) c.header('retry-after', String(retryAfterSeconds));
    return c.json(
      { error: { code: error.code, message: shopperMessage(error.code, limit), ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }), ...(limit === undefined ? {} : { limit }) } },
      status as 400,
    );
  }
  console.error(JSON.stringify({ level: 'error', event: 'demo.unexpected_error', message: error instanceof Error ? error.message : String(error) }));
  return c.json({ error: { code: 'internal_error', message: shopperMessage('internal_error') } }, 500);
}
