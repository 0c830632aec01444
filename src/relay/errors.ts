import type { ErrorBody, SendLimit } from '../contract/browser.js';
import { errorStatus, type ErrorCode } from '../contract/relay-api.js';
import { noStoreHeaders } from './http-headers.js';

export interface RelayErrorOptions {
  retryAfterSeconds?: number;
  /** The request field that failed validation (`invalid_body`). */
  field?: string;
  /** The limit that refused (`send_limited`). */
  limit?: SendLimit;
  cause?: unknown;
}

/**
 * An error the relay reports with a stable code. The message is shown to shoppers and customers'
 * developers, so it never carries upstream bodies, tokens or personal data.
 */
export class RelayError extends Error {
  override readonly name = 'RelayError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterSeconds?: number;
  readonly field?: string;
  readonly limit?: SendLimit;
  /** Set by whoever has already written the request's log line about this refusal (one line per request). */
  logged = false;

  constructor(code: ErrorCode, message: string, options: RelayErrorOptions = {}) {
    const status = errorStatus[code];
    // A refusal (4xx: a wrong code, a missing handle) is an answer, not a fault, and frequent: no
    // stack is captured for it (a few microseconds each, deep in an async chain). A 5xx keeps its stack.
    const stackTraceLimit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    // The Error constructor cannot throw here, so the limit is always put back on the next line.
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Error.stackTraceLimit = stackTraceLimit;
    this.code = code;
    this.status = status;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = Math.max(0, Math.ceil(options.retryAfterSeconds));
    if (options.field !== undefined) this.field = options.field;
    if (options.limit !== undefined) this.limit = options.limit;
  }
}

/**
 * Why the customer's backend may not act on a session's outcome. Never sent to a browser: the
 * backend's confirm route decides what its shopper sees (409 is the natural status).
 * - `inquiry_mismatch`: the handle belongs to another inquiry (another order or sign-in);
 * - `outcome_pending`: the session is not decided yet;
 * - `outcome_consumed`: its decision was confirmed once already.
 */
export type OutcomeErrorCode = 'inquiry_mismatch' | 'outcome_pending' | 'outcome_consumed';

export class OutcomeError extends Error {
  override readonly name = 'OutcomeError';
  readonly status = 409;

  constructor(
    readonly code: OutcomeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isRelayError(error: unknown): error is RelayError {
  return error instanceof RelayError;
}

/** Turns any thrown value into the contract's `ErrorBody`; anything unexpected becomes a bland 500. */
export function toErrorResponse(error: unknown): Response {
  const { status, headers, body } = errorAnswer(error);
  return new Response(body, { status, headers });
}

/** The parts of `toErrorResponse`'s answer, for an adapter that writes them itself. */
export function errorAnswer(error: unknown): { status: number; headers: Record<string, string>; body: string } {
  const relayError = isRelayError(error) ? error : new RelayError('internal_error', 'The relay could not complete the request.');
  const body: ErrorBody = {
    error: {
      code: relayError.code,
      message: relayError.message,
      ...(relayError.field === undefined ? {} : { field: relayError.field }),
      ...(relayError.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: relayError.retryAfterSeconds }),
      ...(relayError.limit === undefined ? {} : { limit: relayError.limit }),
    },
  };
  const headers: Record<string, string> = { ...noStoreHeaders(), 'content-type': 'application/json; charset=utf-8' };
  if (relayError.retryAfterSeconds !== undefined) headers['retry-after'] = String(relayError.retryAfterSeconds);
  return { status: relayError.status, headers, body: JSON.stringify(body) };
}
