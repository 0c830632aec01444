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

  constructor(code: string, message: string, options: { status?: number; retryAfterSeconds?: number; field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? 0;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
    if (options.field !== undefined) this.field = options.field;
  }
}
