/**
 * A failed relay call: the error the client throws, and how every element reads one (so they agree
 * on which failures end the session).
 */
/** Codes the client adds to the relay's own (`errorStatus` in contract/relay-api.ts) for failures with no usable answer. */
export type ClientErrorCode = 'network_error' | 'timeout' | 'invalid_response' | 'aborted';

/** A failed relay call: the relay's stable `code`, or one of the client's own when no answer could be read. */
export class RelayError extends Error {
  override readonly name = 'RelayError';
  readonly code: string;
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  readonly retryAfterSeconds?: number;
  readonly field?: string;
  /** For `send_limited`: the limit that refused (`network` or `destination`); an older relay sends none. */
  readonly limit?: string;

  constructor(code: string, message: string, options: { status?: number; retryAfterSeconds?: number; field?: string; limit?: string | undefined; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? 0;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
    if (options.field !== undefined) this.field = options.field;
    if (options.limit !== undefined) this.limit = options.limit;
  }
}

/** What an element needs to know about a failed relay call. */
export interface RelayFailure {
  /** The relay's stable code or one of the client's (`network_error`, `timeout`, ...). */
  code: string;
  retryAfterSeconds?: number | undefined;
  /** For `send_limited`: the limit that refused, which picks the copy (`messageCodeOf` in elements/shared/step-controller.ts). */
  limit?: string | undefined;
}

/** Codes after which nothing on this page can help: the page has to start a new verification. */
const sessionEndingCodes = new Set(['session_missing', 'session_invalid', 'session_expired', 'session_unknown', 'session_finished']);

export function endsSession(code: string): boolean {
  return sessionEndingCodes.has(code);
}

/** The failure in anything a relay call threw or rejected with. */
export function relayFailure(error: unknown): RelayFailure {
  // Duck-typed rather than `instanceof RelayError`: a page may load two copies of the client.
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string') {
    // `limit` passes unchecked: it is only ever compared with 'network' (`messageCodeOf` in elements/shared/step-controller.ts), and the entry has no bytes to spare.
    const { code, retryAfterSeconds, limit } = error as { code: string; retryAfterSeconds?: unknown; limit?: string };
    return { code: unreachable(code), retryAfterSeconds: typeof retryAfterSeconds === 'number' ? retryAfterSeconds : undefined, ...(limit === undefined ? {} : { limit }) };
  }
  if (error instanceof DOMException && error.name === 'AbortError') return { code: 'aborted' };
  if (error instanceof TypeError) return { code: unreachable('network_error') };
  return { code: 'invalid_response' };
}

/**
 * A relay that could not be reached, told apart by whether the browser itself is offline
 * (`offline`: check your connection) or the relay is down (`network_error`: the service).
 */
function unreachable(code: string): string {
  return code === 'network_error' && typeof navigator !== 'undefined' && navigator.onLine === false ? 'offline' : code;
}
