import { OutcomeError, RelayError, toErrorResponse } from 'k360-verify/relay';

/**
 * The relay's JSON for its refusals (403 origin_rejected or csrf_rejected, 429 send_limited…), 409
 * for a decision that cannot be confirmed, and a logged 500 for anything else.
 */
export function refusal(error: unknown): Response {
  if (error instanceof OutcomeError) return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status });
  if (!(error instanceof RelayError)) console.error(error);
  return toErrorResponse(error);
}
