/** How the demo shop's API answers a failure, the same for every journey. */
import type { Context } from 'hono';
import { OutcomeError, RelayError } from '../src/relay/index.js';

export function invalidBody(c: Context, message: string): Response {
  return c.json({ error: { code: 'invalid_body', message } }, 400);
}

export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof OutcomeError) {
    return c.json({ error: { code: error.code, message: error.message } }, 409);
  }
  if (error instanceof RelayError) {
    return c.json({ error: { code: error.code, message: error.message } }, error.status as 400);
  }
  console.error(JSON.stringify({ level: 'error', event: 'demo.unexpected_error', message: error instanceof Error ? error.message : String(error) }));
  return c.json({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } }, 500);
}
